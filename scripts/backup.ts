import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { openDatabase } from "../data/db.js";
import { databaseUrlFromEnv } from "./database-url.js";

// A consistent online copy (SQLite's backup API) while the bot keeps running.
const url = databaseUrlFromEnv();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const target = resolve(process.argv[2] ?? `var/backups/emhana-${stamp}.sqlite`);
mkdirSync(dirname(target), { recursive: true });
const database = openDatabase(url);
try {
  await database.sqlite.backup(target);
  console.log(`backup written: ${target}`);
} catch (err) {
  console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
