import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../../data/checkpointer.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";

let dir = "";
let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("checkpoints in a worker thread", () => {
  it("copy the write-ahead log into the database while the writer's own threshold is out of reach", async () => {
    dir = mkdtempSync(join(tmpdir(), "emhana-ckpt-"));
    const path = join(dir, "db.sqlite");
    opened = openDatabase(`file:${path}`);
    const sqlite = opened.sqlite;
    sqlite.exec("create table t (id integer primary key, v text)");
    let done!: (r: { log: number; checkpointed: number }) => void;
    const full = new Promise<{ log: number; checkpointed: number }>((r) => (done = r));
    const ckpt = startCheckpointer(path, sqlite, {
      intervalMs: 20,
      onCheckpoint: (r) => {
        if (r.log > 100 && r.checkpointed === r.log) done(r);
      },
    });
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    const insert = sqlite.prepare("insert into t (v) values (?)");
    for (let i = 0; i < 2000; i++) insert.run("x".repeat(500)); // ~250 pages, each commit its own frames
    const r = await full;
    expect(r.checkpointed).toBe(r.log);
    const before = statSync(path).size;
    expect(before).toBeGreaterThan(500 * 2000); // the rows are in the database file, not only in the log
    await ckpt.stop();
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
