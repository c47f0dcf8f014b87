import { Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";
import { rememberStaffName, staffName } from "../../../data/repositories/staff.js";

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe("staff names", () => {
  it("move from the settings rows that held them into their own table (migration 0007)", async () => {
    opened = openDatabase(":memory:");
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateTo("0006-request-tallies")).error).toBeUndefined();
    const at = "2026-11-30T10:00:00.000Z";
    opened.sqlite
      .prepare(
        "insert into settings (key, value, updated_at, updated_by) values (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
      )
      .run(
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
    const left = opened.sqlite.prepare("select key from settings order by key").all();
    expect(left).toEqual([{ key: "bot_operator" }]);
  });

  it("are written when they change, not on every action", async () => {
    opened = openDatabase(":memory:");
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrations) } });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан" }, "2026-11-30T10:00:00.000Z");
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан", username: null }, "2026-11-30T11:00:00.000Z");
    expect(opened.sqlite.prepare("select updated_at from staff_names where user_id = 7").get()).toEqual({
      updated_at: "2026-11-30T10:00:00.000Z",
    });
    await rememberStaffName(opened.db, 7, { firstName: "Ерлан", username: "erlan" }, "2026-11-30T12:00:00.000Z");
    expect(await staffName(opened.db, 7)).toEqual({ firstName: "Ерлан", username: "erlan" });
  });
});
