import { sql } from "kysely";
import { isPostgres, notStartingWith } from "./dialect.js";
import type { Db, Store } from "./db.js";
import { isSealed, type Purpose, type Vault } from "./vault.js";

/**
 * Sealing what is stored: the start-up step that seals rows written before sealing existed (migration 0011), and
 * the engine a key rotation uses. Work goes in batches, one transaction each, and a row is either all old or all
 * new: a crash leaves a consistent database and the next run picks up the rest. Rows already done are skipped,
 * so running it again changes nothing.
 */

export class KeyStateError extends Error {
  override name = "KeyStateError";
}

const BATCH = 500;

export interface ResealCounts {
  requests: number;
  attachments: number;
  drafts: number;
  conversations: number;
}

export function total(c: ResealCounts): number {
  return c.requests + c.attachments + c.drafts + c.conversations;
}

export interface ResealOptions {
  /** The prefix of a finished value: any sealed value (`s1:`), or one sealed with the new key (`s1:<id>:`). */
  done: string;
  batch?: number;
  /** Called after each committed batch (a rotation reports progress; a test stops there). */
  onBatch?: (counts: ResealCounts) => void;
}

function plainOf(vault: Vault, value: string, purpose: Purpose): string {
  return isSealed(value) ? vault.open(value, purpose) : value;
}

/** Seals (or re-seals under the vault's current key) every personal value not yet done; counts per table. */
export async function resealRows(store: Store, opts: ResealOptions): Promise<ResealCounts> {
  const { db, vault } = store;
  const batch = opts.batch ?? BATCH;
  const counts: ResealCounts = { requests: 0, attachments: 0, drafts: 0, conversations: 0 };
  const loop = async (step: (trx: Db) => Promise<number>, key: keyof ResealCounts) => {
    for (;;) {
      const n = await db.transaction().execute(step);
      if (n === 0) return;
      counts[key] += n;
      opts.onBatch?.({ ...counts });
    }
  };

  await loop(async (trx) => {
    const rows = await trx
      .selectFrom("requests")
      .select(["id", "iin_sealed"])
      .where("iin_sealed", "!=", "")
      .where((eb) => eb.or([eb("iin_index", "is", null), notStartingWith(trx, "iin_sealed", opts.done)]))
      .limit(batch)
      .execute();
    for (const r of rows) {
      const iin = plainOf(vault, r.iin_sealed, "iin");
      await trx
        .updateTable("requests")
        .set({ iin_sealed: vault.seal(iin, "iin"), iin_index: vault.index(iin) })
        .where("id", "=", r.id)
        .execute();
    }
    return rows.length;
  }, "requests");

  await loop(async (trx) => {
    // A row from before sealing has its plain IIN in iin_index and nothing sealed yet.
    const rows = await trx
      .selectFrom("attachments")
      .select(["iin_index", "iin_sealed"])
      .where((eb) => eb.or([eb("iin_sealed", "=", ""), notStartingWith(trx, "iin_sealed", opts.done)]))
      .limit(batch)
      .execute();
    for (const r of rows) {
      const iin = r.iin_sealed === "" ? r.iin_index : plainOf(vault, r.iin_sealed, "iin");
      await trx
        .updateTable("attachments")
        .set({ iin_sealed: vault.seal(iin, "iin"), iin_index: vault.index(iin) })
        .where("iin_index", "=", r.iin_index)
        .execute();
    }
    return rows.length;
  }, "attachments");

  await loop(async (trx) => {
    const rows = await trx
      .selectFrom("drafts")
      .select(["user_id", "data"])
      .where(notStartingWith(trx, "data", opts.done))
      .limit(batch)
      .execute();
    for (const r of rows) {
      const data = vault.seal(plainOf(vault, r.data, "draft"), "draft");
      await trx.updateTable("drafts").set({ data }).where("user_id", "=", r.user_id).execute();
    }
    return rows.length;
  }, "drafts");

  await loop(async (trx) => {
    const rows = await trx
      .selectFrom("conversation_state")
      .select(["key", "value"])
      .where(notStartingWith(trx, "value", opts.done))
      .limit(batch)
      .execute();
    for (const r of rows) {
      const value = vault.seal(plainOf(vault, r.value, "conversation"), "conversation");
      await trx.updateTable("conversation_state").set({ value }).where("key", "=", r.key).execute();
    }
    return rows.length;
  }, "conversations");

  return counts;
}

export async function vaultState(db: Db, name: "key_id" | "rotation"): Promise<string | undefined> {
  const row = await db.selectFrom("vault_state").select("value").where("name", "=", name).executeTakeFirst();
  return row?.value;
}

export async function setVaultState(db: Db, name: "key_id" | "rotation", value: string | null): Promise<void> {
  if (value === null) {
    await db.deleteFrom("vault_state").where("name", "=", name).execute();
    return;
  }
  await db
    .insertInto("vault_state")
    .values({ name, value })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
    .execute();
}

/**
 * The key must be the database's: a lost key file replaced by a new one would otherwise leave every sealed value
 * unreadable while the bot seemed to work. A database never sealed takes this key.
 */
export async function checkKey(db: Db, vault: Vault): Promise<void> {
  if (await vaultState(db, "rotation"))
    throw new KeyStateError("a key rotation was interrupted: finish it with npm run rotate-key, then start the bot");
  const stored = await vaultState(db, "key_id");
  if (stored === undefined) await setVaultState(db, "key_id", vault.keyId);
  else if (stored !== vault.keyId)
    throw new KeyStateError(
      `the database was sealed with data key ${stored}, this key is ${vault.keyId}: set DATA_KEY to that key or put back its key file`,
    );
}

/**
 * Old bytes of plain values can stay in freed pages and in the write-ahead log: after sealing rows, the file is
 * rebuilt and the log emptied (secure_delete zeroes what is freed from then on).
 */
export async function scrubFreedPages(db: Db): Promise<void> {
  // PostgreSQL's VACUUM (autovacuum) reuses the space; its write-ahead log is the server's own backup chain.
  if (isPostgres(db)) return;
  await sql`VACUUM`.execute(db);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}

/** The start-up step: the key checked, rows from before sealing sealed (resumable, idempotent). */
export async function protectStoredData(store: Store): Promise<ResealCounts> {
  await checkKey(store.db, store.vault);
  const counts = await resealRows(store, { done: "s1:" });
  if (total(counts) > 0) await scrubFreedPages(store.db);
  return counts;
}
