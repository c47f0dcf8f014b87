import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import { loadShippedDirectory } from "../data/datasets/load-directory.js";
import { openDatabase } from "../data/db.js";
import { ImportFileError, importClinics, type ImportReport } from "../data/directory-import.js";
import { migrateToLatest } from "../data/migrate.js";
import { databaseUrlFromEnv } from "./database-url.js";

const USAGE = `usage: npm run import:clinics -- <file.csv|file.json> [--skip-invalid] [--partial] [--dry-run]
  --skip-invalid  import the good rows even if some rows are bad (bad rows are listed and skipped)
  --partial       the file is not the whole registry: do not deactivate clinics missing from it
  --dry-run       check the file and print what would change, write nothing
Columns: docs/clinic-import.md. Database: DATABASE_URL (default file:var/emhana.sqlite).`;

function print(report: ImportReport, unit: string, opts: { dryRun: boolean }): void {
  for (const r of report.rejected) console.log(`${unit} ${r.line}${r.id ? ` (${r.id})` : ""}: ${r.reason}`);
  for (const w of report.warnings) console.log(`warning: ${w}`);
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
  const text = readFileSync(file, "utf8");
  const url = databaseUrlFromEnv();
  // A dry run works on a copy (SQLite's online backup): bringing the shipped places up to date writes too.
  const copyDir = values["dry-run"] ? mkdtempSync(join(tmpdir(), "emhana-dry-run-")) : undefined;
  if (copyDir) {
    const source = openDatabase(url);
    await source.sqlite.backup(join(copyDir, "copy.sqlite"));
    await source.close();
  }
  const database = openDatabase(copyDir ? `file:${join(copyDir, "copy.sqlite")}` : url);
  try {
    await migrateToLatest(database.db);
    // Settlements come from the shipped places (kept up to date with places.json); the file's rows refer to them.
    const { seeded, places } = await loadShippedDirectory(database.db);
    if (seeded) console.log(`empty directory: loaded the shipped places and ${seeded.clinics} sample clinics first`);
    if (places && places.added + places.updated > 0)
      console.log(`shipped places: added ${places.added}, updated ${places.updated}`);
    const report = await importClinics(database.db, text, {
      format,
      skipInvalid: values["skip-invalid"],
      partial: values.partial,
      dryRun: values["dry-run"],
    });
    print(report, format === "csv" ? "line" : "record", { dryRun: values["dry-run"] });
    return report.rejected.length > 0 && !values["skip-invalid"] ? 1 : 0;
  } finally {
    await database.close();
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err instanceof ImportFileError ? `import: ${message}` : `import failed: ${message}`);
  process.exitCode = 1;
}
