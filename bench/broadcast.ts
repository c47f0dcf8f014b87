// Broadcast: one message to each of N subscribers while the emulator enforces Telegram's limits (30/s overall,
// 1/s per chat, 429 with retry_after beyond), composed by an operator through /broadcast like a real one; the bot
// is killed with SIGKILL at chosen points and restarted. Rate while sending, 429s, lost and doubled recipients,
// and the time from each kill to the first message sent after it.
import Database from "better-sqlite3";
import type { CallEvent } from "../scripts/emulator/index.js";
import { composeBroadcast, sendNow } from "../scripts/stack/broadcast-flow.js";
import { chooseLanguage, until } from "../scripts/stack/flow.js";
import { startStack } from "../scripts/stack/harness.js";

// Inside the 2026 campaign but on no reminder day: only this broadcast goes out.
const CLOCK = "2026-09-15T11:00:00+05:00";
const OPERATOR = 9001;
const FIRST = 40_000_000;
const RU = "Бенчмарк рассылки: приём продлён до 20:00";
const KK = "Таратылым бенчмаркі: қабылдау 20:00-ге дейін ұзартылды";

export interface BroadcastResult {
  recipients: number;
  configuredRate: number;
  /** Messages per second over the time the bot was up and sending. */
  sendingRate: number;
  tooManyRequests: number;
  kills: number;
  lost: number;
  duplicates: number;
  resumeSeconds: number[];
  totalSeconds: number;
}

export async function broadcastBench(n: number, kills: number, rate = 28): Promise<BroadcastResult> {
  const stack = await startStack({
    clockStart: CLOCK,
    adminIds: [OPERATOR],
    env: { LOG_LEVEL: "warn", BROADCAST_RATE: String(rate) },
  });
  const { tg } = stack;
  try {
    const op = tg.user({ id: OPERATOR, first_name: "Оператор", language_code: "ru" });
    await chooseLanguage(op, "ru");
    op.command("/stop"); // the operator composes but does not receive
    await until(op, "отключены");
    const db = new Database(stack.dbPath);
    const insert = db.prepare(
      "insert into users (id, language, first_seen, last_seen, blocked, subscribed) values (?, ?, ?, ?, 0, 1)",
    );
    db.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(FIRST + i, i % 2 ? "kk" : "ru", CLOCK, CLOCK);
    })();
    db.close();
    for (let i = 0; i < n; i++) tg.user({ id: FIRST + i, first_name: `U${i}` });

    // Every delivery, by chat, with its time; kept by our own listener (the emulator's call log is bounded).
    const got = new Map<number, number>();
    const times: number[] = [];
    let onDelivery: (() => void) | undefined;
    tg.on("call", (c: CallEvent) => {
      if (!c.ok || c.method !== "sendMessage") return;
      const text = String(c.params["text"] ?? "");
      const chat = Number(c.params["chat_id"]);
      if (chat === OPERATOR || !(text.startsWith(RU) || text.startsWith(KK))) return;
      got.set(chat, (got.get(chat) ?? 0) + 1);
      times.push(performance.now());
      onDelivery?.();
    });
    const deliveries = (k: number) =>
      new Promise<void>((resolve) => {
        if (times.length >= k) return resolve();
        onDelivery = () => {
          if (times.length < k) return;
          onDelivery = undefined;
          resolve();
        };
      });

    await composeBroadcast(op, { ru: RU, kk: KK });
    await sendNow(op);
    tg.setRateLimit({ global: 30, perChat: 1 }); // from here on, Telegram's limits
    const limited0 = tg.stats().tooManyRequests;

    const t0 = performance.now();
    let down = 0;
    const resumeSeconds: number[] = [];
    for (let k = 1; k <= kills; k++) {
      await deliveries(Math.floor((n * k) / (kills + 1)));
      const killedAt = performance.now();
      const restarted = stack.crashAndRestart();
      const before = times.length;
      await restarted;
      await deliveries(before + 1);
      const resumed = performance.now();
      resumeSeconds.push((resumed - killedAt) / 1000);
      down += resumed - killedAt;
    }
    // Done when every recipient has had one; a late duplicate in flight would show in the count below.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (got.size < n) return;
        onDelivery = undefined;
        resolve();
      };
      onDelivery = check;
      check();
    });
    const total = performance.now() - t0;
    const counts = [...got.values()];
    return {
      recipients: n,
      configuredRate: rate,
      sendingRate: times.length / ((total - down) / 1000),
      tooManyRequests: tg.stats().tooManyRequests - limited0,
      kills,
      lost: n - got.size,
      duplicates: counts.reduce((a, c) => a + Math.max(0, c - 1), 0),
      resumeSeconds,
      totalSeconds: total / 1000,
    };
  } finally {
    await stack.stop();
  }
}
