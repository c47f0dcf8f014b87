import { Api } from "grammy";
import type { Db } from "../../../data/db.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import type { RequestStatus } from "../../../data/schema/requests.js";
import type { Deps } from "../../../bot/context.js";
import { createI18n } from "../../../bot/i18n.js";
import { createLogger } from "../../../bot/logger.js";
import { createRulesService, policyKey } from "../../../bot/rules-service.js";
import { policyForYear } from "../../../data/datasets/load-rules-data.js";
import { putSetting } from "../../../data/repositories/settings.js";
import { createDeps } from "../../../bot/deps.js";
import { startEmulator, type Emulator } from "../../../scripts/emulator/index.js";
import { openTestDatabase } from "../../fixtures/database.js";
import { insertRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";

export interface Setup {
  db: Db;
  deps: Deps;
  tg: Emulator;
  api: Api;
  /** The injected clock: tests move it. */
  clock: { t: number; now(): Date; set(iso: string): void };
  close(): Promise<void>;
}

export async function setup(opts: { now: string; rate?: number; seedDirectory?: boolean }): Promise<Setup> {
  const database = await openTestDatabase();
  if (opts.seedDirectory) await seedDirectoryIfEmpty(database.db, new Date(opts.now));
  const clock = {
    t: new Date(opts.now).getTime(),
    now() {
      return new Date(this.t);
    },
    set(iso: string) {
      this.t = new Date(iso).getTime();
    },
  };
  const deps: Deps = createDeps({
    db: database.db,
    vault: testVault,
    config: { adminIds: [], broadcastRate: opts.rate ?? 500, rateLimitPerMinute: 60 },
    clock,
    log: createLogger("silent"),
    i18n: await createI18n(),
    rules: createRulesService(database.db),
  });
  const tg = await startEmulator();
  const api = new Api(tg.token, { apiRoot: tg.url });
  return {
    db: database.db,
    deps,
    tg,
    api,
    clock,
    async close() {
      await tg.close();
      await database.dispose();
    },
  };
}

export async function addUsers(
  db: Db,
  ids: number[],
  values: { language?: "ru" | "kk" | null; languageCode?: string; subscribed?: number; blocked?: number } = {},
): Promise<void> {
  const at = "2026-01-01T00:00:00.000Z";
  for (let i = 0; i < ids.length; i += 200) {
    await db
      .insertInto("users")
      .values(
        ids.slice(i, i + 200).map((id) => ({
          id,
          language: values.language === undefined ? "ru" : values.language,
          language_code: values.languageCode ?? null,
          first_seen: at,
          last_seen: at,
          subscribed: values.subscribed ?? 1,
          blocked: values.blocked ?? 0,
        })),
      )
      .execute();
  }
}

/** The emulator answers "chat not found" for people it does not know. */
export function knownChats(tg: Emulator, ids: number[]): void {
  for (const id of ids) tg.user({ id, first_name: `U${id}` });
}

export async function addRequest(
  db: Db,
  userId: number,
  r: { status: RequestStatus; settlementId?: string; submittedAt: string },
): Promise<void> {
  await insertRequest(db, {
    user_id: userId,
    region_id: "r",
    settlement_id: r.settlementId ?? "s",
    clinic_id: "c",
    status: r.status,
    submitted_at: r.submittedAt,
    decision_due: r.submittedAt.slice(0, 10),
    effective_from: null,
  });
}

/** A worker option and a promise for its next idle moment (the sender ran out of work). */
export function idleSignal(): { onIdle: () => void; next(): Promise<void> } {
  let waiters: (() => void)[] = [];
  return {
    onIdle: () => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

/** An admin confirms the 2026 campaign (the policy override for the year, with what it rests on): reminders go. */
export async function confirmCampaign(x: Pick<Setup, "db">): Promise<void> {
  const shipped = policyForYear(2026);
  const confirmed = {
    ...shipped,
    status: "confirmed",
    sources: [...shipped.sources, { source: "the Ministry's order on the 2026 campaign (test)", date: "2026-08-20" }],
  };
  await putSetting(x.db, policyKey(2026), confirmed, new Date().toISOString(), 1);
}
