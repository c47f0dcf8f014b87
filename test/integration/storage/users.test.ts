import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { markBlocked, touchUser } from "../../../data/repositories/users.js";

let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe("a visit", () => {
  it("records a new user, refreshes last_seen to the minute without a write per update, and unblocks a returning one", async () => {
    opened = openDatabase(":memory:");
    await migrateToLatest(opened.db);
    const first = await touchUser(opened.db, 5, "2026-11-30T10:00:00.000Z");
    expect(first).toMatchObject({
      first_seen: "2026-11-30T10:00:00.000Z",
      last_seen: "2026-11-30T10:00:00.000Z",
      blocked: 0,
    });
    const changes = () => (opened?.sqlite.prepare("select total_changes() n").get() as { n: number }).n;
    const before = changes();
    expect((await touchUser(opened.db, 5, "2026-11-30T10:00:40.000Z")).last_seen).toBe("2026-11-30T10:00:00.000Z");
    expect(changes()).toBe(before);
    expect((await touchUser(opened.db, 5, "2026-11-30T10:01:30.000Z")).last_seen).toBe("2026-11-30T10:01:30.000Z");
    await markBlocked(opened.db, 5);
    expect(await touchUser(opened.db, 5, "2026-11-30T10:01:40.000Z")).toMatchObject({
      blocked: 0,
      last_seen: "2026-11-30T10:01:40.000Z",
      first_seen: "2026-11-30T10:00:00.000Z",
    });
  });

  it("keeps Telegram's language_code of the person's app: recorded, refreshed when it changes, kept when absent", async () => {
    opened = openDatabase(":memory:");
    await migrateToLatest(opened.db);
    expect((await touchUser(opened.db, 6, "2026-11-30T10:00:00.000Z", "kk")).language_code).toBe("kk");
    // A change counts even within the minute that spares the write of last_seen.
    expect((await touchUser(opened.db, 6, "2026-11-30T10:00:10.000Z", "ru-RU")).language_code).toBe("ru-RU");
    expect((await touchUser(opened.db, 6, "2026-11-30T10:05:00.000Z")).language_code).toBe("ru-RU");
    expect((await touchUser(opened.db, 7, "2026-11-30T10:00:00.000Z")).language_code).toBeNull();
  });
});
