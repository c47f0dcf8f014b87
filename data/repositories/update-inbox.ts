import { brotliCompressSync, brotliDecompressSync, constants as zlib } from "node:zlib";
import type { ExpressionBuilder } from "kysely";
import type { Db } from "../db.js";
import type { Database } from "../schema.js";
import type { Vault } from "../vault.js";

/**
 * A batch whose updates are all handled goes at the next prune; one with an update left unhandled (the bot was down)
 * is kept as long as Telegram keeps an update it was not told arrived, a day, and not tried after that. Processed
 * marks are kept two days, so a replay never takes a handled update for a new one.
 */
export const INBOX_GIVE_UP_MS = 24 * 60 * 60_000;

/** What the inbox needs of an update: its id (the rest is kept as Telegram sent it). */
export interface InboxUpdate {
  update_id: number;
}

/**
 * A batch is kept compressed: a batch repeats itself (each pressed button brings back its message and keyboard), and
 * stored whole it was the biggest write of the bot, about 80 KB at a time. Brotli at its fastest setting makes it a
 * few kilobytes in tens of microseconds. The mark cannot begin JSON text, which batches kept before were.
 */
const PACKED = Buffer.from("\0br");
const FASTEST = { params: { [zlib.BROTLI_PARAM_QUALITY]: 0 } };

/** A batch's bytes (JSON), compressed and sealed. */
function sealBatch(vault: Vault, batch: Uint8Array): string {
  return vault.seal(Buffer.concat([PACKED, brotliCompressSync(batch, FASTEST)]), "updates");
}

function unpack(kept: Buffer): string {
  const packed = kept.subarray(0, PACKED.length).equals(PACKED);
  return (packed ? brotliDecompressSync(kept.subarray(PACKED.length)) : kept).toString("utf8");
}

/**
 * Keeps a polled batch, sealed as one value, before Telegram is told it arrived (the next getUpdates). Empty batches
 * are not kept. `body`: the getUpdates answer as Telegram sent it, when the caller has it (kept as it is, without
 * encoding the updates again); else the updates are.
 */
export async function keepBatch(
  db: Db,
  vault: Vault,
  updates: readonly InboxUpdate[],
  at: string,
  body?: Uint8Array,
): Promise<void> {
  const first = updates[0];
  const last = updates.at(-1);
  if (!first || !last) return;
  await db
    .insertInto("update_inbox")
    .values({
      first_id: first.update_id,
      last_id: last.update_id,
      size: updates.length,
      received_at: at,
      batch: sealBatch(vault, body ?? Buffer.from(JSON.stringify(updates))),
    })
    // Telegram sends an unconfirmed batch again after a restart, with what came since: the longer one is kept.
    .onConflict((oc) =>
      oc
        .column("first_id")
        .doUpdateSet((eb) => ({
          last_id: eb.ref("excluded.last_id"),
          size: eb.ref("excluded.size"),
          received_at: eb.ref("excluded.received_at"),
          batch: eb.ref("excluded.batch"),
        }))
        .where((eb) => eb("excluded.last_id", ">", eb.ref("update_inbox.last_id"))),
    )
    .execute();
}

/** A kept batch's updates: an array of them, or a getUpdates answer (`{"ok":true,"result":[…]}`) kept whole. */
function keptUpdates(sealed: string, vault: Vault): InboxUpdate[] {
  const kept = JSON.parse(unpack(vault.openBytes(sealed, "updates"))) as unknown;
  const updates = Array.isArray(kept) ? kept : (kept as { result?: unknown } | null)?.result;
  if (!Array.isArray(updates)) throw new Error("a kept batch without updates");
  return updates as InboxUpdate[];
}

export interface Unhandled {
  /** Updates kept and not marked processed, oldest first. */
  updates: InboxUpdate[];
  /** Batches that could not be opened (sealed under a key the bot no longer has, or damaged): dropped. */
  unreadable: number;
}

/**
 * A batch is done when as many processed marks fall in its range as it holds: a batch is a run of the bot's updates
 * in order, so every update in its range is one of its own (two batches kept after a restart may overlap; each counts
 * its own range).
 */
function done(eb: ExpressionBuilder<Database, "update_inbox">) {
  return eb(
    eb
      .selectFrom("processed_updates as p")
      .select((s) => s.fn.countAll().as("n"))
      .whereRef("p.update_id", ">=", "update_inbox.first_id")
      .whereRef("p.update_id", "<=", "update_inbox.last_id"),
    ">=",
    eb.ref("update_inbox.size"),
  );
}

/**
 * What a process that stopped (a crash, a kill) left unhandled: kept updates without a processed mark, received since
 * `since` (older ones are not tried again, and their marks may be pruned). Only batches not done are opened.
 */
export async function unhandledUpdates(db: Db, vault: Vault, since: string): Promise<Unhandled> {
  const rows = await db
    .selectFrom("update_inbox")
    .select(["first_id", "last_id", "batch"])
    .where("received_at", ">=", since)
    .where((eb) => eb.not(done(eb)))
    .orderBy("first_id")
    .execute();
  const updates: InboxUpdate[] = [];
  let unreadable = 0;
  for (const row of rows) {
    try {
      updates.push(...keptUpdates(row.batch, vault));
    } catch {
      unreadable += 1;
      await db.deleteFrom("update_inbox").where("first_id", "=", row.first_id).execute();
    }
  }
  const first = updates[0];
  if (!first) return { updates, unreadable };
  const last = Math.max(...rows.map((r) => Number(r.last_id)));
  const marks = await db
    .selectFrom("processed_updates")
    .select("update_id")
    .where("update_id", ">=", first.update_id)
    .where("update_id", "<=", last)
    .execute();
  const handled = new Set(marks.map((r) => Number(r.update_id)));
  // Overlapping batches hold an update twice: once each, by id.
  const left = new Map(updates.filter((u) => !handled.has(u.update_id)).map((u) => [u.update_id, u]));
  return { updates: [...left.values()].sort((a, b) => a.update_id - b.update_id), unreadable };
}

/**
 * Takes an update out of its kept batch: it failed, the person was told to try again, and no transport hands a failed
 * update over again, so a restart must not replay it (behind the chat's newer updates). Nothing when it was not kept.
 */
export async function dropKeptUpdate(db: Db, vault: Vault, updateId: number): Promise<void> {
  const rows = await db
    .selectFrom("update_inbox")
    .select(["first_id", "batch"])
    .where("first_id", "<=", updateId)
    .where("last_id", ">=", updateId)
    .execute();
  for (const row of rows) {
    const updates = keptUpdates(row.batch, vault);
    const left = updates.filter((u) => u.update_id !== updateId);
    if (left.length === updates.length) continue;
    if (left.length === 0) await db.deleteFrom("update_inbox").where("first_id", "=", row.first_id).execute();
    // The range stays: the update dropped never gets a processed mark, so the batch is done with the others.
    else
      await db
        .updateTable("update_inbox")
        .set({ size: left.length, batch: sealBatch(vault, Buffer.from(JSON.stringify(left))) })
        .where("first_id", "=", row.first_id)
        .execute();
  }
}

/** Drops the batches done, and any received before `giveUpBefore`: an update left that long is not tried again. */
export async function pruneInbox(db: Db, giveUpBefore: string): Promise<number> {
  const res = await db
    .deleteFrom("update_inbox")
    .where((eb) => eb.or([eb("received_at", "<", giveUpBefore), done(eb)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
