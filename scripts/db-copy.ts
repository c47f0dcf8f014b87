import { CopyError, copyDatabase } from "../data/copy.js";
import { databaseUrlProblem, isPostgresUrl, openDatabaseUrl } from "../data/db.js";
import { migrateToLatest } from "../data/migrate.js";

const USAGE = `usage: npm run db:copy -- <from-url> <to-url>
  Copies every row from one database to another, new and empty one (SQLite → PostgreSQL to move a service), then
  compares the counts of every table. Stop the bot first: what it writes after the copy starts is not copied.
  Example: npm run db:copy -- file:var/emhana.sqlite postgres://emhana@db.internal:5432/emhana
  The target keeps the source's sealed values: start its instances with the same data key (DATA_KEY, or the key in
  the key file beside the SQLite database).`;

async function main(): Promise<number> {
  const [from, to, ...rest] = process.argv.slice(2);
  if (!from || !to || rest.length || from === "-h" || from === "--help") {
    console.log(USAGE);
    return from === "-h" || from === "--help" ? 0 : 1;
  }
  for (const [name, url] of [
    ["from", from],
    ["to", to],
  ] as const) {
    const problem = databaseUrlProblem(url);
    if (problem) {
      console.error(`db:copy: <${name}-url> ${problem}`);
      return 1;
    }
  }
  if (from === to) {
    console.error("db:copy: <from-url> and <to-url> are the same database");
    return 1;
  }
  const source = openDatabaseUrl(from, { max: 2 });
  const target = openDatabaseUrl(to, { max: 2 });
  try {
    // Both at the latest schema: the same tables and columns on both sides.
    await migrateToLatest(source.db);
    await migrateToLatest(target.db);
    const counts = await copyDatabase(source.db, target.db, (table, rows) => console.log(`copied ${table}: ${rows}`));
    const rows = counts.filter((c) => !c.table.includes("tally")).reduce((n, c) => n + c.target, 0);
    console.log(`verified: ${counts.length} tables, ${rows} rows, the same counts on both sides`);
    if (isPostgresUrl(to) && !isPostgresUrl(from))
      console.log("next: start the instances with DATABASE_URL set to the target and DATA_KEY set to this data key");
    return 0;
  } finally {
    await source.close();
    await target.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err instanceof CopyError ? `db:copy: ${message}` : `db:copy failed: ${message}`);
  process.exitCode = 1;
}
