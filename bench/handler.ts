// Handler time: the real bot in-process on a real SQLite file, each update handed to grammY's handleUpdate and
// timed alone, Telegram answered in-process by the emulator (no HTTP). N citizens are mid-flow at once, their
// updates interleaved step by step; the flow's state each leaves behind (its draft row) is measured after every step.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import type { KyselyPlugin } from "kysely";
import { clockFrom } from "../bot/clock.js";
import { createBot } from "../bot/create-bot.js";
import type { Deps } from "../bot/context.js";
import { createI18n } from "../bot/i18n.js";
import { createLogger } from "../bot/logger.js";
import { createRulesService } from "../bot/rules-service.js";
import { createDeps } from "../bot/deps.js";
import { seedDirectoryIfEmpty } from "../data/datasets/load-directory.js";
import { openDatabase } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { Emulator, type StoredMessage } from "../scripts/emulator/index.js";
import { IN_CAMPAIGN } from "./apply.js";
import {
  act,
  applicationSteps,
  personIin,
  STEP_NAMES,
  type Lang,
  type StepName,
} from "../scripts/stack/citizen-flow.js";
import { nowMs, summarize, type Summary } from "./lib/stats.js";
import { newSecret, Vault } from "../data/vault.js";

export interface HandlerResult {
  users: number;
  perStep: Partial<Record<StepName, Summary>>;
  all: Summary;
  /** The flow's stored state (its draft row: sealed JSON, and any conversation state) after each step, per user. */
  stateBytes: Partial<Record<StepName, { max: number; mean: number }>>;
  /** SQL statements and Bot API calls per update of each step (means over the people; deterministic, not timed). */
  work: Partial<Record<StepName, { statements: number; calls: number }>>;
}

/** Counts the statements a database sends (a kysely plugin: every executed query returns through it once). */
function countingStatements(counter: { statements: number }): KyselyPlugin {
  return {
    transformQuery: (args) => args.node,
    // Counted by their results: precompiled queries (data/precompiled.ts) skip transformQuery.
    transformResult: async (args) => {
      counter.statements++;
      return args.result;
    },
  };
}

/** A fetch that answers grammY from the emulator in-process: every call still goes through its checks. */
function emulatorFetch(tg: Emulator, counter: { calls: number }): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const method = String(input).split("/").at(-1) ?? "";
    counter.calls++;
    if (init?.body !== undefined && typeof init.body !== "string")
      throw new Error(`${method}: only JSON bodies are routed in-process`);
    const answer = await tg.call(method, init?.body ? (JSON.parse(init.body) as Record<string, unknown>) : {});
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

export async function handlerBench(n: number): Promise<HandlerResult> {
  const dir = mkdtempSync(join(tmpdir(), "emhana-bench-handler-"));
  const database = openDatabase(`file:${join(dir, "bot.sqlite")}`);
  try {
    await migrateToLatest(database.db);
    await seedDirectoryIfEmpty(database.db);
    const tg = new Emulator();
    const counter = { statements: 0, calls: 0 };
    const db = database.db.withPlugin(countingStatements(counter));
    const deps: Deps = createDeps({
      db,
      vault: new Vault(newSecret()),
      config: { adminIds: [], broadcastRate: 28, rateLimitPerMinute: 1_000 },
      clock: clockFrom(new Date(IN_CAMPAIGN)),
      log: createLogger("silent"),
      i18n: await createI18n(),
      rules: createRulesService(db),
    });
    const bot = createBot(deps, { token: tg.token, client: { fetch: emulatorFetch(tg, counter) } });
    await bot.init(); // getMe, answered by the emulator in-process
    const pending: Update[] = [];
    tg.on("update", (u) => pending.push(u as unknown as Update));
    const people = Array.from({ length: n }, (_, i) => {
      const lang: Lang = i % 2 ? "kk" : "ru";
      return {
        i,
        lang,
        u: tg.user({ id: 30_000_000 + i, first_name: `Citizen ${i}`, language_code: lang }),
        steps: applicationSteps(lang, personIin(i)),
        last: undefined as StoredMessage | undefined,
      };
    });
    const perStep: Partial<Record<StepName, Summary>> = {};
    const stateBytes: HandlerResult["stateBytes"] = {};
    const all: number[] = [];
    const work: HandlerResult["work"] = {};
    for (const [k, name] of STEP_NAMES.entries()) {
      const ms: number[] = [];
      const before = { ...counter };
      for (const p of people) {
        const step = p.steps[k];
        if (!step) throw new Error(`no step ${name}`);
        act(p.u, step, p.last, p.lang, p.i);
        const update = pending.shift();
        if (!update || pending.length) throw new Error(`step ${name}: expected exactly one update`);
        const t0 = nowMs();
        await bot.handleUpdate(update);
        ms.push(nowMs() - t0);
        p.last = p.u.messages().findLast((m) => step.ready(m));
        if (!p.last)
          throw new Error(
            `step ${name}: no expected reply; got:\n${p.u.transcript().split("\n").slice(-3).join("\n")}`,
          );
      }
      perStep[name] = summarize(ms);
      work[name] = {
        statements: (counter.statements - before.statements) / n,
        calls: (counter.calls - before.calls) / n,
      };
      all.push(...ms);
      const sizes = (
        database.sqlite
          .prepare(
            `select coalesce(length(d.data), 0) + coalesce((select length(value) from conversation_state
               where key = 'conv:' || d.user_id), 0) as n from drafts d`,
          )
          .all() as { n: number }[]
      ).map((r) => r.n);
      stateBytes[name] = {
        max: Math.max(0, ...sizes),
        mean: sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0,
      };
    }
    return { users: n, perStep, all: summarize(all), stateBytes, work };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
