import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { openCard, query, seedRequest, write } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";

// The reviewer's card and decisions as a QA walk-through found them, in both languages. Inside the 2026 campaign (R7).
const ADMIN = 9001;
const RU_SUPPORT = 9811;
const KK_SUPPORT = 9812;
type Lang = "ru" | "kk";

const plain = (s: string) => s.replace(/<[^>]+>/g, "");
const fill = (s: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((acc, [k, v]) => acc.replaceAll(`{{${k}}}`, String(v)), s);

describe("staff card and decisions after the QA walk-through, end to end", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  const support: Record<Lang, ScriptedUser> = {} as Record<Lang, ScriptedUser>;

  beforeAll(async () => {
    // debug: the most the bot ever logs, to show no applicant's name is in it.
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN], env: { LOG_LEVEL: "debug" } });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support.ru = stack.tg.user({ id: RU_SUPPORT, first_name: "Сауле", language_code: "ru" });
    support.kk = stack.tg.user({ id: KK_SUPPORT, first_name: "Әсел", language_code: "kk" });
    await Promise.all([
      chooseLanguage(admin, "ru"),
      chooseLanguage(support.ru, "ru"),
      chooseLanguage(support.kk, "kk"),
    ]);
    for (const id of [RU_SUPPORT, KK_SUPPORT]) {
      admin.command("/staff", `add ${id} support`);
      await until(admin, `Готово: ${id}`);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R14: 'other' names the applicant's language; once the reason is typed the card shows the refusal, and the note follows the reason line", async () => {
    for (const [lang, applicantLang, n] of [
      ["ru", "kk", 1],
      ["kk", "ru", 2],
    ] as const) {
      const number = `A-2026-92000${n}`;
      const applicant = stack.tg.user({ id: 9820 + n, first_name: "Ерлан", language_code: applicantLang });
      await chooseLanguage(applicant, applicantLang);
      await seedRequest(stack, {
        number,
        userId: applicant.id,
        iin: makeIin("850505", 4, 200 + n),
        locale: applicantLang,
      });
      const u = support[lang];
      const card = await openCard(u, lang, number);
      await u.press(L(lang, "staff.buttons.reject"), { message: card }).answer();
      await tap(u, L(lang, "staff.reject_buttons.other"));
      const language = L(lang, `staff.reject.languages.${applicantLang}`);
      const prompt = await until(u, fill(L(lang, "staff.reject.note_language"), { language }));
      const note = `Нет справки о временном проживании ${n}`;
      u.send(note);
      await until(u, plain(fill(L(lang, "staff.decided.rejected"), { number })));
      const redrawn = await u.waitFor(
        (m) => m.message_id === card.message_id && (m.text ?? "").includes(L(lang, "requests.status.rejected")),
      );
      expect(redrawn.text).toContain(note);
      expect(buttons(redrawn)).not.toContain(L(lang, "staff.buttons.approve"));
      expect(buttons(redrawn)).not.toContain(L(lang, "staff.reject_buttons.other"));
      await u.waitFor((m) => m.message_id === prompt.message_id && buttons(m).length === 0);
      const told = await until(applicant, number);
      const reason = fill(L(applicantLang, "staff.notify.reason"), {
        reason: L(applicantLang, "staff.reject_reasons.other"),
      });
      expect(told.text).toContain(`${reason}\n${fill(L(applicantLang, "staff.notify.note"), { note })}`);
    }
  });

  it("the card names the applicant as Telegram has them (name, @username, a link), asking Telegram once; never in the log", async () => {
    const applicant = stack.tg.user({
      id: 9831,
      first_name: "Айгерим",
      last_name: "Сапарова",
      username: "aigerim_s",
      language_code: "ru",
    });
    await chooseLanguage(applicant, "ru");
    await seedRequest(stack, {
      number: "A-2026-920011",
      userId: applicant.id,
      iin: makeIin("900101", 3, 211),
      locale: "ru",
    });
    const since = stack.tg.lastCallSeq();
    for (const lang of ["ru", "kk"] as const) {
      const card = await openCard(support[lang], lang, "A-2026-920011");
      const line = fill(L(lang, "staff.card.applicant_username"), {
        id: applicant.id,
        name: "Айгерим Сапарова",
        username: "aigerim_s",
        locale: "ru",
      });
      expect(card.text).toContain(plain(line));
      const link = card.entities?.find((e) => e.type === "text_link");
      expect(link && "url" in link ? link.url : "").toBe(`tg://user?id=${applicant.id}`);
    }
    const asked = stack.tg
      .calls("getChat")
      .filter((c) => c.seq > since && JSON.stringify(c.params).includes(String(applicant.id)));
    expect(asked).toHaveLength(1);
    // Someone Telegram does not know (never started the bot): the Telegram id, and the card still opens.
    await seedRequest(stack, { number: "A-2026-920012", userId: 9839, iin: makeIin("900101", 3, 212), locale: "kk" });
    const unknown = await openCard(support.ru, "ru", "A-2026-920012");
    expect(unknown.text).toContain(plain(fill(L("ru", "staff.card.applicant"), { id: 9839, locale: "kk" })));
    expect(stack.bot.output()).not.toContain("Сапарова");
    expect(stack.bot.output()).not.toContain("aigerim_s");
  });

  it("a request the applicant withdrew: a stale approve says the applicant withdrew it, and so does the card", async () => {
    for (const [lang, n] of [
      ["ru", 1],
      ["kk", 2],
    ] as const) {
      const number = `A-2026-92002${n}`;
      const id = await seedRequest(stack, {
        number,
        userId: 9840 + n,
        iin: makeIin("880808", 4, 220 + n),
        locale: lang,
      });
      const card = await openCard(support[lang], lang, number);
      await write(
        stack,
        "update requests set status = 'withdrawn', decided_at = '2026-09-15T05:30:00.000Z' where id = ?",
        id,
      );
      await support[lang].press(L(lang, "staff.buttons.approve"), { message: card }).answer();
      const said = await until(
        support[lang],
        plain(fill(L(lang, "staff.already_withdrawn"), { number, at: "15.09.2026 10:30" })),
      );
      expect(said.text).not.toContain(fill(L(lang, "staff.card.decided"), { by: "—", at: "" }).trim());
      expect((await query<{ status: string }>(stack, "select status from requests where id = ?", id))[0]?.status).toBe(
        "withdrawn",
      );
      support[lang].command("/find", number);
      const found = await until(support[lang], L(lang, "requests.status.withdrawn"));
      await support[lang].press(buttons(found).find((b) => b.includes(number)) ?? "", { message: found }).answer();
      const shown = await until(support[lang], fill(L(lang, "staff.card.withdrawn"), { at: "15.09.2026 10:30" }));
      expect(shown.text?.startsWith(number)).toBe(true);
    }
  });
});
