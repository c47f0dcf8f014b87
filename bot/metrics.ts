import type { MiddlewareFn } from "grammy";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Db } from "../data/db.js";
import { pendingNotices } from "../data/repositories/outbox.js";
import type { BaseContext } from "./context.js";

/**
 * What the bot counts for whoever runs it, in Prometheus's text format (GET /metrics). One registry per bot: two bots
 * in one process count apart. Requests by status are read from the tallies the database keeps, so every instance
 * reports the same truth.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly updates: Counter<"kind">;
  readonly handling: Histogram<"kind">;
  readonly errors: Counter<"kind">;
  readonly broadcastMessages: Counter<"outcome">;
  readonly broadcast429: Counter;
  readonly outboxMessages: Counter<"outcome">;
  readonly dbWait: Histogram;
  readonly commitBatch: Histogram;
  readonly leader: Gauge;

  constructor(db?: Db) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "emhana_" });
    this.updates = new Counter({
      name: "emhana_updates_total",
      help: "Updates handled, by kind",
      labelNames: ["kind"],
      registers,
    });
    this.handling = new Histogram({
      name: "emhana_update_seconds",
      help: "Time to handle one update, replies included",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({
      name: "emhana_update_errors_total",
      help: "Updates that failed (the person got the polite error message)",
      labelNames: ["kind"],
      registers,
    });
    this.broadcastMessages = new Counter({
      name: "emhana_broadcast_messages_total",
      help: "Broadcast and reminder messages, by outcome (sent, blocked, failed, retry)",
      labelNames: ["outcome"],
      registers,
    });
    this.broadcast429 = new Counter({
      name: "emhana_broadcast_429_total",
      help: "429 answers Telegram gave the broadcast sender",
      registers,
    });
    this.outboxMessages = new Counter({
      name: "emhana_outbox_messages_total",
      help: "Tries of messages owed after a stored change (decisions, documents, withdrawals), by outcome (sent, blocked, failed, retry)",
      labelNames: ["outcome"],
      registers,
    });
    this.dbWait = new Histogram({
      name: "emhana_db_pool_wait_seconds",
      help: "Time an update waited for its database connection and its chat's lock (PostgreSQL)",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.commitBatch = new Histogram({
      name: "emhana_commit_batch_updates",
      help: "Updates whose writes were stored by one commit (SQLite: the updates that end together commit together)",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.leader = new Gauge({
      name: "emhana_leader",
      help: "1 while this instance sends broadcasts, reminders and owed messages (one instance at a time)",
      registers,
    });
    if (db) {
      new Gauge({
        name: "emhana_outbox_pending",
        help: "Messages owed after a stored change and not sent yet",
        registers,
        async collect() {
          this.set(await pendingNotices(db));
        },
      });
      new Gauge({
        name: "emhana_requests",
        help: "Requests by status (filed in all: their sum; decided: approved and rejected)",
        labelNames: ["status"],
        registers,
        async collect() {
          const rows = await db
            .selectFrom("request_tally")
            .select(["key", (eb) => eb.fn.sum<number>("n").as("n")])
            .where("scope", "=", "*")
            .where("grain", "=", "m")
            .where("facet", "=", "status")
            .groupBy("key")
            .execute();
          this.reset();
          for (const r of rows) this.set({ status: r.key }, Number(r.n));
        },
      });
    }
  }

  /** PostgreSQL: updates and queries waiting for a connection now, read when scraped. */
  watchPool(waiting: () => number): void {
    new Gauge({
      name: "emhana_db_pool_waiting",
      help: "Updates and queries waiting for a database connection now",
      registers: [this.registry],
      collect() {
        this.set(waiting());
      },
    });
  }

  /** Counts every update and times it; a failure is counted and goes on to the error boundary. */
  middleware<C extends BaseContext>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      const kind = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
      this.updates.inc({ kind });
      const stop = this.handling.startTimer({ kind });
      try {
        await next();
      } catch (err) {
        this.errors.inc({ kind });
        throw err;
      } finally {
        stop();
      }
    };
  }
}
