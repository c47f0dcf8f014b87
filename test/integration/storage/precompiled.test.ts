import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../../data/db.js";
import { precompiled } from "../../../data/precompiled.js";
import { holdingConnection, runNow } from "../../../data/sqlite-driver.js";
import { storeTogether } from "../../../data/unit-of-work.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";

let opened: TestDatabase | undefined;
afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const insertUser = precompiled({ id: "number", at: "string" }, (db: Db, v: { id: number; at: string }) =>
  db
    .insertInto("users")
    .values({ id: v.id, language: "kk", first_seen: v.at, last_seen: v.at })
    .onConflict((oc) => oc.column("id").doUpdateSet({ last_seen: v.at })),
);

// The same value twice, and a value the query holds itself ("kk"), beside the call's own.
const seenSince = precompiled({ id: "number", at: "string" }, (db: Db, v: { id: number; at: string }) =>
  db
    .selectFrom("users")
    .select(["id", "language", "last_seen"])
    .where((eb) => eb.or([eb("id", "=", v.id), eb("id", "=", v.id + 0)]))
    .where("language", "=", "kk")
    .where("last_seen", ">=", v.at),
);

describe("a query compiled once", () => {
  it("runs with each call's values, the query's own values kept", async () => {
    opened = await openTestDatabase();
    await insertUser(opened.db, { id: 5, at: "2026-03-01T10:00:00+05:00" });
    await insertUser(opened.db, { id: 6, at: "2026-03-02T10:00:00+05:00" });
    await insertUser(opened.db, { id: 5, at: "2026-03-03T10:00:00+05:00" });
    expect(await seenSince(opened.db, { id: 5, at: "2026-03-02T00:00:00+05:00" })).toEqual([
      { id: 5, language: "kk", last_seen: "2026-03-03T10:00:00+05:00" },
    ]);
    expect(await seenSince(opened.db, { id: 6, at: "2026-03-03T00:00:00+05:00" })).toEqual([]);
    expect(await seenSince(opened.db, { id: 6, at: "2026-03-02T00:00:00+05:00" })).toHaveLength(1);
  });

  it("refuses a value the query does not take, on its first run", async () => {
    opened = await openTestDatabase();
    const unused = precompiled({ id: "number", extra: "string" }, (db: Db, v: { id: number; extra: string }) =>
      db.selectFrom("users").select("id").where("id", "=", v.id),
    );
    await expect(unused(opened.db, { id: 1, extra: "x" })).rejects.toThrow(/extra is not a parameter/);
  });
});

describe("a compiled statement on SQLite's free connection", () => {
  it("runs at once, without kysely's turn; a transaction or a plugin's database queues as before", async () => {
    opened = await openTestDatabase({ kind: "sqlite" });
    const db = opened.db;
    await insertUser(db, { id: 7, at: "2026-03-01T10:00:00+05:00" });
    const q = db.selectFrom("users").select("id").where("id", "=", 7).compile();
    expect(runNow(db, q.sql, q.parameters)).toEqual([{ id: 7 }]);
    // Only the database itself: its transactions and plugins go through kysely.
    expect(runNow(db.withoutPlugins(), q.sql, q.parameters)).toBeUndefined();
    await db.transaction().execute(async (trx) => {
      expect(runNow(trx, q.sql, q.parameters)).toBeUndefined();
      // The transaction holds the connection: the database itself waits its turn too.
      expect(runNow(db, q.sql, q.parameters)).toBeUndefined();
    });
    expect(runNow(db, q.sql, q.parameters)).toEqual([{ id: 7 }]);
    // Closed, it says so as kysely does.
    await opened.close();
    expect(runNow(db, q.sql, q.parameters)).toBeUndefined();
    await expect(seenSince(db, { id: 7, at: "2026-01-01T00:00:00+05:00" })).rejects.toThrow(/destroyed/);
  });

  it("a read asked while a transaction holds the connection waits for it, and never sees what it rolled back", async () => {
    opened = await openTestDatabase({ kind: "sqlite" });
    const db = opened.db;
    let during: Promise<unknown[]> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await insertUser(trx, { id: 9, at: "2026-03-01T10:00:00+05:00" });
        during = seenSince(db, { id: 9, at: "2026-01-01T00:00:00+05:00" });
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await during).toEqual([]);
    // And one asked before a commit sees the committed row, after it.
    let before: Promise<unknown[]> | undefined;
    await db.transaction().execute(async (trx) => {
      await insertUser(trx, { id: 9, at: "2026-03-01T10:00:00+05:00" });
      before = seenSince(db, { id: 9, at: "2026-01-01T00:00:00+05:00" });
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(await before).toHaveLength(1);
  });
});

describe("the writes stored together, on SQLite", () => {
  it("run at once inside their transaction, all or none; the transaction's object queues again once it ended", async () => {
    opened = await openTestDatabase({ kind: "sqlite" });
    const db = opened.db;
    const q = db.selectFrom("users").select("id").compile();
    let kept: Db | undefined;
    await expect(
      storeTogether(db, [
        (trx) => insertUser(trx, { id: 11, at: "2026-03-01T10:00:00+05:00" }),
        async (trx) => {
          kept = trx;
          // Seen inside the transaction, at once; the database itself waits for the transaction.
          expect(runNow(trx, q.sql, q.parameters)).toEqual([{ id: 11 }]);
          expect(runNow(db, q.sql, q.parameters)).toBeUndefined();
        },
        (trx) =>
          trx
            .insertInto("no_such_table" as "users")
            .values({ id: 12 } as never)
            .execute(),
      ]),
    ).rejects.toThrow();
    // The failed write took the first one with it.
    expect(await db.selectFrom("users").select("id").execute()).toEqual([]);
    expect(kept && runNow(kept, q.sql, q.parameters)).toBeUndefined();
    // A database without the direct way (a plugin's) holds nothing either.
    await db
      .withoutPlugins()
      .transaction()
      .execute(async (trx) => {
        await holdingConnection(db.withoutPlugins(), trx, async () => {
          expect(runNow(trx, q.sql, q.parameters)).toBeUndefined();
        });
      });
  });
});
