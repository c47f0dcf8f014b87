import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHolidayYears, policyForYear } from "../../data/datasets/load-rules-data.js";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { makeIin } from "../../scripts/stack/people.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { AFTER_CAMPAIGN } from "../dates.js";
import { apply, fill, plain } from "./policy.js";
import { query, storedIin, write } from "./staff-seed.js";
import { walkTo } from "./walk.js";

// Admins change the year's policy from Telegram (/settings policy, its buttons, a JSON file): each change shown as
// before/after, applied on Apply, audited, and in force for the next evaluation.

const ADMIN_RU = 9101;
const ADMIN_KK = 9102;

type Lang = "ru" | "kk";

async function stored(stack: Stack, key: string): Promise<unknown> {
  const [row] = await query<{ value: string }>(stack, "select value from settings where key = ?", key);
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

/** Approved personal-choice changes this year (R9), straight into the bot's database. */
async function seedFreeChange(stack: Stack, n: number, userId: number, iin: string): Promise<void> {
  await write(
    stack,
    `insert into requests (number, user_id, iin_sealed, iin_index, person_birth_date, for_child, applicant_category, region_id,
      settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, outcome_at_submission,
      locale, decided_by, decided_at, source_key)
     values (?, ?, ?, ?, ?, 0, 'citizen', 'almaty', 'almaty', 'almaty-gp-1', 'free_choice', 'registered', 'approved',
      '2026-04-01T05:00:00.000Z', '2026-04-02', '{}', 'ru', 1, '2026-04-02T05:00:00.000Z', ?)`,
    `A-2026-9500${n}`,
    userId,
    ...storedIin(stack, iin),
    `19${iin.slice(0, 2)}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`,
    `seed-${n}`,
  );
}

describe("/settings policy end to end: admins change the year's policy, the bot follows at once", () => {
  let stack: Stack;
  let adminRu: ScriptedUser;
  let adminKk: ScriptedUser;
  const once = { ru: makeIin("810101", 3, 401), kk: makeIin("820202", 4, 402) };
  const users = {} as Record<Lang, ScriptedUser>;

  beforeAll(async () => {
    // After the 2026 window: personal choice is open within the yearly quota only (R8, R9).
    stack = await startStack({ clockStart: AFTER_CAMPAIGN, adminIds: [ADMIN_RU, ADMIN_KK] });
    adminRu = stack.tg.user({ id: ADMIN_RU, first_name: "Админ", language_code: "ru" });
    adminKk = stack.tg.user({ id: ADMIN_KK, first_name: "Әкімші", language_code: "kk" });
    users.ru = stack.tg.user({ id: 9111, first_name: "Асхат", language_code: "ru" });
    users.kk = stack.tg.user({ id: 9112, first_name: "Жанна", language_code: "kk" });
    await Promise.all([
      chooseLanguage(adminRu, "ru"),
      chooseLanguage(adminKk, "kk"),
      chooseLanguage(users.ru, "ru"),
      chooseLanguage(users.kk, "kk"),
    ]);
    await seedFreeChange(stack, 1, 9111, once.ru);
    await seedFreeChange(stack, 2, 9112, once.kk);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("/settings policy shows the year in words, and the next year's on its button (ru, kk)", async () => {
    adminRu.command("/settings", "policy");
    const view = await until(adminRu, fill("ru", "policy.admin.title", { year: 2026 }));
    expect(view.text).toContain(plain("ru", "policy.admin.status.provisional"));
    expect(view.text).toContain("с 01.09 по 01.11 включительно");
    expect(buttons(view)).toContain(L("ru", "policy.admin.buttons.quota"));
    await adminRu.press(fill("ru", "policy.admin.buttons.year", { year: 2027 })).answer();
    const next = await until(adminRu, fill("ru", "policy.admin.title", { year: 2027 }));
    expect(next.text).toContain(L("ru", "policy.admin.no_campaign"));
    adminKk.command("/settings", "policy 2027");
    await until(adminKk, fill("kk", "policy.admin.title", { year: 2027 }));
    adminKk.command("/settings", "policy 2025");
    await until(adminKk, fill("kk", "policy.admin.bad_year", { this: 2026, next: 2027 }));
  });

  it("R9: quota 1 closes a second free change; back to 2 through the buttons (kk) and it is accepted, in both languages", async () => {
    adminRu.command("/settings", "policy quota 1");
    const proposal = await until(adminRu, fill("ru", "policy.admin.proposal_title", { year: 2026 }));
    expect(proposal.text).toContain(`${L("ru", "policy.admin.fields.quota")}: 2 → 1`);
    // Nothing changes before Apply.
    expect(await stored(stack, "policy:2026")).toBeUndefined();
    await apply(adminRu, "ru");
    expect(await stored(stack, "policy:2026")).toMatchObject({ year: 2026, freeChangesPerYear: 1 });

    const closed = await walkTo(users.ru, "ground", { iin: once.ru });
    expect(buttons(closed)).not.toContain(L("ru", "rules.grounds.free_choice.title"));
    users.ru.command("/cancel");
    await until(users.ru, plain("ru", "common.cancelled"));

    // The Kazakh-speaking admin: the view, the quota button, "2", Apply.
    adminKk.command("/settings", "policy");
    await until(adminKk, fill("kk", "policy.admin.title", { year: 2026 }));
    await adminKk.press(L("kk", "policy.admin.buttons.quota")).answer();
    await tap(adminKk, "2");
    const back = await until(adminKk, fill("kk", "policy.admin.proposal_title", { year: 2026 }));
    expect(back.text).toContain(`${L("kk", "policy.admin.fields.quota")}: 1 → 2`);
    await apply(adminKk, "kk");

    // The Russian speaker comes back to the application left at the ground: asked again, under today's rules.
    users.ru.command("/apply");
    await tap(users.ru, L("ru", "apply.resume_continue"));
    for (const lang of ["ru", "kk"] as const) {
      const u = users[lang];
      const grounds = await walkTo(u, "ground", lang === "ru" ? { from: "ground" } : { lang, iin: once[lang] });
      expect(buttons(grounds)).toContain(L(lang, "rules.grounds.free_choice.title"));
      await walkTo(u, "filed", { lang, from: "ground", ground: "free_choice" });
    }
    const audit = await query<{ actor_id: number; details: string }>(
      stack,
      "select actor_id, details from audit_log where action = 'settings' order by id",
    );
    expect(audit.map((a) => [a.actor_id, JSON.parse(a.details) as unknown])).toEqual([
      [ADMIN_RU, { key: "policy:2026", via: "command", fields: "quota" }],
      [ADMIN_KK, { key: "policy:2026", via: "button", fields: "quota" }],
    ]);
  });

  it("R7: 'no campaign' through the buttons: /check, the /apply opening and the FAQ say all year, no campaign dates anywhere", async () => {
    adminRu.command("/settings", "policy");
    await until(adminRu, fill("ru", "policy.admin.title", { year: 2026 }));
    await adminRu.press(L("ru", "policy.admin.buttons.campaign")).answer();
    await tap(adminRu, L("ru", "policy.admin.buttons.no_campaign"));
    const proposal = await until(adminRu, fill("ru", "policy.admin.proposal_title", { year: 2026 }));
    expect(proposal.text).toContain(L("ru", "policy.admin.no_campaign"));
    await apply(adminRu, "ru");
    expect(await stored(stack, "policy:2026")).toMatchObject({ campaign: null, freeChangesPerYear: 2 });

    const noDates = (text: string) => expect(text).not.toMatch(/01\.09|01\.11|01\.01\.2027/);
    for (const lang of ["ru", "kk"] as const) {
      const u = users[lang];
      u.skip();
      u.command("/check");
      const check = await until(u, L(lang, "check.title"));
      // Still provisional: "not announced; all year as far as is known; ask 1414".
      expect(check.text).toContain(fill(lang, "policy.campaign.not_announced", { year: 2026 }));
      noDates(check.text ?? "");
      u.command("/apply");
      const intro = await until(u, plain(lang, "check.intro_title"));
      expect(intro.text).toContain(fill(lang, "policy.campaign.not_announced", { year: 2026 }));
      noDates(intro.text ?? "");
      u.command("/cancel");
      u.command("/faq");
      await until(u, L(lang, "faq.title"));
      await u.press(L(lang, "faq.items.campaign.q")).answer();
      // The answer replaces the list in the same message.
      const faq = await u.waitFor(
        (m) =>
          (m.text ?? "").startsWith(L(lang, "faq.items.campaign.q")) &&
          (m.text ?? "").includes(plain(lang, "faq.campaign_not_announced")),
      );
      expect(faq.text).toContain("1414");
      noDates(faq.text ?? "");
    }

    // Officially no campaign (status confirmed): all year, and no 1414 about it.
    adminKk.command("/settings", "policy status confirmed");
    await until(adminKk, fill("kk", "policy.admin.proposal_title", { year: 2026 }));
    await apply(adminKk, "kk");
    users.kk.command("/check");
    const check = await until(users.kk, fill("kk", "policy.campaign.none", { year: 2026 }));
    noDates(check.text ?? "");
  });

  it.each(["ru", "kk"] as const)(
    "(%s) a policy JSON with an error is refused with the line of the problem, and nothing changes",
    async (lang) => {
      const admin = lang === "ru" ? adminRu : adminKk;
      const before = await query(stack, "select key, value from settings where key like 'policy:%' order by key");
      const text = JSON.stringify({ ...policyForYear(2027), freeChangesPerYear: -1 }, null, 2);
      const line = text.split("\n").findIndex((l) => l.includes('"freeChangesPerYear"')) + 1;
      admin.sendDocument({ file_name: "2027.json", mime_type: "application/json", content: Buffer.from(text) });
      const refused = await until(
        admin,
        plain(lang, "policy.admin.file_refused").replace("❌ ", "").split(" ")[0] ?? "",
      );
      expect(refused.text).toContain("2027.json");
      expect(refused.text).toContain(
        fill(lang, "policy.admin.file_problem", {
          where: `${fill(lang, "policy.admin.file_line", { line })}, freeChangesPerYear`,
          message: "",
        }).trim(),
      );
      expect(await query(stack, "select key, value from settings where key like 'policy:%' order by key")).toEqual(
        before,
      );
    },
  );

  it("a file not JSON, or too large, is refused in one line; a valid one is shown before/after and applied", async () => {
    adminRu.sendDocument({ file_name: "policy.pdf", mime_type: "application/pdf", file_size: 2000 });
    await until(adminRu, L("ru", "policy.admin.file_not_json"));
    adminRu.sendDocument({ file_name: "2027.json", mime_type: "application/json", file_size: 500_000 });
    await until(adminRu, fill("ru", "policy.admin.file_too_big", { kb: 64 }));

    const next = { ...policyForYear(2027), freeChangesPerYear: 3 };
    adminRu.sendDocument({
      file_name: "2027.json",
      mime_type: "application/json",
      content: Buffer.from(JSON.stringify(next, null, 2)),
    });
    const proposal = await until(adminRu, fill("ru", "policy.admin.proposal_title", { year: 2027 }));
    expect(proposal.text).toContain(`${L("ru", "policy.admin.fields.quota")}: 2 → 3`);
    await apply(adminRu, "ru", 2027);
    expect(await stored(stack, "policy:2027")).toEqual(next);

    // R10: the Ministry's 2027 calendar: a transferred day off added, the table confirmed.
    const shipped = loadHolidayYears().find((t) => t.year === 2027);
    const table = {
      ...shipped,
      status: "confirmed",
      days: [...(shipped?.days ?? []), { date: "2027-03-16", kind: "transferred_day_off" }],
    };
    adminKk.sendDocument({
      file_name: "2027.json",
      mime_type: "application/json",
      content: Buffer.from(JSON.stringify(table, null, 2)),
    });
    const holidays = await until(adminKk, fill("kk", "policy.admin.proposal_holidays_title", { year: 2027 }));
    expect(holidays.text).toContain("16.03.2027");
    await adminKk.press(L("kk", "policy.admin.buttons.apply")).answer();
    await until(adminKk, fill("kk", "policy.admin.saved_holidays", { year: 2027 }));
    expect(await stored(stack, "holidays:2027")).toEqual(table);
  });

  it("an old proposal's Apply does nothing once a newer one replaced it", async () => {
    adminRu.command("/settings", "policy 2027 term 2");
    const first: StoredMessage = await until(adminRu, fill("ru", "policy.admin.proposal_title", { year: 2027 }));
    adminRu.command("/settings", "policy 2027 term 3");
    await until(adminRu, fill("ru", "policy.admin.proposal_title", { year: 2027 }));
    const answer = await adminRu.press(L("ru", "policy.admin.buttons.apply"), { message: first }).answer();
    expect(answer.text).toBe(L("ru", "policy.admin.stale"));
    expect(await stored(stack, "policy:2027")).toMatchObject({ decisionWorkingDays: 1 });
  });
});
