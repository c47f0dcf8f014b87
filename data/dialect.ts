import { PostgresAdapter, sql, type RawBuilder } from "kysely";
import type { Db } from "./db.js";

/** True when the database is PostgreSQL (the few queries that differ from SQLite ask this). */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `column` does not start with `prefix` (a literal, no wildcards), on either database. */
export function notStartingWith(db: Db, column: string, prefix: string): RawBuilder<boolean> {
  return isPostgres(db)
    ? sql<boolean>`not starts_with(${sql.ref(column)}, ${prefix})`
    : sql<boolean>`substr(${sql.ref(column)}, 1, ${prefix.length}) != ${prefix}`;
}

/**
 * The integers of a JSON array column as rows: a FROM item aliased `j` and the value to select (an integer on both).
 */
export function jsonIntegers(db: Db, column: string): { from: RawBuilder<unknown>; value: RawBuilder<number> } {
  return isPostgres(db)
    ? {
        from: sql`jsonb_array_elements_text(${sql.ref(column)}::jsonb) AS j (value)`,
        value: sql<number>`j.value::bigint`,
      }
    : { from: sql`json_each(${sql.ref(column)}) j`, value: sql<number>`j.value` };
}
