import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/** Accepts `file:path`, `sqlite:path`, a plain path, or `:memory:`. */
export function sqlitePathFromUrl(url: string): string {
  const path = url.replace(/^(sqlite|file):(\/\/)?/, "");
  if (path === "") throw new Error("DATABASE_URL names no file");
  return path;
}

export function openDatabase(url: string): OpenedDatabase {
  const path = sqlitePathFromUrl(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers work during a write; busy_timeout covers a second process (scripts, backup).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
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

/** ISO timestamp for storage: better-sqlite3 rejects Date objects. */
export function iso(d: Date): string {
  return d.toISOString();
}
