import { config as loadDotenv } from "dotenv";
import { databaseUrlProblem, openDatabase } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";

// A .env file, when present, fills variables the environment does not set.
loadDotenv({ quiet: true, path: process.env.DOTENV_CONFIG_PATH || ".env" });

// Only DATABASE_URL matters here: migrations need no bot token.
const url = process.env.DATABASE_URL || "file:var/emhana.sqlite";
const problem = databaseUrlProblem(url);
if (problem) {
  console.error(`DATABASE_URL: ${problem}`);
  process.exit(1);
}
const database = openDatabase(url);
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} catch (err) {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
