import { sql } from "kysely";
import type { Db } from "./db.js";
import { isPostgres } from "./dialect.js";
import { storeTogether, type StagedWrite } from "./unit-of-work.js";

interface Pending {
  writes: StagedWrite[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * SQLite runs every statement of the bot on one connection, so the commits of concurrent updates wait for each other
 * anyway. Here the units that end while the connection is busy, or in the same turn of the event loop, commit in
 * one transaction. A unit whose writes fail loses only them (its update fails and is redelivered, as alone) while the
 * others are stored: a batch that fails is stored again with each unit in a savepoint of its own. A commit appends
 * every page it changed to the WAL, and units of one batch share pages (the processed marks' last leaf, the drafts')
 * and one begin and commit. A failed commit fails every unit of the batch: none of them is marked processed.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #onBatch: (units: number) => void;
  #queue: Pending[] = [];
  #running = false;

  /** `onBatch`: told how many units each commit stores (a metric). */
  constructor(db: Db, onBatch: (units: number) => void = () => {}) {
    this.#db = db;
    this.#onBatch = onBatch;
  }

  /** Only a SQLite database: PostgreSQL has a pool of connections and a chat lock per update (bot/middleware/dedupe.ts). */
  static for(db: Db, onBatch?: (units: number) => void): GroupCommit | undefined {
    return isPostgres(db) ? undefined : new GroupCommit(db, onBatch);
  }

  /** Resolves once the writes are stored, rejects with their own error or the batch's failed commit. */
  commit(writes: StagedWrite[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ writes, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // A turn of the event loop lets the other updates that end now join this batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      // #store settles every unit whatever happens; a failing counter must not stop the commits behind it.
      await this.#store(batch);
      try {
        this.#onBatch(batch.length);
      } catch {
        // only a metric
      }
    }
    this.#running = false;
  }

  async #store(batch: Pending[]): Promise<void> {
    try {
      // One transaction for all: no savepoints, which cost two statements a unit.
      await storeTogether(
        this.#db,
        batch.flatMap((unit) => unit.writes),
      );
    } catch (err) {
      // A unit alone fails with its own error; a batch is stored again with a savepoint per unit, to find whose
      // writes fail (each write is one statement and the failed try stored nothing: safe to run again).
      if (batch.length === 1) batch[0]?.reject(err);
      else await this.#storeApart(batch);
      return;
    }
    for (const unit of batch) unit.resolve();
  }

  /** The batch again, each unit in a savepoint of its own: a unit whose writes fail loses only them. */
  async #storeApart(batch: Pending[]): Promise<void> {
    const failures = new Map<Pending, unknown>();
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const unit of batch) {
          await sql`savepoint unit`.execute(trx);
          try {
            for (const write of unit.writes) await write(trx);
          } catch (err) {
            failures.set(unit, err);
            await sql`rollback to unit`.execute(trx);
          }
          await sql`release unit`.execute(trx);
        }
      });
    } catch (err) {
      for (const unit of batch) unit.reject(failures.get(unit) ?? err);
      return;
    }
    for (const unit of batch) {
      if (failures.has(unit)) unit.reject(failures.get(unit));
      else unit.resolve();
    }
  }
}
