import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { isPostgresUrl, openDatabaseUrl } from "../data/db.js";
import { ImportFileError, importClinics, type ImportReport } from "../data/directory-import.js";
import { migrateToLatest } from "../data/migrate.js";
import { databaseUrlFromEnv } from "./database-url.js";
import { databaseInMemory, notReadyForDryRun } from "./import-dry-run.js";

const USAGE = `usage: npm run import:clinics -- <file.csv|file.json> [--skip-invalid] [--partial] [--dry-run]
  --skip-invalid  import the good rows even if some rows are bad (bad rows are listed and skipped)
  --partial       the file is not the whole registry: do not deactivate clinics missing from it
  --dry-run       check the file and print what would change, write nothing
Columns: docs/clinic-import.md. Database: DATABASE_URL (default file:var/emhana.sqlite).`;

function print(report: ImportReport, unit: string, opts: { dryRun: boolean }): void {
  for (const r of report.rejected) console.log(`${unit} ${r.line}${r.id ? ` (${r.id})` : ""}: ${r.reason}`);
  for (const w of report.warnings) console.log(`warning: ${w}`);
  if (report.encoding === "windows-1251")
    console.log(
      'note: read the file as Windows-1251 (Excel\'s "CSV" on Russian Windows); save as "CSV UTF-8" to be sure',
    );
  const verb = report.applied ? "" : "would be ";
  console.log(
    `${report.rows} rows: ${verb}added ${report.added}, ${verb}updated ${report.updated}, unchanged ${report.unchanged}, ` +
      `${verb}deactivated ${report.deactivated}, rejected ${report.rejected.length}`,
  );
  if (!report.applied) {
    console.log(
      opts.dryRun
        ? "dry run: nothing was written"
        : "nothing was written: fix the rows above, or run again with --skip-invalid to import the good rows",
    );
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "skip-invalid": { type: "boolean", default: false },
      partial: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const file = positionals[0];
  if (values.help || !file || positionals.length > 1) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const format = extname(file).toLowerCase() === ".json" ? "json" : "csv";
  const url = databaseUrlFromEnv();
  const dryRun = values["dry-run"];
  // SQLite: a dry run works on a copy in memory. PostgreSQL: on the server, writing nothing (see below).
  const copy = dryRun && !isPostgresUrl(url) ? databaseInMemory(url) : undefined;
  const database = copy ?? openDatabaseUrl(url);
  const would = dryRun ? "would " : "";
  try {
    if (copy && !copy.exists) console.log(`dry run: there is no database ${copy.path} yet; a real run would create it`);
    if (dryRun && !copy) {
      const problem = await notReadyForDryRun(database.db);
      if (problem) {
        console.error(`import: ${problem}`);
        return 1;
      }
    }
    const migrated = dryRun && !copy ? [] : await migrateToLatest(database.db);
    if (copy?.exists && migrated.length) console.log(`dry run: would apply migration(s) ${migrated.join(", ")}`);
    // Settlements come from the shipped places (kept up to date with places.json); the file's rows refer to them.
    const { seeded, places } =
      dryRun && !copy ? { seeded: undefined, places: undefined } : await loadShippedDirectory(database.db);
    if (seeded)
      console.log(
        `empty directory: ${dryRun ? "would load" : "loaded"} the shipped places and ${seeded.clinics} sample clinics first`,
      );
    if (places && places.added + places.updated > 0)
      console.log(`shipped places: ${would}add ${places.added}, ${would}update ${places.updated}`);
    const report = await importClinics(database.db, createReadStream(file), {
      format,
      skipInvalid: values["skip-invalid"],
      partial: values.partial,
      dryRun,
    });
    print(report, format === "csv" ? "line" : "record", { dryRun });
    return report.rejected.length > 0 && !values["skip-invalid"] ? 1 : 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err instanceof ImportFileError ? `import: ${message}` : `import failed: ${message}`);
  process.exitCode = 1;
}
