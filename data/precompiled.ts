import { createQueryId, type Compilable, type CompiledQuery } from "kysely";
import type { Db } from "./db.js";
import { isPostgres } from "./dialect.js";
import { runNow } from "./sqlite-driver.js";

// A value may be null (or left out) where its column is: the stand-in is of the column's kind, null takes its place.
type Value = string | number | null | undefined;
type Kinds<P> = { [K in keyof P]-?: NonNullable<P[K]> extends number ? "number" : "string" };

/**
 * A hot query built and compiled once per kind of database, then run with each call's values. Kysely builds and
 * compiles a query on every call, which costs more than SQLite takes to run a small one (a five-join look-up: about
 * 45 µs of building around 18 µs of running). The query is built with a stand-in for each value; where a stand-in
 * lands among the compiled parameters, the call's value goes. Values the query holds itself stay as compiled.
 *
 * On SQLite the statement then runs at once when the connection is free, or held by the caller's transaction
 * (data/sqlite-driver.ts: runNow), rather than through kysely's executor.
 *
 * The compiled text depends only on the kind of database, never on a bot or a connection, so it is kept with the
 * query rather than in a bot's deps. Plugins see no query (kysely hands them the ones it builds): count statements
 * by their results.
 */
export function precompiled<P extends Record<string, Value>, O>(
  kinds: NoInfer<Kinds<P>>,
  build: (db: Db, values: P) => Compilable<O>,
): (db: Db, values: P) => Promise<O[]> {
  const compiled = new Map<boolean, { query: CompiledQuery<O>; slots: (keyof P | undefined)[] }>();
  const names = Object.keys(kinds) as (keyof P & string)[];
  return async (db, values) => {
    const kind = isPostgres(db);
    let c = compiled.get(kind);
    if (!c) {
      // Stand-ins no caller passes: a private-use text, or a negative number past any id.
      const standIns = Object.fromEntries(
        names.map((n, i) => [n, kinds[n] === "number" ? -9_000_000_000_000 - i : `\uE000${n}\uE000`]),
      ) as P;
      const query = build(db, standIns).compile();
      const slots = query.parameters.map((p) => names.find((n) => standIns[n] === p));
      for (const n of names)
        if (!slots.includes(n)) throw new Error(`precompiled: the value ${n} is not a parameter of the query`);
      c = { query, slots };
      compiled.set(kind, c);
    }
    const { query, slots } = c;
    const parameters = query.parameters.map((p, i) => {
      const slot = slots[i];
      return slot === undefined ? p : (values[slot] ?? null);
    });
    const now = runNow(db, query.sql, parameters) as O[] | undefined;
    if (now) return now;
    return (await db.executeQuery<O>({ ...query, parameters, queryId: createQueryId() })).rows;
  };
}
