import SQLite from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { QueuedSqliteDialect } from "../../../data/sqlite-driver.js";

interface T {
  t: { id: number; v: string };
}

let db: Kysely<T> | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

async function open(): Promise<Kysely<T>> {
  db = new Kysely<T>({ dialect: new QueuedSqliteDialect({ database: new SQLite(":memory:") }) });
  await sql`create table t (id integer primary key, v text not null)`.execute(db);
  return db;
}

describe("the SQLite connection handed over in turn", () => {
  it("waits while a transaction holds the connection, then serves the waiting queries in the order they asked", async () => {
    const db = await open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const done: number[] = [];
    const trx = db.transaction().execute(async (trx) => {
      await trx.insertInto("t").values({ id: 1, v: "inside" }).execute();
      await held;
      await trx.insertInto("t").values({ id: 2, v: "inside" }).execute();
    });
    // Let the transaction take the connection first.
    await new Promise((resolve) => setImmediate(resolve));
    const reads = Array.from({ length: 20 }, (_, i) =>
      db
        .selectFrom("t")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
        .then((r) => {
          done.push(i);
          return Number(r.n);
        }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing ran inside the open transaction: no read saw its first row.
    expect(done).toEqual([]);
    release();
    await trx;
    // Each read came after the commit (both rows), in the order asked.
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 20 }, () => 2));
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("a failed query or transaction hands the connection on, and many at once all finish", async () => {
    const db = await open();
    await expect(sql`select * from no_such_table`.execute(db)).rejects.toThrow();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ id: 1, v: "a" }).execute();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await Promise.all(
      Array.from({ length: 50 }, (_, w) =>
        w % 5 === 0
          ? db.transaction().execute(async (trx) => {
              for (let k = 0; k < 3; k++)
                await trx
                  .insertInto("t")
                  .values({ id: w * 10 + k, v: "x" })
                  .execute();
            })
          : sql`select ${w}`.execute(db),
      ),
    );
    expect((await db.selectFrom("t").select("id").execute()).length).toBe(30);
  });
});
