import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { query, seedRequest, write } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";

// Queue, /find, /stats and /export as a QA walk-through found them, in both languages. Inside the 2026 campaign (R7).
const ADMIN = 9001;
const KK_SUPPORT = 9851;
type Lang = "ru" | "kk";

const fill = (s: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((acc, [k, v]) => acc.replaceAll(`{{${k}}}`, String(v)), s);
const plain = (s: string) => s.replace(/<[^>]+>/g, "");
const place = (lang: Lang, clinic: string, settlement: string) =>
  fill(L(lang, "staff.clinic_place"), { clinic, settlement });
const NAMES = {
  ru: {
    gp1: "Городская поликлиника №1",
    gp41: "Городская поликлиника №41",
    almaty: "Алматы",
    shymkent: "Шымкент",
    oskemen: "Усть-Каменогорск",
  },
  kk: {
    gp1: "№1 қалалық емхана",
    gp41: "№41 қалалық емхана",
    almaty: "Алматы",
    shymkent: "Шымкент",
    oskemen: "Өскемен",
  },
};

describe("staff lists tell same-named clinics apart, /find is unambiguous, the CSV opens right in Excel", () => {
  let stack: Stack;
  const staff: Record<Lang, ScriptedUser> = {} as Record<Lang, ScriptedUser>;
  const leadingZeroIin = "061211600012";
  let approvedId = 0;
  let rejectedId = 0;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    staff.ru = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    staff.kk = stack.tg.user({ id: KK_SUPPORT, first_name: "Әсел", language_code: "kk" });
    await Promise.all([chooseLanguage(staff.ru, "ru"), chooseLanguage(staff.kk, "kk")]);
    staff.ru.command("/staff", `add ${KK_SUPPORT} support`);
    await until(staff.ru, `Готово: ${KK_SUPPORT}`);
    await seedRequest(stack, { number: "A-2026-930001", userId: 9861, iin: makeIin("900101", 3, 301), locale: "ru" });
    await seedRequest(stack, {
      number: "A-2026-930002",
      userId: 9862,
      iin: makeIin("900101", 3, 302),
      locale: "ru",
      clinic: "shymkent-gp-1",
      settlement: "shymkent",
    });
    await seedRequest(stack, {
      number: "A-2026-930003",
      userId: 9863,
      iin: makeIin("900101", 3, 303),
      locale: "kk",
      clinic: "sample-oskemen-01",
      settlement: "oskemen",
    });
    approvedId = await seedRequest(stack, { number: "A-2026-930004", userId: 9864, iin: leadingZeroIin, locale: "ru" });
    rejectedId = await seedRequest(stack, {
      number: "A-2026-930005",
      userId: 9865,
      iin: makeIin("900101", 3, 305),
      locale: "ru",
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("queue lines, /find results (with the status) and stats name each clinic with its settlement, in ru and kk", async () => {
    for (const lang of ["ru", "kk"] as const) {
      const u = staff[lang];
      const n = NAMES[lang];
      u.command("/queue");
      const list = await until(u, plain(L(lang, "staff.queue.title")).split("{{")[0] ?? "");
      const line = (number: string) => buttons(list).find((b) => b.includes(number)) ?? "";
      expect(line("A-2026-930001")).toContain(place(lang, n.gp1, n.almaty));
      expect(line("A-2026-930002")).toContain(place(lang, n.gp1, n.shymkent));
      expect(line("A-2026-930003")).toContain(place(lang, n.gp41, n.oskemen));

      u.command("/find", "A-2026-930002");
      const found = await until(u, fill(L(lang, "staff.find.found"), { count: 1 }));
      expect(found.text).toContain(
        `A-2026-930002 — ${L(lang, "requests.status.pending")} · ${place(lang, n.gp1, n.shymkent)}`,
      );
      expect(buttons(found)[0]).toContain(L(lang, "requests.status.pending"));

      u.command("/stats");
      const stats = await until(u, L(lang, "staff.stats.campaign"));
      expect(stats.text).toContain(`${place(lang, n.gp1, n.almaty)} — 3`);
      expect(stats.text).toContain(`${place(lang, n.gp1, n.shymkent)} — 1`);
    }
  });

  it("R18: /find with part of an IIN says an IIN has all 12 digits; a Telegram id is found only as 'id N', in ru and kk", async () => {
    for (const lang of ["ru", "kk"] as const) {
      const u = staff[lang];
      u.command("/find", "0612");
      const usage = await until(u, L(lang, "staff.find.partial_iin"));
      expect(usage.text).toContain("/find id 123456789");
      // Twelve digits that cannot be an IIN (the check digit): said so, not "nothing found".
      u.command("/find", "1234 5678 9012");
      await until(u, L(lang, "staff.find.bad_iin"));
      for (const form of ["id 9862", "id:9862"]) {
        u.command("/find", form);
        const found = await until(u, fill(L(lang, "staff.find.found"), { count: 1 }));
        expect(found.text).toContain("A-2026-930002");
      }
    }
  });

  it("R8/R14/R18: the export uses ';', keeps the IIN's leading zero, writes words and one date format, with the real effective date", async () => {
    await write(
      stack,
      "update requests set effective_from = null, ground = 'residence_change' where id = ?",
      approvedId,
    );
    await staff.ru.pressForged(`sc:approve:${approvedId}`).answer();
    await until(staff.ru, "A-2026-930004");
    await staff.ru.pressForged(`sr:quota_used:${rejectedId}`).answer();
    await until(staff.ru, "A-2026-930005");
    for (const lang of ["ru", "kk"] as const) {
      const u = staff[lang];
      const before = u.messages().length;
      // Both ask for full IINs: the admin (ru) gets them, audited; support (kk) is told it is the admin's and gets
      // the masked file.
      u.command("/export", "2026-09-15 2026-09-15 full");
      const doc = await u.waitFor((m) => m.document !== undefined && u.messages().indexOf(m) >= before);
      const lines = (stack.tg.file(doc.document?.file_id ?? "")?.bytes ?? Buffer.alloc(0))
        .subarray(3)
        .toString("utf8")
        .trimEnd()
        .split("\r\n");
      const header = (lines[0] ?? "").split(";");
      const cell = (number: string, column: string) => {
        const row = (lines.find((l) => l.startsWith(`${number};`)) ?? "").split(";");
        return row[header.indexOf(L(lang, `staff.export.columns.${column}`))];
      };
      expect(header).toHaveLength(24);
      if (lang === "ru") {
        expect(cell("A-2026-930004", "person_iin")).toBe(`"=""${leadingZeroIin}"""`);
        expect(doc.caption).toContain("Админ (id 9001)");
        const audit = await query<{ details: string }>(
          stack,
          "select details from audit_log where action = 'export_full'",
        );
        expect(audit.map((a) => JSON.parse(a.details) as { numbers: string })[0]?.numbers).toContain("A-2026-930004");
      } else {
        // R18: beside the birth date only the last two digits.
        expect(cell("A-2026-930004", "person_iin")).toBe(`••••••••••${leadingZeroIin.slice(-2)}`);
        expect(
          u
            .messages()
            .slice(before)
            .some((m) => m.text === L(lang, "privacy.export.full_admins_only")),
        ).toBe(true);
        expect(doc.caption).toContain("Әсел (id 9851)");
      }
      expect(cell("A-2026-930004", "status")).toBe(L(lang, "staff.export.statuses.approved"));
      expect(cell("A-2026-930004", "applicant_category")).toBe(L(lang, "rules.categories.citizen"));
      expect(cell("A-2026-930004", "ground")).toBe(L(lang, "rules.grounds.residence_change.title"));
      // Approved "on the decision" (R8): the decision day, though the request keeps no date of its own.
      expect(cell("A-2026-930004", "effective_from")).toBe("15.09.2026");
      expect(cell("A-2026-930004", "decision_due")).toBe("16.09.2026");
      expect(cell("A-2026-930004", "submitted_at")).toBe("15.09.2026 10:00");
      expect(cell("A-2026-930001", "effective_from")).toBe("01.01.2027");
      expect(cell("A-2026-930005", "status")).toBe(L(lang, "staff.export.statuses.rejected"));
      expect(cell("A-2026-930005", "reject_reason")).toBe(L(lang, "staff.reject_buttons.quota_used"));
    }
  });
});
