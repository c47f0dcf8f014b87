import { afterEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import type { Db } from "../../../data/db.js";
import { adjustAttachedCount, getClinic } from "../../../data/repositories/clinics.js";
import { deleteSetting, putSetting } from "../../../data/repositories/settings.js";
import { readUpdateStart } from "../../../data/repositories/update-start.js";
import { touchUser } from "../../../data/repositories/users.js";
import { SharedReads } from "../../../data/shared-reads.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const AT = "2026-12-06T10:00:00.000Z";

async function epochs(db: Db) {
  return (await readUpdateStart(db, { updateId: 1 })).epochs;
}

describe("cache epochs", () => {
  it("a write to the settings raises the settings' counter only; a person's row raises none", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    const before = await epochs(db);
    await putSetting(db, "bot_operator", "ТОО Тест", AT, 1);
    const put = await epochs(db);
    expect(put.settings).toBeGreaterThan(before.settings ?? Infinity);
    expect(put.directory).toBe(before.directory);
    await deleteSetting(db, "bot_operator");
    expect((await epochs(db)).settings).toBeGreaterThan(put.settings ?? Infinity);
    const beforeUser = await epochs(db);
    await touchUser(db, 42, AT, "ru");
    expect(await epochs(db)).toEqual(beforeUser);
  });

  it("a clinic's attached count changing (a decision) raises the directory's counter, in the same transaction", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    await seedDirectoryIfEmpty(db);
    const clinic = await db.selectFrom("clinics").select("id").where("active", "=", 1).executeTakeFirstOrThrow();
    const before = await epochs(db);
    // Undone with its transaction: the counter goes back too, so no reader keeps a value of a write that never was.
    await expect(
      db.transaction().execute(async (trx) => {
        await adjustAttachedCount(trx, clinic.id, 1, { allowOverCapacity: true });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await epochs(db)).toEqual(before);
    await adjustAttachedCount(db, clinic.id, 1, { allowOverCapacity: true });
    const after = await epochs(db);
    expect(after.directory).toBeGreaterThan(before.directory ?? Infinity);
    expect(after.settings).toBe(before.settings);
  });
});

describe("the bot's kept reads", () => {
  it("serve a value while its group's counter stays, and read afresh once it is raised", async () => {
    opened = await openTestDatabase();
    const db = opened.db;
    await seedDirectoryIfEmpty(db);
    const { id } = await db.selectFrom("clinics").select("id").where("active", "=", 1).executeTakeFirstOrThrow();
    const shared = new SharedReads();
    let loads = 0;
    const read = async () => {
      const reads = shared.at(await epochs(db));
      return reads.read("directory", `clinic:${id}`, () => {
        loads++;
        return getClinic(db, id);
      });
    };
    const first = await read();
    expect(await read()).toBe(first);
    expect(loads).toBe(1);
    // Kept values are shared by every update: none may change them.
    expect(() => {
      (first as { nameRu?: string }).nameRu = "changed";
    }).toThrow(TypeError);
    await adjustAttachedCount(db, id, 1, { allowOverCapacity: true });
    const second = await read();
    expect(loads).toBe(2);
    expect(second?.attached).toBe((first?.attached ?? 0) + 1);
  });

  it("an update that began before a newer counter reads afresh and keeps nothing; a failed read is not kept", async () => {
    const shared = new SharedReads();
    let loads = 0;
    const load = async () => ++loads;
    expect(await shared.at({ directory: 5 }).read("directory", "k", load)).toBe(1);
    expect(await shared.at({ directory: 4 }).read("directory", "k", load)).toBe(2);
    expect(await shared.at({ directory: 5 }).read("directory", "k", load)).toBe(1);
    // No counter (scripts, workers): read every time.
    expect(await shared.at({}).read("directory", "k", load)).toBe(3);
    // Groups are kept apart.
    expect(await shared.at({ directory: 5, settings: 5 }).read("settings", "k", load)).toBe(4);
    const failing = shared.at({ settings: 5 });
    await expect(failing.read("settings", "bad", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await failing.read("settings", "bad", load)).toBe(5);
  });
});
