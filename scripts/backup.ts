import { config as loadDotenv } from "dotenv";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { databaseUrlProblem, openDatabase } from "../data/db.js";

// A .env file, when present, fills variables the environment does not set.
loadDotenv({ quiet: true, path: process.env.DOTENV_CONFIG_PATH || ".env" });

// A consistent online copy (SQLite's backup API) while the bot keeps running.
const url = process.env.DATABASE_URL || "file:var/emhana.sqlite";
const problem = databaseUrlProblem(url);
if (problem) {
  console.error(`DATABASE_URL: ${problem}`);
  process.exit(1);
}
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
