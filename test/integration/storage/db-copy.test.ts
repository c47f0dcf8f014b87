import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { ROOT } from "../../../scripts/stack/bot-process.js";
import { testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { openTestDatabase, rawSql, type TestDatabase } from "../../fixtures/database.js";
import { insertRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";

// Moving a service from SQLite to PostgreSQL: `npm run db:copy -- <from> <to>`. Needs the PostgreSQL server, so it
// runs in the PostgreSQL test run.
const NOW = new Date("2026-09-15T05:00:00.000Z");

function dbCopy(from: string, to: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", from, to], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", DOTENV_CONFIG_PATH: "/dev/null" },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe.skipIf(!testsOnPostgres())("npm run db:copy: SQLite to PostgreSQL", () => {
  const opened: TestDatabase[] = [];
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.dispose();
  });

  it("copies every row, keeps ids and sealed values, rebuilds the tallies, and the next id follows the copied ones", async () => {
    const source = await openTestDatabase({ kind: "sqlite" });
    const target = await openTestDatabase({ kind: "postgres" });
    opened.push(source, target);
    await seedDirectoryIfEmpty(source.db, NOW);
    await source.db
      .insertInto("users")
      .values({ id: 5_000_000_001, language: "kk", first_seen: NOW.toISOString(), last_seen: NOW.toISOString() })
      .execute();
    for (let i = 0; i < 3; i++) await insertRequest(source.db, { id: 40 + i, iin: `90010150000${i}` });
    await insertRequest(source.db, { status: "approved", decided_at: "2026-09-16T06:00:00.000Z", decided_by: 1 });
    await source.db
      .insertInto("audit_log")
      .values({ at: NOW.toISOString(), actor_id: 1, action: "approve", request_id: 40 })
      .execute();
    await source.close();

    const r = dbCopy(source.url, target.url);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verified: \d+ tables, \d+ rows, the same counts on both sides/);

    const user = await target.db.selectFrom("users").selectAll().where("id", "=", 5_000_000_001).executeTakeFirst();
    expect(user?.language).toBe("kk");
    const copied = await target.db.selectFrom("requests").selectAll().orderBy("id").execute();
    expect(copied.map((x) => x.id).slice(0, 3)).toEqual([40, 41, 42]);
    expect(testVault.open(copied[0]?.iin_sealed ?? "", "iin")).toBe("900101500000");
    const tally = await rawSql<{ n: number }>(
      target.db,
      "SELECT sum(n) AS n FROM request_tally WHERE scope = '*' AND grain = 'm' AND facet = 'status'",
    );
    expect(Number(tally.rows[0]?.n)).toBe(4);
    const next = await insertRequest(target.db);
    expect(next.id).toBeGreaterThan(Math.max(...copied.map((x) => x.id)));
    const clinics = await target.db
      .selectFrom("clinics")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(clinics.n)).toBeGreaterThan(0);

    // Copying again onto the same target is refused: rows there would be doubled or mixed.
    const again = dbCopy(source.url, target.url);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toMatch(/^db:copy: the target already holds \w+: copy into a new, empty database$/);
  }, 120_000);

  it("names a URL that is neither SQLite nor PostgreSQL, in one line", () => {
    const r = dbCopy("mysql://x/y", "postgres://postgres@127.0.0.1/none");
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^db:copy: <from-url> must be a SQLite file .* or a PostgreSQL URL/);
  });
});
