import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { GroupCommit } from "../../../data/group-commit.js";
import { markProcessed } from "../../../data/repositories/processed-updates.js";
import { createRequest } from "../../../data/repositories/requests.js";
import { UnitOfWork } from "../../../data/unit-of-work.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";
import { sampleRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";

const AT = "2026-09-15T05:00:00.000Z";

async function count(database: TestDatabase, sql: string): Promise<number> {
  const { rows } = await rawSql<{ n: number }>(database.db, sql);
  return Number(rows[0]?.n);
}

describe("requests confirmed together are stored by the group commit (SQLite)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase({ kind: "sqlite" });
    await seedDirectoryIfEmpty(database.db);
  });
  afterAll(() => database.dispose());

  it("R17: three requests and an update's writes ending together share one commit, each request with its own number", async () => {
    const batches: number[] = [];
    const groupCommit = new GroupCommit(database.db, (n) => batches.push(n));
    const store = { db: database.db, vault: testVault, groupCommit };
    const uow = new UnitOfWork(database.db, groupCommit);
    uow.stage("processed", (trx) => markProcessed(trx, 990, AT));
    const results = await Promise.all([
      createRequest(store, sampleRequest({ source_key: "g1" }), []),
      createRequest(store, sampleRequest({ source_key: "g2" }), []),
      uow.commit(),
      createRequest(store, sampleRequest({ source_key: "g3" }), []),
    ]);
    expect(batches).toEqual([4]);
    const numbers = [results[0], results[1], results[3]].map((r) => (r?.ok ? r.request.number : null));
    expect(numbers).toEqual(["A-2026-000001", "A-2026-000002", "A-2026-000003"]);
    // The same confirmation again (a double press) finds the first, in a batch of its own.
    const again = await createRequest(store, sampleRequest({ source_key: "g2" }), []);
    expect(again.ok && !again.created && again.request.number).toBe("A-2026-000002");
  });

  it("inside a caller's own transaction, it is stored there rather than waiting for the connection that holds", async () => {
    const groupCommit = new GroupCommit(database.db);
    const stored = await database.db
      .transaction()
      .execute((trx) =>
        createRequest({ db: trx, vault: testVault, groupCommit }, sampleRequest({ source_key: "t1" }), []),
      );
    expect(stored.ok && stored.created).toBe(true);
  });

  it("one whose statements fail loses only its own, and is stored whole or not at all, alone or in a batch", async () => {
    const groupCommit = new GroupCommit(database.db);
    const store = { db: database.db, vault: testVault, groupCommit };
    const before = await count(database, "select last as n from request_counters where year = 2026");
    // Its number is allocated, then its row breaks a constraint: the number must not be spent.
    const broken = () => sampleRequest({ ground: null as never });
    await expect(createRequest(store, broken(), [])).rejects.toThrow();
    const together = await Promise.allSettled([
      createRequest(store, sampleRequest({ source_key: "h1" }), []),
      createRequest(store, broken(), []),
    ]);
    expect(together.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(await count(database, "select last as n from request_counters where year = 2026")).toBe(before + 1);
    expect(await count(database, "select count(*) as n from requests where source_key = 'h1'")).toBe(1);
  });
});
