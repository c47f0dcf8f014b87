import { openDatabaseUrl } from "../../data/db.js";
import { isPostgres } from "../../data/dialect.js";
import { isSealed, type Purpose, type Vault } from "../../data/vault.js";
import type { Finding } from "../fixtures/scan.js";
import { rawSql } from "../fixtures/database.js";

// test/fixtures/scan.ts's scanTables for a running bot's database of either kind, read through its DATABASE_URL.

const PURPOSES: readonly Purpose[] = ["iin", "draft", "conversation"];

function opened(vault: Vault, value: string): string | null {
  for (const p of PURPOSES) {
    try {
      return vault.open(value, p);
    } catch {
      // Another purpose (or not ours): try the next.
    }
  }
  return null;
}

/** Every table, every text value: where any of the needles appears, in clear or (with the key) inside a sealed one. */
export async function scanDatabase(url: string, needles: readonly string[], vault?: Vault): Promise<Finding[]> {
  const database = openDatabaseUrl(url, { max: 1 });
  try {
    const { db } = database;
    const { rows: tables } = await rawSql<{ name: string }>(
      db,
      isPostgres(db)
        ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'"
        : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    );
    const found: Finding[] = [];
    for (const { name } of tables) {
      // FTS and R*Tree shadow tables hold directory data only, and some cannot be read as plain rows.
      let rows: Record<string, unknown>[];
      try {
        rows = (await rawSql(db, `select * from "${name}"`)).rows;
      } catch {
        continue;
      }
      for (const row of rows)
        for (const [column, value] of Object.entries(row)) {
          const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("latin1") : null;
          if (text === null) continue;
          const inside = vault && isSealed(text) ? opened(vault, text) : null;
          for (const needle of needles) {
            if (text.includes(needle)) found.push({ table: name, column, needle, how: "plain" });
            if (inside?.includes(needle)) found.push({ table: name, column, needle, how: "sealed" });
          }
        }
    }
    return found;
  } finally {
    await database.close();
  }
}
