import pg from "pg";

// PostgreSQL advisory locks for several bot instances on one database: per-chat order across instances, and one
// instance (the leader) at a time for the background senders. Session-level locks live as long as their connection:
// an instance that dies (even by SIGKILL) loses its connections, and the server frees its locks at once.

/** Lock namespaces (pg_advisory_lock's first key): chats, and the instance-wide roles. */
const CHAT = 1;
const ROLE = 2;
/** The roles' keys (the second key in ROLE). */
export const ROLES = { leader: 1, poller: 2, startup: 3 } as const;

export interface LockOptions {
  url: string;
  /** Connections held by updates in flight, at most (an update of a chat holds one while it runs). */
  max: number;
  onError?: (err: Error) => void;
}

/**
 * One update of a chat at a time across every instance: the update runs while its connection holds the chat's lock.
 * Locks take connections of their own, so a waiting update never holds one that queries need.
 */
export class ChatLocks {
  readonly #pool: pg.Pool;

  constructor(opts: LockOptions) {
    this.#pool = new pg.Pool({ connectionString: opts.url, max: opts.max, connectionTimeoutMillis: 5_000 });
    this.#pool.on("error", (err) => opts.onError?.(err));
    // A connection holding a chat's lock emits its socket's error (pg-pool only listens to idle ones): the update's
    // next query fails instead of the process (see data/db-postgres.ts).
    this.#pool.on("connect", (client) => client.on("error", () => undefined));
  }

  /** Updates waiting for a lock connection (for /metrics). */
  get waiting(): number {
    return this.#pool.waitingCount;
  }

  async run<T>(chat: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let healthy = true;
    try {
      // hashtext: a chat key of any length in the lock's 32-bit slot; a collision only orders two chats together.
      await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [CHAT, chat]);
      return await fn();
    } finally {
      try {
        await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [CHAT, chat]);
      } catch {
        // The connection is broken: destroying it ends its session, which frees the lock.
        healthy = false;
      }
      client.release(!healthy);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/**
 * A role only one instance holds at a time (the leader, the poller): a connection of its own keeps the lock. `take`
 * answers at once; `lost` settles when the connection breaks (the role is then free for another instance).
 */
export class RoleLock {
  readonly #opts: { url: string; key: number; onError?: (err: Error) => void };
  #client: pg.Client | undefined;
  #lost: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(url: string, role: "leader" | "poller", onError?: (err: Error) => void) {
    this.#opts = { url, key: ROLES[role], onError };
  }

  get held(): boolean {
    return this.#client !== undefined;
  }

  /** True when this instance now holds the role; false when another one does (or the server is unreachable). */
  async take(): Promise<boolean> {
    if (this.#client) return true;
    const client = new pg.Client({
      connectionString: this.#opts.url,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    // Until the lock is taken (and its own listener below is on), a lost connection fails the calls, not the process.
    client.on("error", () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS ok", [
        ROLE,
        this.#opts.key,
      ]);
      if (!rows[0]?.ok) {
        await client.end();
        return false;
      }
    } catch (err) {
      this.#opts.onError?.(err as Error);
      await client.end().catch(() => undefined);
      return false;
    }
    this.#client = client;
    const drop = () => void this.#drop();
    client.on("error", (err) => {
      this.#opts.onError?.(err);
      drop();
    });
    client.on("end", drop);
    // A connection that died without a word (a network cut) is noticed within seconds, not at TCP's timeout.
    this.#heartbeat = setInterval(() => {
      client.query("SELECT 1").catch(drop);
    }, 5_000);
    this.#heartbeat.unref();
    return true;
  }

  /** Settles when the role is lost (at once if it is not held). */
  lost(): Promise<void> {
    if (!this.#client) return Promise.resolve();
    return new Promise((resolve) => {
      const before = this.#lost;
      this.#lost = () => {
        before?.();
        resolve();
      };
    });
  }

  /** Forgets the connection and ends it (its lock goes with it); settles `lost`. */
  #drop(): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.resolve();
    this.#client = undefined;
    clearInterval(this.#heartbeat);
    const ended = client.end().catch(() => undefined);
    const lost = this.#lost;
    this.#lost = undefined;
    lost?.();
    return ended;
  }

  /** Gives the role up (its lock goes with the connection). */
  async release(): Promise<void> {
    await this.#drop();
  }
}

/**
 * Runs fn while holding the start-up lock: instances started together migrate, seal and load the shipped directory
 * one after another (the later ones find it done), instead of racing to insert the same rows.
 */
export async function withStartupLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [ROLE, ROLES.startup]);
    return await fn();
  } finally {
    // Ending the session frees the lock.
    await client.end().catch(() => undefined);
  }
}
