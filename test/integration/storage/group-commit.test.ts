import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupCommit } from "../../../data/group-commit.js";
import { UnitOfWork } from "../../../data/unit-of-work.js";
import { markProcessed } from "../../../data/repositories/processed-updates.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";

const AT = "2026-09-15T05:00:00.000Z";

/** A unit of one update: its processed mark and, when asked, a write that fails after it. */
function unit(database: TestDatabase, group: GroupCommit, updateId: number, fail = false): UnitOfWork {
  const uow = new UnitOfWork(database.db, group);
  uow.stage("processed", (trx) => markProcessed(trx, updateId, AT));
  if (fail)
    uow.stage("broken", async (trx) => {
      await rawSql(trx, "insert into no_such_table values (1)");
    });
  return uow;
}

async function marks(database: TestDatabase): Promise<number[]> {
  const { rows } = await rawSql<{ update_id: number }>(
    database.db,
    "select update_id from processed_updates where update_id >= 900 order by update_id",
  );
  return rows.map((r) => Number(r.update_id));
}

describe("group commit: the updates that end together are stored by one commit (SQLite)", () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await openTestDatabase({ kind: "sqlite" })));
  afterAll(() => database.dispose());

  it("is made for a SQLite database (PostgreSQL commits each update on its own)", () => {
    expect(GroupCommit.for(database.db)).toBeInstanceOf(GroupCommit);
  });

  it("stores three units ending in one turn with one commit, and a unit whose write fails loses only its own", async () => {
    const batches: number[] = [];
    const group = new GroupCommit(database.db, (n) => batches.push(n));
    const results = await Promise.allSettled(
      [unit(database, group, 900), unit(database, group, 901, true), unit(database, group, 902)].map((u) => u.commit()),
    );
    expect(batches).toEqual([3]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/no such table/);
    // 901's mark came before its failing write, in the same savepoint: undone, so its redelivery runs again.
    expect(await marks(database)).toEqual([900, 902]);
  });

  it("a unit that ends while a commit runs goes into the next one; a lone unit fails alone", async () => {
    const batches: number[] = [];
    const group = new GroupCommit(database.db, (n) => batches.push(n));
    const first = unit(database, group, 910).commit();
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, unit(database, group, 911).commit()]);
    await expect(unit(database, group, 912, true).commit()).rejects.toThrow(/no such table/);
    expect(batches).toEqual([1, 1, 1]);
    expect(await marks(database)).toEqual([900, 902, 910, 911]);
  });

  it("a counter that throws stops nothing: the unit is stored and the next commit runs", async () => {
    const group = new GroupCommit(database.db, () => {
      throw new Error("metrics down");
    });
    await unit(database, group, 920).commit();
    await unit(database, group, 921).commit();
    expect((await marks(database)).slice(-2)).toEqual([920, 921]);
  });

  it("a batch whose writes all succeed sends only them: savepoints come only when a batch is stored again", async () => {
    let statements = 0;
    const counted = Object.assign(Object.create(database) as TestDatabase, {
      db: database.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      }),
    });
    const group = new GroupCommit(counted.db);
    await Promise.all([930, 931, 932].map((id) => unit(counted, group, id).commit()));
    expect(statements).toBe(3);
    statements = 0;
    const results = await Promise.allSettled(
      [unit(counted, group, 933, true), unit(counted, group, 934)].map((u) => u.commit()),
    );
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    // The first try, then the batch again with a savepoint, its release or rollback around each unit's writes.
    expect(statements).toBeGreaterThan(3);
    expect((await marks(database)).slice(-4)).toEqual([930, 931, 932, 934]);
  });
});
