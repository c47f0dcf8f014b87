import { existsSync, readFileSync } from "node:fs";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { health } from "../bot/health.js";
import { cachingStatements, sqlitePathFromUrl, type Db, type OpenedDatabase } from "../data/db.js";
import type { Database } from "../data/schema.js";

// A dry run works on a copy in memory: migrating, loading the shipped places and staging all write, and a dry run
// must write nothing at all – no database file created, no -wal or -shm left beside one.

/** The database at url copied into memory, or an empty one (exists false) when there is no file yet. */
export function databaseInMemory(url: string): OpenedDatabase & { exists: boolean; path: string } {
  const path = sqlitePathFromUrl(url);
  const exists = path !== ":memory:" && existsSync(path);
  let bytes: Buffer | undefined;
  if (exists && existsSync(`${path}-wal`)) {
    // The bot has it open (or stopped uncleanly): read through SQLite so the log's pages are included.
    const source = new SQLite(path, { readonly: true, fileMustExist: true });
    bytes = source.serialize();
    source.close();
  } else if (exists) {
    bytes = readFileSync(path);
  }
  // Bytes 18 and 19 say "WAL"; an in-memory database cannot keep a write-ahead log, so mark it a rollback-journal one.
  if (bytes && bytes.length >= 100) bytes[18] = bytes[19] = 1;
  const sqlite = bytes && bytes.length > 0 ? new SQLite(bytes) : new SQLite(":memory:");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  return { kind: "sqlite", db, sqlite, exists, path, close: () => db.destroy() };
}

/**
 * Why a dry run cannot check a file against this PostgreSQL database without writing (it cannot be copied into
 * memory): its migrations or the shipped places are missing. Null when it can.
 */
export async function notReadyForDryRun(db: Db): Promise<string | null> {
  const state = await health(db);
  if (state.database === "unreachable") return "the database does not answer: check DATABASE_URL and the server";
  if (state.migrations !== "current") return "the database is not migrated: run npm run migrate first";
  const places = await db.selectFrom("settlements").select("id").limit(1).executeTakeFirst();
  return places ? null : "the database has no places yet: start the bot once (it loads them), then run again";
}
