import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Emulator, ScriptedUser } from "../../scripts/emulator/index.js";
import { composeBroadcast } from "../../scripts/stack/broadcast-flow.js";
import { chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { query, write } from "./staff-seed.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

// Inside the 2026 campaign, on no reminder day: only our broadcasts go out.
const OPERATOR = 9001;
const FAKE = 240; // inserted straight into the database
const FIRST_FAKE = 500_000;
const BLOCKED = new Set(Array.from({ length: FAKE }, (_, i) => FIRST_FAKE + i).filter((id) => id % 24 === 0));
const RU_TEXT = "Рассылка-тест: приём продлён до 20:00";
const KK_TEXT = "Таратылым-тест: қабылдау 20:00-ге дейін ұзартылды";
const APPLICANT = 7004;
const LATE_STOP = 900_001;

/** Successful sendMessage calls of the broadcast (one of the texts, not the operator's previews). */
function broadcastCalls(tg: Emulator, marker: string[] = [RU_TEXT, KK_TEXT]) {
  return tg.calls("sendMessage").filter((c) => {
    const text = String(c.params["text"] ?? "");
    return c.ok && marker.some((m) => text.startsWith(m)) && Number(c.params["chat_id"]) !== OPERATOR;
  });
}

/** Broadcast messages delivered, per chat. */
function delivered(tg: Emulator, marker: string[] = [RU_TEXT, KK_TEXT]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const c of broadcastCalls(tg, marker)) {
    const id = Number(c.params["chat_id"]);
    out.set(id, [...(out.get(id) ?? []), String(c.params["text"] ?? "")]);
  }
  return out;
}
const count = (m: Map<number, string[]>) => [...m.values()].reduce((s, v) => s + v.length, 0);

/**
 * A person's command sent mid-broadcast, and how many broadcast messages went out between the moment the update
 * was queued and the bot's first reply to it: replies have priority, so only the few already in flight.
 */
async function answeredMidBroadcast(
  tg: Emulator,
  u: ScriptedUser,
  command: string,
): Promise<{ between: number; deliveredAtReply: number }> {
  u.skip();
  const since = tg.lastCallSeq();
  u.command(command);
  const reply = await tg.waitForCall("sendMessage", {
    since,
    predicate: (c) => c.ok && Number(c.params["chat_id"]) === u.id,
    timeout: 10_000,
  });
  const calls = broadcastCalls(tg);
  return {
    between: calls.filter((c) => c.seq > since && c.seq < reply.seq).length,
    deliveredAtReply: calls.filter((c) => c.seq < reply.seq).length,
  };
}

/** All subscribers get both texts; an audience by language (Қазақша here) is asked its one text only. */
const compose = (op: ScriptedUser, audience: string, language?: string) =>
  composeBroadcast(
    op,
    language
      ? { kk: KK_TEXT, audience, language }
      : { ru: RU_TEXT, kk: KK_TEXT, ruEntities: [{ type: "bold", offset: 0, length: 14 }], audience },
  );

describe("broadcasts end to end, at Telegram's limits", () => {
  let stack: Stack;
  let op: ScriptedUser;
  const active: number[] = [];

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_DAYTIME, adminIds: [OPERATOR] });
    const { tg } = stack;
    // Two real people through /start, one in each language.
    await chooseLanguage(tg.user({ id: 7001, first_name: "Асель", language_code: "ru" }), "ru");
    await chooseLanguage(tg.user({ id: 7002, first_name: "Данияр", language_code: "kk" }), "kk");
    op = tg.user({ id: OPERATOR, first_name: "Оператор", language_code: "ru" });
    await chooseLanguage(op, "ru");
    op.command("/stop"); // the operator composes but is not a recipient
    await until(op, "отключены");
    // Someone who will /apply during the broadcast: not a recipient (so Telegram's 1/s per chat is theirs).
    const applicant = tg.user({ id: APPLICANT, first_name: "Айбек", language_code: "ru" });
    await chooseLanguage(applicant, "ru");
    applicant.command("/stop");
    await until(applicant, "отключены");
    // A recipient whose turn comes last (the highest id), who sends /stop while the broadcast is on its way.
    await chooseLanguage(tg.user({ id: LATE_STOP, first_name: "Жанар", language_code: "ru" }), "ru");
    // Hundreds more, cheaply: rows in the users table, and chats the emulator knows.
    const fakes = Array.from({ length: FAKE }, (_, i) => [
      FIRST_FAKE + i,
      i % 2 ? "kk" : "ru",
      IN_CAMPAIGN_DAYTIME,
      IN_CAMPAIGN_DAYTIME,
    ]);
    await write(
      stack,
      `insert into users (id, language, first_seen, last_seen, blocked, subscribed)
       values ${fakes.map(() => "(?, ?, ?, ?, 0, 1)").join(", ")}`,
      ...fakes.flat(),
    );
    for (let i = 0; i < FAKE; i++) {
      const id = FIRST_FAKE + i;
      tg.user({ id, first_name: `U${i}` });
      if (BLOCKED.has(id)) tg.block(id);
      else active.push(id);
    }
    active.push(7001, 7002);
  });
  afterEach(() => {
    stack?.tg.setRateLimit(undefined);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("every active subscriber gets exactly one message in their language; a crash loses no one and duplicates at most one; a /stop on the way is honoured; replies keep priority", async () => {
    const { tg } = stack;
    const total = FAKE + 3;
    const summary = await compose(op, "Всем подписчикам");
    expect(summary).toContain(`Получателей сейчас: ${total}`);
    // The previews show both versions with the unsubscribe line.
    expect(op.messages().some((m) => m.text?.startsWith(RU_TEXT) && m.text.includes("/stop"))).toBe(true);
    expect(op.messages().some((m) => m.text?.startsWith(KK_TEXT) && m.text.includes("/stop"))).toBe(true);

    const started = Date.now();
    await tap(op, "🚀 Отправить сейчас");
    await until(op, "запущена");
    // Telegram's limits from here on (the operator's quick taps above would trip the per-chat one).
    tg.setRateLimit({ global: 30, perChat: 1 });
    const last = await query<{ user_id: number }>(
      stack,
      "select user_id from broadcast_recipients where broadcast_id = 1 order by id desc limit 1",
    );
    expect(last).toEqual([{ user_id: LATE_STOP }]);

    // Mid-broadcast, people are answered at once: between their update and the reply only the few broadcast
    // messages already in flight go out (28/s), while most recipients are still waiting.
    await tg.waitForCondition("broadcast progress", () => count(delivered(tg)) >= 30, { timeout: 25_000 });
    const help = await answeredMidBroadcast(
      tg,
      tg.user({ id: 7003, first_name: "Ерлан", language_code: "ru" }),
      "/help",
    );
    const apply = await answeredMidBroadcast(tg, tg.user({ id: APPLICANT, first_name: "Айбек" }), "/apply"); // a conversation's reply
    for (const r of [help, apply]) {
      expect(r.between).toBeLessThanOrEqual(8);
      expect(r.deliveredAtReply).toBeLessThan(total / 2);
    }
    // The last recipient sends /stop now: they get nothing from this broadcast.
    const late = tg.user({ id: LATE_STOP, first_name: "Жанар" });
    late.skip();
    late.command("/stop");
    await until(late, "отключены");

    // Hard kill in the middle; the restarted bot resumes.
    await tg.waitForCondition("broadcast progress", () => count(delivered(tg)) >= 100, { timeout: 25_000 });
    const killedAt = Date.now();
    await stack.crashAndRestart();
    const down = (Date.now() - killedAt) / 1000;
    const finished = await op.waitFor((m) => m.text?.includes("Рассылка №1 завершена") ?? false, { timeout: 25_000 });
    const seconds = (Date.now() - started) / 1000;

    const got = delivered(tg);
    expect(active.filter((id) => !got.has(id))).toEqual([]);
    const twice = [...got.entries()].filter(([, texts]) => texts.length > 1);
    expect(twice.length).toBeLessThanOrEqual(1); // the one in flight at the kill, if it had gone out
    // Everyone else exactly once, and every message in the language stored for that person.
    const language = new Map(
      (await query<{ id: number; language: string | null }>(stack, "select id, language from users")).map((u) => [
        u.id,
        u.language ?? "ru",
      ]),
    );
    for (const id of active) {
      const texts = got.get(id) ?? [];
      expect(texts.length, String(id)).toBe(twice.some(([t]) => t === id) ? 2 : 1);
      const own = language.get(id) === "kk" ? KK_TEXT : RU_TEXT;
      expect(
        texts.every((t) => t.startsWith(`${own}\n\n`) && t.includes("/stop")),
        `${id} in ${language.get(id)}`,
      ).toBe(true);
    }
    expect(new Set([...language.values()])).toEqual(new Set(["ru", "kk"]));
    for (const id of [...BLOCKED, LATE_STOP, APPLICANT, 7003]) expect(got.has(id), String(id)).toBe(false);
    expect(finished.text).toContain(`заблокировали бота ${BLOCKED.size}`);
    expect(finished.text).toContain("отписались (/stop) 1");

    const blockedRows = await query<{ id: number }>(stack, "select id from users where blocked = 1");
    const states = await query(
      stack,
      "select status, count(*) n from broadcast_recipients where broadcast_id = 1 group by status, error order by status, error",
    );
    expect(new Set(blockedRows.map((r) => r.id))).toEqual(BLOCKED);
    expect(states).toEqual([
      { status: "blocked", n: BLOCKED.size },
      { status: "sent", n: active.length },
      { status: "skipped", n: 1 }, // LATE_STOP
    ]);
    expect(await query(stack, "select status, error from broadcast_recipients where user_id = ?", LATE_STOP)).toEqual([
      { status: "skipped", error: "unsubscribed" },
    ]);
    expect(
      await query(stack, "select actor_id, action, details from audit_log where action like 'broadcast_%' order by id"),
    ).toEqual([
      {
        actor_id: OPERATOR,
        action: "broadcast_create",
        details: JSON.stringify({ broadcast: 1, audience: "all", recipients: total, scheduled: false }),
      },
    ]);
    // Measured: roughly 28 messages a second including the restart, and Telegram's limits were never exceeded by
    // the broadcast (a 429 would pause it; none expected).
    const sending = seconds - down;
    const times = broadcastCalls(tg).map((c) => c.at);
    const steady = ((times[90] ?? 0) - (times[30] ?? 0)) / 1000; // before the kill
    console.info(
      `broadcast: ${count(got)} messages in ${seconds.toFixed(1)} s, ${down.toFixed(1)} s of it restarting: ${(count(got) / sending).toFixed(1)}/s while up, ${(60 / steady).toFixed(1)}/s steady; 429s: ${tg.stats().tooManyRequests}; broadcast messages before a reply: /help ${help.between}, /apply ${apply.between}`,
    );
  });

  it("/broadcasts shows progress; pause stops sending at once, resume continues, cancel ends it", async () => {
    const { tg } = stack;
    const summary = await compose(op, "По языку", "Қазақша");
    const expected = Number(/Получателей сейчас: (\d+)/.exec(summary)?.[1]);
    expect(expected).toBe(FAKE / 2 - [...BLOCKED].filter((id) => (id - FIRST_FAKE) % 2 === 1).length + 1);
    const before = count(delivered(tg));
    await tap(op, "🚀 Отправить сейчас");
    await until(op, "запущена");
    tg.setRateLimit({ global: 30, perChat: 1 });
    // Over a second after the bot's last message to the operator: Telegram's 1/s per chat applies to replies too.
    await tg.waitForCondition("broadcast progress", () => count(delivered(tg)) >= before + 40, { timeout: 25_000 });

    op.command("/broadcasts");
    const list = await until(op, "№2");
    expect(list.text).toContain("📤 отправляется");
    expect(list.text).toContain("✅ завершена"); // №1
    expect(list.text).toMatch(/Скорость \d+\.\d сообщ\.\/с · осталось примерно \d+ с/);
    // №1 is done: its average rate over the whole send (a restart included), never "0.0", and no time left.
    const first = list.text?.split("\n\n").find((card) => card.startsWith("№1 ")) ?? "";
    expect(first).toMatch(/Средняя скорость (\d+\.\d) сообщ\.\/с · длительность \d+ с/);
    expect(Number(/Средняя скорость (\d+\.\d)/.exec(first)?.[1])).toBeGreaterThan(1);
    expect(first).not.toContain("осталось примерно");
    await op.press("⏸ Пауза №2", { message: list }).answer();
    const atPause = count(delivered(tg));
    await op.waitFor((m) => m.message_id === list.message_id && (m.text?.includes("⏸ на паузе") ?? false));
    // A round trip through the bot (a button press is answered): by then at most the one message in flight at the
    // pause went out.
    await op.press("🔄 Обновить", { message: list }).answer();
    expect(count(delivered(tg))).toBeLessThanOrEqual(atPause + 1);
    const stopped = count(delivered(tg));
    expect(stopped - before).toBeLessThan(expected);

    await op.press("▶️ Продолжить №2", { message: list }).answer();
    await tg.waitForCondition("broadcast progress", () => count(delivered(tg)) >= stopped + 10, { timeout: 25_000 });
    await op.press("✖️ Отменить №2", { message: list }).answer();
    const atCancel = count(delivered(tg));
    await op.waitFor((m) => m.message_id === list.message_id && (m.text?.includes("✖️ отменена") ?? false));
    await op.press("🔄 Обновить", { message: list }).answer();
    expect(count(delivered(tg))).toBeLessThanOrEqual(atCancel + 1);
    expect(count(delivered(tg)) - before).toBeLessThan(expected);
    // Who started, paused, resumed and cancelled it is in the audit log.
    const trail = await query<{ actor_id: number; action: string; details: string }>(
      stack,
      "select actor_id, action, details from audit_log where action like 'broadcast_%' and id > 1 order by id",
    );
    expect(
      trail.map((e) => [e.actor_id, e.action, (JSON.parse(e.details) as { broadcast: number }).broadcast]),
    ).toEqual([
      [OPERATOR, "broadcast_create", 2],
      [OPERATOR, "broadcast_pause", 2],
      [OPERATOR, "broadcast_resume", 2],
      [OPERATOR, "broadcast_cancel", 2],
    ]);
  });

  it("citizens and support cannot broadcast: to them the commands do not exist", async () => {
    const { tg } = stack;
    const support = tg.user({ id: 7010, first_name: "Сауле", language_code: "ru" });
    await chooseLanguage(support, "ru");
    op.command("/staff", "add 7010 support");
    await until(op, "Готово: 7010");
    await until(support, L("ru", "staff.roles.support"));
    const citizen = tg.user({ id: 7001, first_name: "Асель" });
    for (const u of [citizen, support]) {
      for (const command of ["broadcast", "broadcasts", "reminders"]) {
        u.skip();
        u.command(`/${command}`);
        // To a citizen staff commands do not exist; a support member is told the role lacks it.
        const expected =
          u === citizen
            ? L("ru", "common.unknown")
            : L("ru", "staff.not_for_role")
                .replace("{{command}}", command)
                .replace("{{role}}", L("ru", "staff.roles.support"));
        expect((await u.nextMessage()).text, `${u.id} ${command}`).toBe(expected);
      }
      // A forged list button changes nothing; only staff hear why (to a citizen it is any stale button).
      expect((await u.pressForged("bcx:resume:2").answer()).text).toBe(
        L("ru", u === citizen ? "common.stale_button" : "broadcast.not_allowed"),
      );
    }
    expect(await query(stack, "select status from broadcasts where id = 2")).toEqual([{ status: "cancelled" }]);
  });
});
