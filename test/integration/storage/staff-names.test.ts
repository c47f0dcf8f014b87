import { Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../../data/migrations/index.js";
import { rememberStaffName, staffName } from "../../../data/repositories/staff.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

describe("staff names", () => {
  // SQLite's history: PostgreSQL starts at the 0015 baseline, with staff_names from the start.
  it("move from the settings rows that held them into their own table (migration 0007)", async () => {
    opened = await openTestDatabase({ kind: "sqlite", migrate: false });
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateTo("0006-request-tallies")).error).toBeUndefined();
    const at = "2026-11-30T10:00:00.000Z";
    await rawSql(
      opened.db,
      "insert into settings (key, value, updated_at, updated_by) values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
      "staff_name:501",
      '{"firstName":"Асель","username":"asel_kz"}',
      at,
      501,
      "staff_name:502",
      '{"firstName":"Данияр","username":null}',
      at,
      502,
      "bot_operator",
      '"ФСМС"',
      at,
      1,
    );
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await staffName(opened.db, 501)).toEqual({ firstName: "Асель", username: "asel_kz" });
    expect(await staffName(opened.db, 502)).toEqual({ firstName: "Данияр", username: null });
    const left = await rawSql(opened.db, "select key from settings order by key");
    expect(left.rows).toEqual([{ key: "bot_operator" }]);
  });

  it("are written when they change, not on every action", async () => {
    opened = await openTestDatabase();
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан" }, "2026-11-30T10:00:00.000Z");
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан", username: null }, "2026-11-30T11:00:00.000Z");
    expect((await rawSql(opened.db, "select updated_at from staff_names where user_id = 7")).rows).toEqual([
      { updated_at: "2026-11-30T10:00:00.000Z" },
    ]);
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан", username: "erlan" }, "2026-11-30T12:00:00.000Z");
    expect(await staffName(opened.db, 7)).toEqual({ firstName: "Ерлан", username: "erlan" });
  });
});
