import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type SqliteDatabase, type SqliteStatement } from "kysely";
import { openPostgres, type OpenedPostgres, type PostgresOptions } from "./db-postgres.js";
import type { Database } from "./schema.js";
import { QueuedSqliteDialect, runsNow } from "./sqlite-driver.js";
import type { PinnedReads } from "./shared-reads.js";
import type { GroupCommit } from "./group-commit.js";
import type { UnitOfWork } from "./unit-of-work.js";
import type { Vault } from "./vault.js";

export type Db = Kysely<Database>;

/** The database with the data key: what repositories need that seal, open or look up personal data. */
export interface Store {
  db: Db;
  vault: Vault;
  /** The running update's writes, stored together at its end (bot/middleware/dedupe.ts); absent in scripts and workers. */
  uow?: UnitOfWork;
  /** The bot's kept reads of the settings and the directory, as of the running update's start (data/shared-reads.ts). */
  reads?: PinnedReads;
  /** SQLite's commits of the writes that end together (data/group-commit.ts); absent on PostgreSQL and in scripts. */
  groupCommit?: GroupCommit;
}

/** A SQLite database: the embedded default. */
export interface OpenedDatabase {
  kind: "sqlite";
  db: Db;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/** An opened database of either kind; `kind` tells which. */
export type AnyDatabase = OpenedDatabase | OpenedPostgres;

/** Where the bot and the scripts keep their data when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:var/emhana.sqlite";

const SQLITE_PREFIX = /^(sqlite|file):(\/\/)?/i;
const POSTGRES_URL = /^postgres(ql)?:\/\//i;
// Two letters or more, so a Windows drive (C:\…) stays a plain path.
const OTHER_SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/** A PostgreSQL server (postgres://user@host:port/database), rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return POSTGRES_URL.test(url);
}

/**
 * Why this DATABASE_URL is neither a SQLite database nor a PostgreSQL server, or null when it is one. Any other scheme
 * (mysql://…) would otherwise silently become a file named after the URL.
 */
export function databaseUrlProblem(url: string): string | null {
  if (isPostgresUrl(url)) return null;
  const usage =
    "must be a SQLite file (file:<path>, sqlite:<path>, a plain path or :memory:) or a PostgreSQL URL (postgres://…)";
  if (SQLITE_PREFIX.test(url)) return url.replace(SQLITE_PREFIX, "") === "" ? `${usage} (no file named)` : null;
  if (url === ":memory:" || url === "") return url === "" ? `${usage} (empty)` : null;
  const scheme = OTHER_SCHEME.exec(url)?.[1];
  return scheme ? `${usage} (got a "${scheme}:" URL)` : null;
}

/** Accepts `file:path`, `sqlite:path`, a plain path, or `:memory:`; throws on anything else. */
export function sqlitePathFromUrl(url: string): string {
  if (isPostgresUrl(url)) throw new Error("DATABASE_URL names a PostgreSQL server, not a SQLite file");
  const problem = databaseUrlProblem(url);
  if (problem) throw new Error(`DATABASE_URL ${problem}`);
  return url.replace(SQLITE_PREFIX, "");
}

/**
 * A file only its owner may read and write (personal data): created so when missing, narrowed when it exists with
 * wider rights (a database from before). Its folder, when made here, is owner-only too.
 */
export function ownerOnlyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  else if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
}

/** Either database, by its URL: a PostgreSQL server for postgres://…, else a SQLite file. */
export function openDatabaseUrl(url: string, opts: PostgresOptions = {}): AnyDatabase {
  return isPostgresUrl(url) ? openPostgres(url, opts) : openDatabase(url);
}

/** A SQLite file (or :memory:); see openDatabaseUrl for either kind. */
export function openDatabase(url: string): OpenedDatabase {
  const path = sqlitePathFromUrl(url);
  if (path !== ":memory:") {
    // SQLite gives its -wal and -shm files the database file's rights: 0600 here makes all three owner-only.
    ownerOnlyFile(path);
    for (const extra of [`${path}-wal`, `${path}-shm`]) if (existsSync(extra)) ownerOnlyFile(extra);
  }
  const sqlite = new SQLite(path);
  // WAL lets readers work during a write; busy_timeout covers a second process (scripts, backup).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // Deleted and overwritten content is zeroed, so no old personal data lingers in freed pages.
  sqlite.pragma("secure_delete = ON");
  // 64 MB of pages instead of SQLite's 2 MB: a campaign's database is hundreds of megabytes.
  sqlite.pragma("cache_size = -65536");
  const dialect = new QueuedSqliteDialect({ database: cachingStatements(sqlite) });
  const db = new Kysely<Database>({ dialect });
  runsNow(db, dialect);
  let closed = false;
  return {
    kind: "sqlite",
    db,
    sqlite,
    async close() {
      if (closed) return;
      closed = true;
      // Kysely's destroy closes the better-sqlite3 handle too.
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew, and compiling SQL was the biggest cost of a bot update after the queries
 * themselves: keep the most recent statements by their text. Safe because every query runs to completion at once
 * (better-sqlite3 is synchronous and we never stream), so a statement is never in use twice.
 */
export function cachingStatements(sqlite: SQLite.Database, max = 1000): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        // Least recently used goes first: re-insert on every hit.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}

/** ISO timestamp for storage: better-sqlite3 rejects Date objects. */
export function iso(d: Date): string {
  return d.toISOString();
}
