import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../../data/db.js";
import { precompiled } from "../../../data/precompiled.js";
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
