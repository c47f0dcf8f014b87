import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, sqlitePathFromUrl } from "../../../data/db.js";
import { migrations } from "../../../data/migrations/index.js";

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
    expect(() => sqlitePathFromUrl("postgres://x")).toThrow(/DATABASE_URL must be a SQLite file/);
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
  it("creates a fresh file with every migration, then finds it up to date", async () => {
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
  }, 60_000);

  it.each([
    ["migrate", []],
    ["backup", []],
    ["import:clinics", ["data/datasets/clinics.json"]],
  ])(
    "npm run %s says DATABASE_URL: … and exits 1 for a non-SQLite URL, creating nothing",
    (name, args) => {
      const r = script(name, "postgres://x", args);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(/^DATABASE_URL: must be a SQLite file/);
      expect(existsSync(join(ROOT, "postgres:"))).toBe(false);
    },
    60_000,
  );
});

describe("npm run backup", () => {
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
