import { chmodSync } from "node:fs";
import { resolve } from "node:path";
import { isPostgresUrl, openDatabase, ownerOnlyFile } from "../data/db.js";
import { databaseUrlFromEnv } from "./database-url.js";

// A consistent online copy (SQLite's backup API) while the bot keeps running. The copy is owner-only like the
// database, and holds no key: the data key stays in DATA_KEY or the key file beside the database.
const url = databaseUrlFromEnv();
if (isPostgresUrl(url)) {
  // One line instead of a stack trace, and no empty copy left behind.
  console.error("backup: DATABASE_URL names a PostgreSQL server: back it up with its own tools (pg_dump)");
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const target = resolve(process.argv[2] ?? `var/backups/emhana-${stamp}.sqlite`);
ownerOnlyFile(target);
const database = openDatabase(url);
try {
  await database.sqlite.backup(target);
  chmodSync(target, 0o600);
  console.log(`backup written: ${target}`);
} catch (err) {
  console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
