import { openDatabaseUrl } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";
import { databaseUrlFromEnv } from "./database-url.js";

// Only DATABASE_URL matters here: migrations need no bot token.
const url = databaseUrlFromEnv();
const database = openDatabaseUrl(url);
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
} catch (err) {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
