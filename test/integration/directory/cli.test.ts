import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabaseUrl } from "../../../data/db.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { freshPostgres, testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { toCp1251 } from "../../fixtures/cp1251.js";
import { rawSqlAt } from "../../fixtures/database.js";
import { csvRow, freshDb, HEADER, type TestDb } from "./helpers.js";

const root = new URL("../../../", import.meta.url).pathname;
let t: TestDb;
/** The test's files (the CSVs it writes), apart from the database. */
let dir: string;
beforeAll(async () => {
  t = await freshDb();
  dir = mkdtempSync(join(tmpdir(), "emhana-cli-"));
});
afterAll(async () => {
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]) {
  return runOn(t.url, ...args);
}
function runOn(url: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts/import-clinics.ts"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("npm run import:clinics", () => {
  it("seeds an empty directory, imports a file, reports bad rows and exits 1", async () => {
    const ok = run(join(root, "test/fixtures/clinics-good.csv"), "--partial");
    expect(ok.out).toMatch(/loaded the shipped places/);
    expect(ok.out).toMatch(/6 rows: added 6, updated 0, unchanged 0, deactivated 0, rejected 0/);
    expect(ok.code).toBe(0);

    const bad = join(dir, "bad.csv");
    writeFileSync(bad, [HEADER, csvRow({ id: "cli-1" }), csvRow({ id: "cli-2", capacity: "abc" })].join("\n"));
    const refused = run(bad, "--partial");
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/line 3 \(cli-2\): capacity: "abc" is not a number/);
    expect(refused.out).toMatch(/would be added 1/);
    expect(refused.out).toMatch(/nothing was written/);

    const skipped = run(bad, "--partial", "--skip-invalid");
    expect(skipped.code).toBe(0);
    expect(skipped.out).toMatch(/2 rows: added 1, .* rejected 1/);
    await t.close(); // the CLI wrote through its own connection; reopen to read what it left
    const again = openDatabaseUrl(t.url);
    expect((await getClinic(again.db, "cli-1"))?.capacity).toBe(1000);
    await again.close();
  }, 60_000);

  it("a dry run writes nothing, not even the shipped places it checks the file against", async () => {
    await rawSqlAt(t.url, "update settlements set name_ru = 'Старое имя' where id = 'almaty'");
    const before = (await rawSqlAt(t.url, "select count(*) n from clinics")).rows;
    const dry = run(join(root, "test/fixtures/clinics-good.csv"), "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/dry run: nothing was written/);
    expect((await rawSqlAt(t.url, "select name_ru from settlements where id = 'almaty'")).rows).toEqual([
      { name_ru: "Старое имя" },
    ]);
    expect((await rawSqlAt(t.url, "select count(*) n from clinics")).rows).toEqual(before);
  }, 60_000);

  // A SQLite file that is not there yet; PostgreSQL's counterpart (a database not migrated) is the next test.
  it.skipIf(testsOnPostgres())(
    "a dry run on no database creates none, seeds nothing and says what a real run would do",
    () => {
      const url = `file:${join(dir, "none", "new.sqlite")}`;
      const dry = runOn(url, join(root, "test/fixtures/clinics-good.csv"), "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.out).toMatch(/there is no database .*new\.sqlite yet; a real run would create it/);
      expect(dry.out).toMatch(/empty directory: would load the shipped places and \d+ sample clinics first/);
      expect(dry.out).toMatch(/6 rows: would be added 6,/);
      expect(dry.out).toMatch(/dry run: nothing was written/);
      expect(dry.out).not.toMatch(/\bloaded\b/);
      expect(existsSync(join(dir, "none"))).toBe(false);
    },
    60_000,
  );

  it.runIf(testsOnPostgres())(
    "a dry run on a PostgreSQL database not migrated yet refuses and writes nothing",
    async () => {
      const empty = await freshPostgres();
      try {
        const dry = runOn(empty.url, join(root, "test/fixtures/clinics-good.csv"), "--dry-run");
        expect(dry.out.trim()).toBe("import: the database is not migrated: run npm run migrate first");
        expect(dry.code).toBe(1);
        const tables = await rawSqlAt(
          empty.url,
          "select table_name from information_schema.tables where table_schema = 'public'",
        );
        expect(tables.rows).toEqual([]);
      } finally {
        await empty.drop();
      }
    },
    60_000,
  );

  it("reads a Windows-1251 file with a note, and refuses UTF-16 with one line", async () => {
    const cp = join(dir, "excel.csv");
    writeFileSync(cp, toCp1251([HEADER, csvRow({ id: "cp-1", name_ru: "Поликлиника №5", name_kk: "" })].join("\r\n")));
    const ok = run(cp, "--partial");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/note: read the file as Windows-1251/);
    const db = openDatabaseUrl(t.url);
    expect((await getClinic(db.db, "cp-1"))?.name.ru).toBe("Поликлиника №5");
    await db.close();
    const utf16 = join(dir, "utf16.csv");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, "utf16le")]));
    const refused = run(utf16, "--partial");
    expect(refused.code).toBe(1);
    expect(refused.out.trim()).toBe("import: the file is not UTF-8 or Windows-1251");
  }, 60_000);

  it("prints usage without a file", () => {
    const r = run();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/usage: npm run import:clinics/);
  });
});
