import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../scripts/emulator/index.js";
import { composeBroadcast, sendNow } from "../../scripts/stack/broadcast-flow.js";
import { ChatWatch } from "../../scripts/stack/chat-watch.js";
import { act, applicationSteps, personIin, type Lang } from "../../scripts/stack/citizen-flow.js";
import { startCluster, type Cluster } from "../../scripts/stack/cluster.js";
import { chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { testsOnPostgres } from "../../scripts/stack/postgres.js";
import { rawSqlAt } from "../fixtures/database.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

// Three instances in webhook mode on one PostgreSQL database behind a round-robin forwarder (scripts/stack/cluster.ts).
// Runs with TEST_DATABASE=postgres (the README's PostgreSQL test command); SQLite is one process by design.
const CITIZENS = Number(process.env.SCALE_OUT_CITIZENS ?? 1000);
const FIRST_ID = 30_000_000;
const OPERATOR = 29_999_999;

/** Whether an instance runs the background senders now, from its /metrics. */
async function leads(cluster: Cluster, i: number): Promise<boolean> {
  if (cluster.instances[i]?.bot.proc.exitCode !== null) return false;
  return /^emhana_leader 1$/m.test(await cluster.get(i, "/metrics").catch(() => ""));
}

describe.skipIf(!testsOnPostgres())("three instances on PostgreSQL behind one webhook URL", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({
      instances: 3,
      clockStart: IN_CAMPAIGN_DAYTIME,
      env: { RATE_LIMIT_PER_MINUTE: "600", BROADCAST_RATE: "30", ADMIN_IDS: String(OPERATOR) },
    });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it(`${CITIZENS} citizens apply at once; an instance killed mid-load: each gets one request, every chat's replies in order`, async () => {
    const ids = Array.from({ length: CITIZENS }, (_, i) => FIRST_ID + i);
    const steps = { ru: applicationSteps("ru", ""), kk: applicationSteps("kk", "") };
    const langOf = (id: number): Lang => (id % 2 ? "kk" : "ru");
    // Each reply's step as it was sent (before later edits take its buttons away): a chat's must never go back. The
    // greeting after the language ("Емхана…") is left out: later messages name the bot too.
    const sent = new Map<number, number[]>();
    const onMessage = (m: StoredMessage) => {
      const list = steps[langOf(m.chat.id)];
      let step = -1;
      list.forEach((s, i) => {
        if (s.name !== "language" && s.ready(m)) step = i;
      });
      if (step >= 0) sent.set(m.chat.id, [...(sent.get(m.chat.id) ?? []), step]);
    };
    cluster.tg.on("message", onMessage);
    const watch = new ChatWatch(cluster.tg);
    const total = CITIZENS * steps.ru.length;
    let done = 0;
    let killed: Promise<void> | undefined;
    try {
      await Promise.all(
        ids.map(async (id) => {
          const lang = langOf(id);
          const u = cluster.tg.user({ id, first_name: `Citizen ${id}`, language_code: lang });
          let last: StoredMessage | undefined;
          for (const step of applicationSteps(lang, personIin(id - FIRST_ID))) {
            const replied = watch.next(id, step.ready, 240_000);
            act(u, step, last, lang, id);
            last = await replied;
            // Mid-load, one instance dies without a goodbye: its updates in flight fail and are delivered again.
            if (++done === Math.floor(total * 0.4)) killed = cluster.kill(1);
          }
        }),
      );
      await killed;
    } finally {
      watch.close();
      cluster.tg.off("message", onMessage);
    }

    expect(cluster.forwarded[1]).toBeGreaterThan(0);
    const { rows } = await rawSqlAt<{ user_id: number; n: number }>(
      cluster.databaseUrl,
      "SELECT user_id, count(*) AS n FROM requests GROUP BY user_id",
    );
    expect(rows).toHaveLength(CITIZENS);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const backwards = [...sent].filter(([, seq]) => seq.some((s, i) => i > 0 && s < (seq[i - 1] ?? 0)));
    expect(backwards).toEqual([]);
    expect(sent.size).toBe(CITIZENS);
  }, 600_000);

  it("the instance sending a broadcast is killed; another takes over and finishes it, at most one message twice", async () => {
    const op = cluster.tg.user({ id: OPERATOR, first_name: "Оператор", language_code: "ru" });
    await chooseLanguage(op, "ru");
    op.command("/stop");
    await until(op, L("ru", "subscription.stopped"));
    const text = "Проверка рассылки при отказе экземпляра";
    await composeBroadcast(op, { ru: text, kk: "Дана тексеру" });
    await sendNow(op);

    const received = new Map<number, number>();
    let leaderKilled: Promise<void> | undefined;
    const gotIt = (m: StoredMessage) => {
      if (!/Проверка рассылки|Дана тексеру/.test(m.text ?? "")) return;
      received.set(m.chat.id, (received.get(m.chat.id) ?? 0) + 1);
      if (received.size === Math.floor(CITIZENS / 4) && !leaderKilled) {
        leaderKilled = (async () => {
          for (let i = 0; i < cluster.instances.length; i++) if (await leads(cluster, i)) return cluster.kill(i);
          throw new Error("no instance says it leads");
        })();
      }
    };
    cluster.tg.on("message", gotIt);
    try {
      await cluster.tg.waitForCondition("every citizen has the broadcast", () => received.size === CITIZENS, {
        timeout: 240_000,
      });
    } finally {
      cluster.tg.off("message", gotIt);
    }
    await leaderKilled;
    const alive = cluster.instances.filter((x) => x.bot.proc.exitCode === null && x.bot.proc.signalCode === null);
    expect(alive).toHaveLength(1);
    const twice = [...received.values()].filter((n) => n > 1).length;
    expect(twice).toBeLessThanOrEqual(1);
    expect([...received.values()].every((n) => n <= 2)).toBe(true);
  }, 300_000);
});
