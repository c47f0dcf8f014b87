import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { IN_CAMPAIGN, IN_CAMPAIGN_UTC } from "../dates.js";
import { query, seedRequest, write } from "./staff-seed.js";

// Lists that grow with use (staff with several clinics each, a long audit, a person's many requests) go out as
// several messages within Telegram's 4096 characters, instead of "something went wrong".
const ADMIN = 9501;
const MEMBERS = 40;
const FIRST_MEMBER = 95_100;

/** The bot's messages after `from`, once one is accepted (or the polite error came instead). */
async function answerUntil(u: ScriptedUser, from: number, last: (m: StoredMessage) => boolean) {
  const error = (m: StoredMessage) => m.text === L("ru", "common.error") || m.text === L("kk", "common.error");
  const end = await u.waitFor((m) => u.messages().indexOf(m) >= from && (last(m) || error(m)));
  const got = u.messages().slice(from, u.messages().indexOf(end) + 1);
  expect(got.filter(error)).toEqual([]);
  for (const m of got) expect((m.text ?? "").length).toBeLessThanOrEqual(4096);
  return got.map((m) => m.text ?? "");
}

describe("long lists in several messages", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let clinics: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    await chooseLanguage(admin, "ru");
    clinics = (await query<{ id: string }>(stack, "select id from clinics order by id limit 8")).map((r) => r.id);
    const members = Array.from({ length: MEMBERS }, (_, i) => [
      FIRST_MEMBER + i,
      JSON.stringify(clinics),
      ADMIN,
      IN_CAMPAIGN_UTC,
    ]);
    await write(
      stack,
      `insert into staff (user_id, role, clinic_ids, settlement_id, added_by, added_at)
       values ${members.map(() => "(?, 'support', ?, null, ?, ?)").join(", ")}`,
      ...members.flat(),
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("/staff list and /staff with 40 members of eight clinics each: every member once, over several messages", async () => {
    for (const args of ["list", ""]) {
      const from = admin.messages().length;
      admin.command("/staff", args || undefined);
      const lastId = String(FIRST_MEMBER + MEMBERS - 1);
      const texts = await answerUntil(admin, from, (m) =>
        args ? (m.text ?? "").includes(lastId) : (m.text ?? "").includes("/staff remove ID"),
      );
      expect(texts.length).toBeGreaterThan(1);
      expect(texts[0]).toContain("Сотрудники");
      const all = texts.join("\n");
      for (let i = 0; i < MEMBERS; i++) expect(all.split(String(FIRST_MEMBER + i)).length - 1).toBe(1);
      expect(all).toContain(clinics.join(", "));
    }
  });

  it("/audit with thirty long entries and /audit privacy with fifty: all shown, over several messages", async () => {
    const long = clinics.join(",").repeat(3);
    const entries: unknown[][] = [];
    const at = (minutes: number) => new Date(Date.parse(IN_CAMPAIGN_UTC) - minutes * 60_000).toISOString();
    // Fifty exports a day before (within /audit privacy's 30 days), then the thirty newest entries /audit shows.
    for (let i = 0; i < 25; i++) {
      const numbers = Array.from({ length: 8 }, (_, k) => `A-2026-9${String(i).padStart(2, "0")}${k}00`).join(",");
      for (const k of [0, 1])
        entries.push([
          at(1440 + 2 * i + k),
          ADMIN,
          "export_full",
          JSON.stringify({ from: "2026-09-01", to: "2026-09-14", numbers }),
        ]);
    }
    for (let i = 0; i < 30; i++)
      entries.push([at(30 - i), ADMIN, "staff_add", JSON.stringify({ target: `mark${100 + i}`, clinics: long })]);
    await write(
      stack,
      `insert into audit_log (at, actor_id, action, details) values ${entries.map(() => "(?, ?, ?, ?)").join(", ")}`,
      ...entries.flat(),
    );
    let from = admin.messages().length;
    // Every entry's mark arrived (the newest thirty of them are shown).
    const allMarks = (last: StoredMessage) => {
      const all = admin
        .messages()
        .slice(from, admin.messages().indexOf(last) + 1)
        .map((m) => m.text ?? "")
        .join("\n");
      return Array.from({ length: 30 }, (_, i) => `mark${100 + i}`).every((mark) => all.includes(mark));
    };
    admin.command("/audit");
    let texts = await answerUntil(admin, from, allMarks);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts[0]).toContain("Журнал действий");

    from = admin.messages().length;
    admin.command("/audit", "privacy");
    const exports = (last: StoredMessage) =>
      admin
        .messages()
        .slice(from, admin.messages().indexOf(last) + 1)
        .map((m) => m.text ?? "")
        .join("\n")
        .split("выгрузил(а) полные ИИН").length - 1;
    texts = await answerUntil(admin, from, (m) => exports(m) === 50);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts[0]).toContain("Доступ к полным персональным данным");
    expect(texts.join("\n").split("выгрузил(а) полные ИИН").length - 1).toBe(50);
  });

  it("/privacy for a person with fifty erased requests (its most): every request listed, within the limit, the buttons on the last message", async () => {
    const u = stack.tg.user({ id: 9590, first_name: "Жанар", language_code: "kk" });
    await chooseLanguage(u, "kk");
    for (let i = 0; i < 50; i++)
      await seedRequest(stack, {
        number: `A-2026-959${String(i).padStart(3, "0")}`,
        userId: 9590,
        iin: makeIin("900101", 3, 400 + 2 * i),
        locale: "kk",
      });
    await write(
      stack,
      "update requests set status = 'withdrawn', erased_by = 'applicant', erased_at = ? where user_id = ?",
      IN_CAMPAIGN_UTC,
      9590,
    );
    const from = u.messages().length;
    u.command("/privacy");
    const texts = await answerUntil(u, from, (m) => buttons(m).includes(L("kk", "privacy.buttons.copy")));
    const all = texts.join("\n");
    for (let i = 0; i < 50; i++) expect(all).toContain(`A-2026-959${String(i).padStart(3, "0")}`);
    expect(
      u
        .messages()
        .slice(from, -1)
        .every((m) => buttons(m).length === 0),
    ).toBe(true);
  });
});
