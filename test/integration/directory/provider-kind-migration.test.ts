import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { NOW } from "./helpers.js";

const migrator = (database: OpenedDatabase) =>
  new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });

// SQLite's history: PostgreSQL starts at the 0015 baseline, with no 0009 or 0010 to go to.
describe("migration 0010: the directory knows the provider kind (R5, private practitioners from 2027)", () => {
  let dir: string;
  let database: OpenedDatabase;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emhana-0010-"));
    database = openDatabase(`file:${join(dir, "bot.sqlite")}`);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("R5: clinics stored before 0010 are organisations; only the two kinds can be stored; down() drops the column", async () => {
    expect((await migrator(database).migrateTo("0009-draft-token")).error).toBeUndefined();
    // The shipped directory as an older bot wrote it (no provider_kind column yet).
    database.sqlite.exec(`insert into regions (id, kind, name_ru, name_kk, atu_code, centre_id, sort_order)
      values ('r', 'city', 'Р', 'Р', '700000000', 's', 0);
      insert into settlements (id, region_id, kind, name_ru, name_kk, atu_code, lat, lon, search, sort_ru, sort_kk)
      values ('s', 'r', 'city', 'С', 'С', '700000001', 43.2, 76.9, ' с ', 'с', 'с');
      insert into clinics (id, name_ru, name_kk, address_ru, address_kk, settlement_id, lat, lon, kind, licensed,
        capacity, search, sort_ru, sort_kk, updated_at)
      values ('old', 'П', 'Е', 'А', 'А', 's', 43.2, 76.9, 'mixed', 1, 100, ' п ', 'п', 'е', '2026-01-01T00:00:00Z')`);
    expect((await migrator(database).migrateTo("0010-provider-kind")).error).toBeUndefined();
    expect((await getClinic(database.db, "old"))?.provider).toBe("organisation");
    expect(() => database.sqlite.exec("update clinics set provider_kind = 'pharmacy' where id = 'old'")).toThrow(
      /CHECK constraint failed/,
    );
    database.sqlite.exec("update clinics set provider_kind = 'private_practitioner' where id = 'old'");
    expect((await getClinic(database.db, "old"))?.provider).toBe("private_practitioner");

    expect((await migrator(database).migrateTo("0009-draft-token")).error).toBeUndefined();
    const columns = database.sqlite.prepare("select name from pragma_table_info('clinics')").all() as {
      name: string;
    }[];
    expect(columns.map((c) => c.name)).not.toContain("provider_kind");
  });
});

describe("the provider kind of the shipped directory (R5)", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("R5: the shipped directory seeds organisations", async () => {
    await seedDirectoryIfEmpty(database.db, NOW);
    const kinds = await database.db.selectFrom("clinics").select("provider_kind").distinct().execute();
    expect(kinds).toEqual([{ provider_kind: "organisation" }]);
  });
});
