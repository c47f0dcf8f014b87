import type { Db } from "./db.js";
import type { GroupCommit } from "./group-commit.js";
import { holdingConnection } from "./sqlite-driver.js";

/**
 * A read made once per update when one runs (under `key`, in its unit), else each time: for facts an update asks
 * for several times and does not change itself (the person's attachment, a settlement).
 */
export function readOnce<T>(uow: UnitOfWork | undefined, key: string, read: () => Promise<T>): Promise<T> {
  if (!uow?.open) return read();
  if (uow.has(key)) return uow.get<Promise<T>>(key) as Promise<T>;
  const value = read();
  uow.remember(key, value);
  return value;
}

/** A buffered write: runs at commit, inside the update's one transaction, on the latest cached state. */
export type StagedWrite = (trx: Db) => Promise<unknown>;

/** Stores writes all or none: one alone as it is (a statement is atomic), several in one transaction. */
export async function storeTogether(db: Db, writes: readonly StagedWrite[]): Promise<void> {
  if (writes.length === 1) {
    await writes[0]?.(db);
    return;
  }
  await db.transaction().execute((trx) =>
    holdingConnection(db, trx, async () => {
      for (const write of writes) await write(trx);
    }),
  );
}

/**
 * What one update stores (its processed mark, the conversation state, the draft, the user's last visit), buffered and
 * written together at its end in one short transaction: all of it or none of it. Reads see the update's own writes
 * (a cache by key), so a value is read from the database at most once per update.
 *
 * No transaction is held while the update waits on the network: kysely's SQLite driver runs every query of the bot on
 * one connection, and a transaction open across a Bot API call would stall every other chat.
 */
export class UnitOfWork {
  readonly #db: Db;
  readonly #group: GroupCommit | undefined;
  readonly #cache = new Map<string, unknown>();
  readonly #writes = new Map<string, StagedWrite>();
  #open = true;

  /** `group`: SQLite's, which commits the units that end together in one transaction (data/group-commit.ts). */
  constructor(db: Db, group?: GroupCommit) {
    this.#db = db;
    this.#group = group;
  }

  /** False once committed or discarded: later callers (a task the update started) write directly. */
  get open(): boolean {
    return this.#open;
  }

  has(key: string): boolean {
    return this.#cache.has(key);
  }

  get<T>(key: string): T | undefined {
    return this.#cache.get(key) as T | undefined;
  }

  remember(key: string, value: unknown): void {
    this.#cache.set(key, value);
  }

  /** Replaces any write staged under the key; the latest staging goes last (writes keep their causal order). */
  stage(key: string, write: StagedWrite): void {
    this.#writes.delete(key);
    this.#writes.set(key, write);
  }

  /** How many writes wait for the commit. */
  get pending(): number {
    return this.#writes.size;
  }

  /** Writes everything staged in one transaction (none when nothing was staged), then closes the unit. */
  async commit(): Promise<void> {
    this.#open = false;
    const writes = [...this.#writes.values()];
    this.#writes.clear();
    if (writes.length === 0) return;
    return this.#group ? this.#group.commit(writes) : storeTogether(this.#db, writes);
  }

  /** The update failed: nothing it buffered is stored, so its redelivery starts from the last committed state. */
  discard(): void {
    this.#open = false;
    this.#writes.clear();
    this.#cache.clear();
  }
}

/** The unit of the update running in each chat (updates of one chat run in sequence), for code reached without ctx. */
export class ActiveUnits<T extends { uow?: UnitOfWork }> {
  readonly #byChat = new Map<string, T>();

  set(chat: string, value: T): void {
    this.#byChat.set(chat, value);
  }

  get(chat: string): T | undefined {
    const v = this.#byChat.get(chat);
    return v?.uow?.open ? v : undefined;
  }

  delete(chat: string, value: T): void {
    if (this.#byChat.get(chat) === value) this.#byChat.delete(chat);
  }
}
