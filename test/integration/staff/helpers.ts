import type { Deps } from "../../../bot/context.js";
import { createI18n } from "../../../bot/i18n.js";
import { createLogger } from "../../../bot/logger.js";
import { createRulesService } from "../../../bot/rules-service.js";
import { createDeps } from "../../../bot/deps.js";
import type { Db } from "../../../data/db.js";

/** A pending request written straight into the database; columns overridable. */
export { insertRequest as addRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";

export async function clinicCounts(db: Db, id: string): Promise<{ attached: number; capacity: number }> {
  return db.selectFrom("clinics").select(["attached", "capacity"]).where("id", "=", id).executeTakeFirstOrThrow();
}

export async function setClinic(db: Db, id: string, v: { attached: number; capacity: number }): Promise<void> {
  await db.updateTable("clinics").set(v).where("id", "=", id).execute();
}

/** The bot's dependencies over a test database, at a fixed instant, logging nothing. */
export async function staffDeps(db: Db, now: Date): Promise<Deps> {
  return createDeps({
    db,
    vault: testVault,
    config: { adminIds: [], broadcastRate: 28, rateLimitPerMinute: 60 },
    clock: { now: () => now },
    log: createLogger("silent"),
    i18n: await createI18n(),
    rules: createRulesService(db),
  });
}
