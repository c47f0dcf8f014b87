import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { migrations } from "../../../data/migrations/index.js";
import { createRequest, getRequest, type NewRequest } from "../../../data/repositories/requests.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";
import { sampleRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

const request = (key: string, over: Partial<NewRequest> = {}): NewRequest =>
  sampleRequest({
    user_id: 4101,
    iin: makeIin("900101", 3, Number(key.replace(/\D/g, "")) || 1),
    applicant_category: "eaeu_worker",
    submitted_at: IN_CAMPAIGN_UTC,
    decision_due: "2026-09-16",
    source_key: key,
    ...over,
  });

const migrator = (database: OpenedDatabase) =>
  new Migrator({ db: database.db, provider: { getMigrations: () => Promise.resolve(migrations) } });

// SQLite's history: PostgreSQL starts at the 0015 baseline, with no 0008 to go up or down.
describe("migration 0008: the insurance contract is stored with the request (R2)", () => {
  let dir: string;
  let database: OpenedDatabase;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emhana-0008-"));
    database = openDatabase(`file:${join(dir, "bot.sqlite")}`);
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("R2: a request stored before 0008 gets NULLs; createRequest then stores the kind and the last day", async () => {
    expect((await migrator(database).migrateTo("0007-staff-names")).error).toBeUndefined();
    database.sqlite
      .prepare(
        `insert into requests (number, user_id, person_iin, person_birth_date, for_child, applicant_category, region_id, settlement_id,
          clinic_id, ground, residence_kind, status, submitted_at, decision_due, outcome_at_submission, locale, source_key)
         values ('A-2026-900001', 1, '900101300011', '1990-01-01', 0, 'citizen', 'almaty', 'almaty', 'almaty-gp-1', 'free_choice',
          'registered', 'pending', '2026-09-01T05:00:00.000Z', '2026-09-02', '{}', 'ru', 'old')`,
      )
      .run();
    expect((await migrateToLatest(database.db))[0]).toBe("0008-request-insurance");
    expect(
      database.sqlite
        .prepare("select insurance_kind, insurance_valid_until from requests where source_key = 'old'")
        .get(),
    ).toEqual({
      insurance_kind: null,
      insurance_valid_until: null,
    });
    const stored = await createRequest(
      { db: database.db, vault: testVault },
      request("k2", { insurance_kind: "voluntary", insurance_valid_until: "2027-12-31" }),
      [],
    );
    if (!stored.ok) throw new Error("not stored");
    expect(await getRequest(database.db, stored.request.id)).toMatchObject({
      insurance_kind: "voluntary",
      insurance_valid_until: "2027-12-31",
    });
    // Everyone else's request leaves them out.
    const citizen = await createRequest(
      { db: database.db, vault: testVault },
      request("k3", { applicant_category: "citizen" }),
      [],
    );
    expect(citizen.ok && citizen.request).toMatchObject({ insurance_kind: null, insurance_valid_until: null });
  });

  it("down() removes both columns (the triggers of 0006 stay), and up() adds them again", async () => {
    await migrateToLatest(database.db);
    expect((await migrator(database).migrateTo("0007-staff-names")).error).toBeUndefined();
    const columns = () =>
      (database.sqlite.prepare("select name from pragma_table_info('requests')").all() as { name: string }[]).map(
        (c) => c.name,
      );
    expect(columns()).not.toContain("insurance_kind");
    expect(columns()).not.toContain("insurance_valid_until");
    const triggers = database.sqlite
      .prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'requests'")
      .all();
    expect(triggers).toHaveLength(3);
    expect((await migrateToLatest(database.db))[0]).toBe("0008-request-insurance");
    expect(columns()).toEqual(expect.arrayContaining(["insurance_kind", "insurance_valid_until"]));
  });
});

describe("the insurance contract's checks (R2)", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("R2: the database refuses an unknown kind, a day that does not exist, a bad format and half a pair", async () => {
    const bad: Partial<NewRequest>[] = [
      { insurance_kind: "private" as never, insurance_valid_until: "2027-12-31" },
      { insurance_kind: "compulsory", insurance_valid_until: "2027-02-30" },
      { insurance_kind: "compulsory", insurance_valid_until: "31.12.2027" },
      { insurance_kind: "compulsory", insurance_valid_until: null },
      { insurance_kind: null, insurance_valid_until: "2027-12-31" },
    ];
    for (const [i, over] of bad.entries()) {
      await expect(
        createRequest({ db: database.db, vault: testVault }, request(`bad${i + 10}`, over), []),
        JSON.stringify(over),
      ).rejects.toThrow(/CHECK constraint failed|violates check constraint/);
    }
    expect((await rawSql(database.db, "select count(*) n from requests")).rows).toEqual([{ n: 0 }]);
  });
});
