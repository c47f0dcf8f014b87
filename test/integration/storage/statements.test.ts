import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cachingStatements } from "../../../data/db.js";

describe("the statement cache under kysely", () => {
  it("hands back the compiled statement for the same SQL and forgets the least recently used beyond its size", () => {
    const sqlite = new SQLite(":memory:");
    const cache = cachingStatements(sqlite, 2);
    const a = cache.prepare("select 1");
    expect(cache.prepare("select 1")).toBe(a);
    const b = cache.prepare("select 2");
    cache.prepare("select 1"); // now "select 2" is the oldest
    cache.prepare("select 3");
    expect(cache.prepare("select 1")).toBe(a);
    expect(cache.prepare("select 2")).not.toBe(b);
    expect(a.all([])).toEqual([{ 1: 1 }]);
    cache.close();
  });
});
