import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { composeBroadcast, sendNow } from "../../scripts/stack/broadcast-flow.js";
import { chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { query } from "./staff-seed.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

const OPERATOR = 9001;
const RU = 7101;
const KK = 7102;
const STAYS_OFF = 7103;

/** The bot's one answer to a command. */
async function answerTo(u: ScriptedUser, command: string): Promise<string> {
  u.skip();
  u.command(command);
  return (await u.nextMessage()).text ?? "";
}

describe("/stop and /subscribe, end to end", () => {
  let stack: Stack;
  let op: ScriptedUser;
  const people: Record<number, ScriptedUser> = {};

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_DAYTIME, adminIds: [OPERATOR] });
    op = stack.tg.user({ id: OPERATOR, first_name: "Оператор", language_code: "ru" });
    await chooseLanguage(op, "ru");
    expect(await answerTo(op, "/stop")).toBe(L("ru", "subscription.stopped"));
    for (const [id, lang] of [
      [RU, "ru"],
      [KK, "kk"],
      [STAYS_OFF, "ru"],
    ] as const) {
      people[id] = stack.tg.user({ id, first_name: `P${id}`, language_code: lang });
      await chooseLanguage(people[id], lang);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const person = (id: number) => people[id] ?? stack.tg.user({ id, first_name: `P${id}` });
  const subscribed = async (id: number) =>
    (await query<{ subscribed: number }>(stack, "select subscribed from users where id = ?", id))[0]?.subscribed;

  it("/stop then /subscribe, each answered in the person's language and stored", async () => {
    for (const [id, lang] of [
      [RU, "ru"],
      [KK, "kk"],
    ] as const) {
      expect(await answerTo(person(id), "/stop")).toBe(L(lang, "subscription.stopped"));
      expect(await subscribed(id)).toBe(0);
      expect(await answerTo(person(id), "/subscribe")).toBe(L(lang, "subscription.subscribed"));
      expect(await subscribed(id)).toBe(1);
    }
    expect(await answerTo(person(STAYS_OFF), "/stop")).toBe(L("ru", "subscription.stopped"));
  });

  it("a broadcast after /subscribe reaches them in their language; whoever stayed with /stop gets nothing", async () => {
    const summary = await composeBroadcast(op, { ru: "Снова с нами: рассылка", kk: "Қайта бірге: таратылым" });
    await sendNow(op);
    expect(summary).toContain("Получателей сейчас: 2");
    await until(op, "Рассылка №1 завершена");
    const ru = await until(person(RU), "Снова с нами");
    expect(ru.text).toContain("/stop");
    const kk = await until(person(KK), "Қайта бірге");
    expect(kk.text).toContain("/stop");
    expect(
      person(STAYS_OFF)
        .messages()
        .filter((m) => (m.text ?? "").includes("Снова с нами")),
    ).toEqual([]);
    expect(
      await query(
        stack,
        "select user_id, language, status from broadcast_recipients where broadcast_id = 1 order by user_id",
      ),
    ).toEqual([
      { user_id: RU, language: "ru", status: "sent" },
      { user_id: KK, language: "kk", status: "sent" },
    ]);
  });
});
