import { afterEach, describe, expect, it } from "vitest";
import { isPostgres } from "../../../data/dialect.js";
import { markBlocked, touchUser } from "../../../data/repositories/users.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

describe("a visit", () => {
  it("records a new user, refreshes last_seen to the minute without a write per update, and unblocks a returning one", async () => {
    opened = await openTestDatabase();
    const { db } = opened;
    const first = await touchUser(opened.db, 5, "2026-11-30T10:00:00.000Z");
    expect(first).toMatchObject({
      first_seen: "2026-11-30T10:00:00.000Z",
      last_seen: "2026-11-30T10:00:00.000Z",
      blocked: 0,
    });
    // What any write moves: SQLite's count of changed rows, PostgreSQL's version of the row (xmin).
    const changes = async () =>
      (await rawSql(db, isPostgres(db) ? "select xmin::text n from users where id = 5" : "select total_changes() n"))
        .rows[0]?.n;
    const before = await changes();
    expect((await touchUser(opened.db, 5, "2026-11-30T10:00:40.000Z")).last_seen).toBe("2026-11-30T10:00:00.000Z");
    expect(await changes()).toBe(before);
    expect((await touchUser(opened.db, 5, "2026-11-30T10:01:30.000Z")).last_seen).toBe("2026-11-30T10:01:30.000Z");
    await markBlocked(opened.db, 5);
    expect(await touchUser(opened.db, 5, "2026-11-30T10:01:40.000Z")).toMatchObject({
      blocked: 0,
      last_seen: "2026-11-30T10:01:40.000Z",
      first_seen: "2026-11-30T10:00:00.000Z",
    });
  });

  it("keeps Telegram's language_code of the person's app: recorded, refreshed when it changes, kept when absent", async () => {
    opened = await openTestDatabase();
    expect((await touchUser(opened.db, 6, "2026-11-30T10:00:00.000Z", "kk")).language_code).toBe("kk");
    // A change counts even within the minute that spares the write of last_seen.
    expect((await touchUser(opened.db, 6, "2026-11-30T10:00:10.000Z", "ru-RU")).language_code).toBe("ru-RU");
    expect((await touchUser(opened.db, 6, "2026-11-30T10:05:00.000Z")).language_code).toBe("ru-RU");
    expect((await touchUser(opened.db, 7, "2026-11-30T10:00:00.000Z")).language_code).toBeNull();
  });
});
