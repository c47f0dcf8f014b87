import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import type { Db } from "./db.js";
import type { Database } from "./schema.js";

/** A PostgreSQL database: several bot instances share it. */
export interface OpenedPostgres {
  kind: "postgres";
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections kept at most (default 10). */
  max?: number;
  /** A broken idle connection (the server restarted): pg drops it and connects again on the next query. */
  onError?: (err: Error) => void;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Counts, ids and sums come back as numbers, as SQLite gives them: every id fits in 2^53 (Telegram's are 52-bit),
 * and pg's default (strings, to be safe past 2^53) would make every repository convert.
 */
function getTypeParser(oid: number, format?: "text" | "binary") {
  if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
  return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
}

export function openPostgres(url: string, opts: PostgresOptions = {}): OpenedPostgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    // An unreachable server fails a query in seconds (the bot answers "try again later") instead of hanging it.
    connectionTimeoutMillis: 5_000,
    // No statement or forgotten transaction holds rows (and a chat's lock) for long.
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    types: { getTypeParser } as pg.CustomTypesConfig,
  });
  // Without a listener, an idle connection's error (the server went away) would end the process.
  pool.on("error", (err) => opts.onError?.(err));
  // A connection in use emits its socket's error too (its query fails as well), and pg-pool listens only to idle ones:
  // every connection gets a listener of its own, so a server lost mid-query fails that query, not the process.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: "postgres",
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      // Kysely's destroy ends the pool too.
      await db.destroy();
    },
  };
}
