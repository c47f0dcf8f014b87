import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, sqlitePathFromUrl } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";
import { postgresMigrations } from "../../../data/migrations/postgres/index.js";
import { freshPostgres, testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { rawSqlAt } from "../../fixtures/database.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "emhana-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an opened database: WAL, busy timeout, foreign keys, normal sync", () => {
  it("runs in WAL mode with a busy timeout, foreign keys on and synchronous NORMAL", async () => {
    const opened = openDatabase(`file:${join(dir, "pragmas.sqlite")}`);
    try {
      expect(opened.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(opened.sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(opened.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(opened.sqlite.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      // foreign_keys is really enforced, not just reported.
      opened.sqlite.exec("create table p (id integer primary key); create table c (p integer references p(id));");
      expect(() => opened.sqlite.exec("insert into c values (42)")).toThrow(/FOREIGN KEY/);
    } finally {
      await opened.close();
    }
  });

  it("a second connection (a script, a backup) waits for a writer instead of failing at once", async () => {
    const path = join(dir, "busy.sqlite");
    const a = openDatabase(`sqlite:${path}`);
    const b = new SQLite(path);
    try {
      b.pragma("busy_timeout = 0");
      a.sqlite.exec("create table t (x)");
      a.sqlite.exec("begin immediate; insert into t values (1)");
      // Without a busy timeout the other writer fails at once; ours would wait up to 5 s.
      expect(() => b.exec("insert into t values (2)")).toThrow(/locked|busy/i);
      a.sqlite.exec("commit");
      b.exec("insert into t values (2)");
      expect(a.sqlite.prepare("select count(*) as n from t").get()).toEqual({ n: 2 });
    } finally {
      b.close();
      await a.close();
    }
  });

  it("refuses a DATABASE_URL that is not SQLite instead of creating a file named after it", () => {
    expect(() => sqlitePathFromUrl("mysql://x")).toThrow(/DATABASE_URL must be a SQLite file .* or a PostgreSQL URL/);
    expect(() => sqlitePathFromUrl("postgres://x")).toThrow(/DATABASE_URL names a PostgreSQL server/);
    expect(existsSync(resolve("mysql:"))).toBe(false);
    expect(existsSync(resolve("postgres:"))).toBe(false);
    expect(sqlitePathFromUrl("file::memory:")).toBe(":memory:");
  });
});

function script(name: string, url: string, args: string[] = []) {
  return spawnSync("npm", ["run", "--silent", name, "--", ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DOTENV_CONFIG_PATH: "/dev/null",
      DATABASE_URL: url,
    },
    encoding: "utf8",
  });
}
const migrate = (url: string) => script("migrate", url);

describe("npm run migrate", () => {
  it.skipIf(testsOnPostgres())(
    "creates a fresh file with every migration, then finds it up to date",
    async () => {
      const path = join(dir, "nested", "fresh.sqlite");
      const first = migrate(`file:${path}`);
      expect(first.stderr).toBe("");
      expect(first.status).toBe(0);
      expect(first.stdout.trim()).toBe(`applied: ${Object.keys(migrations).join(", ")}`);
      const again = migrate(`file:${path}`);
      expect(again.status).toBe(0);
      expect(again.stdout.trim()).toBe("database is up to date");
      const opened = openDatabase(`file:${path}`);
      try {
        const tables = opened.sqlite.prepare("select name from sqlite_master where type = 'table'").all() as {
          name: string;
        }[];
        expect(tables.map((t) => t.name)).toEqual(
          expect.arrayContaining(["users", "settings", "clinics", "requests", "kysely_migration"]),
        );
        expect(opened.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        await opened.close();
      }
    },
    60_000,
  );

  it.runIf(testsOnPostgres())(
    "brings an empty PostgreSQL database to the baseline, then finds it up to date",
    async () => {
      const pg = await freshPostgres();
      try {
        const first = migrate(pg.url);
        expect(first.stderr).toBe("");
        expect(first.status).toBe(0);
        expect(first.stdout.trim()).toBe(`applied: ${Object.keys(postgresMigrations).join(", ")}`);
        const again = migrate(pg.url);
        expect(again.status).toBe(0);
        expect(again.stdout.trim()).toBe("database is up to date");
        const tables = await rawSqlAt<{ name: string }>(
          pg.url,
          "select table_name as name from information_schema.tables where table_schema = 'public'",
        );
        expect(tables.rows.map((t) => t.name)).toEqual(
          expect.arrayContaining(["users", "settings", "clinics", "requests", "kysely_migration"]),
        );
      } finally {
        await pg.drop();
      }
    },
    60_000,
  );

  it.each([
    ["migrate", []],
    ["backup", []],
    ["import:clinics", ["data/datasets/clinics.json"]],
  ])(
    "npm run %s says DATABASE_URL: … and exits 1 for a URL neither SQLite nor PostgreSQL, creating nothing",
    (name, args) => {
      const r = script(name, "mysql://x", args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(/^DATABASE_URL: must be a SQLite file .* or a PostgreSQL URL/);
      expect(existsSync(join(ROOT, "mysql:"))).toBe(false);
    },
    60_000,
  );
});

describe("npm run backup", () => {
  it("says in one line that a PostgreSQL database is backed up with its own tools, writing no copy", () => {
    const target = join(dir, "copies", "pg.sqlite");
    const r = script("backup", "postgres://x", [target]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "backup: DATABASE_URL names a PostgreSQL server: back it up with its own tools (pg_dump)",
    );
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it("writes a consistent copy of a database in use to the path given", async () => {
    const path = join(dir, "live.sqlite");
    expect(migrate(`file:${path}`).status).toBe(0);
    const live = openDatabase(`file:${path}`);
    try {
      live.sqlite
        .prepare(
          "insert into settings (key, value, updated_at) values ('backup-probe', '1', '2026-12-01T00:00:00.000Z')",
        )
        .run();
      const target = join(dir, "copies", "copy.sqlite");
      const r = script("backup", `file:${path}`, [target]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(`backup written: ${target}`);
      const copy = new SQLite(target, { readonly: true });
      try {
        expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(copy.prepare("select value from settings where key = 'backup-probe'").get()).toEqual({ value: "1" });
      } finally {
        copy.close();
      }
    } finally {
      await live.close();
    }
  }, 60_000);
});
