import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { openDatabaseUrl } from "../../../data/db.js";
import { importClinics } from "../../../data/directory-import.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { toCp1251 } from "../../fixtures/cp1251.js";
import { rawSql } from "../../fixtures/database.js";
import { csvRow, freshDb, HEADER, NOW, type TestDb } from "./helpers.js";

const ROWS = 20_000;

/** A registry file of n clinics in Almaty, streamed in chunks as a file would be. */
async function* bigFile(n: number, failAfter?: number): AsyncGenerator<Buffer> {
  yield Buffer.from(`${HEADER}\n`);
  let chunk: string[] = [];
  for (let i = 1; i <= n; i++) {
    if (i === failAfter) throw new Error("disk read error");
    chunk.push(csvRow({ id: `big-${i}`, capacity: String(1000 + (i % 50)) }));
    if (chunk.length === 1000) {
      yield Buffer.from(`${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  if (chunk.length) yield Buffer.from(chunk.join("\n"));
}

/** Registry clinics as readers see the directory (they ask for active clinics). */
async function registryClinics(t: TestDb): Promise<number> {
  const { n } = await t.db
    .selectFrom("clinics")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("sample", "=", 0)
    .where("active", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(n);
}

describe("a large registry import while the bot serves", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    await seedDirectoryIfEmpty(t.db, NOW);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("answers readers between its steps, and they see the old directory whole until the new one is whole", async () => {
    // Another connection stands for the bot when the import runs as a CLI: it reads and writes between steps.
    const other = openDatabaseUrl(t.url);
    await rawSql(other.db, "CREATE TABLE probe (n INTEGER)");
    const timeline: ("step" | "read")[] = [];
    const seenInProcess = new Set<number>();
    const seenByOther = new Set<number>();
    let done = false;
    // In the same process (the bot's own connection): a reader that asks again as soon as it is answered.
    const reader = (async () => {
      while (!done) {
        seenInProcess.add(await registryClinics(t));
        timeline.push("read");
        await new Promise((r) => setImmediate(r));
      }
    })();
    const report = await importClinics(t.db, bigFile(ROWS), {
      format: "csv",
      partial: true,
      now: NOW,
      onBatch: async () => {
        timeline.push("step");
        const { rows } = await rawSql<{ n: number }>(
          other.db,
          "SELECT count(*) AS n FROM clinics WHERE sample = 0 AND active = 1",
        );
        const n = rows[0]?.n ?? -1;
        seenByOther.add(n);
        await rawSql(other.db, "INSERT INTO probe (n) VALUES (?)", n); // no write lock held between steps
      },
    });
    done = true;
    await reader;
    expect(report).toMatchObject({ rows: ROWS, added: ROWS, rejected: [], applied: true });
    const steps = timeline.filter((e) => e === "step").length;
    expect(steps).toBe(ROWS / 500);
    // Between any two steps the in-process reader got an answer: the import never held the connection throughout.
    const between = timeline.join(",").split("step").slice(1, -1);
    expect(between.every((s) => s.includes("read"))).toBe(true);
    // Nobody saw a half-imported directory: before the final step 0 registry clinics, after it all of them.
    expect([...seenByOther]).toEqual([0]);
    expect([...seenInProcess].every((n) => n === 0 || n === ROWS)).toBe(true);
    expect((await rawSql(other.db, "SELECT count(*) AS n FROM probe")).rows).toEqual([{ n: steps }]);
    expect(await registryClinics(t)).toBe(ROWS);
    expect(await getClinic(t.db, "big-777")).toMatchObject({ capacity: 1027, contractYears: [2026, 2027] });
    await other.close();
    // Nothing is left staged.
    expect(await t.db.selectFrom("import_staging").selectAll().execute()).toEqual([]);
  });

  it("a file that fails midway leaves the old directory as it was, and nothing staged", async () => {
    await importClinics(t.db, [HEADER, csvRow({ id: "old-1", capacity: "10" })].join("\n"), {
      format: "csv",
      now: NOW,
    });
    const before = await t.db.selectFrom("clinics").selectAll().orderBy("id").execute();
    await expect(importClinics(t.db, bigFile(5000, 3000), { format: "csv", now: NOW })).rejects.toThrow(
      /disk read error/,
    );
    expect(await t.db.selectFrom("clinics").selectAll().orderBy("id").execute()).toEqual(before);
    expect(await t.db.selectFrom("import_staging").selectAll().execute()).toEqual([]);
  });

  it("clears what an import that died before its final step left staged", async () => {
    // A process killed after staging a new clinic (written hidden) and before its final step.
    const before = await t.db.selectFrom("clinics").selectAll().orderBy("id").execute();
    const killed = importClinics(t.db, bigFile(3000, 2000), {
      format: "csv",
      now: NOW,
      onBatch: () => {
        throw new Error("killed");
      },
    });
    await expect(killed).rejects.toThrow("killed");
    // What the kill would have left: re-stage one hidden clinic under a dead import id, as the step did.
    await importClinics(t.db, [HEADER, csvRow({ id: "ghost" })].join("\n"), {
      format: "csv",
      partial: true,
      now: NOW,
      onBatch: async () => {
        await rawSql(t.db, "UPDATE import_staging SET import_id = 'dead'");
      },
    }).catch(() => undefined); // its final step finds its rows gone: "another import ran at the same time"
    expect(
      (await t.db.selectFrom("clinics").select("active").where("id", "=", "ghost").executeTakeFirst())?.active,
    ).toBe(0);
    await importClinics(t.db, [HEADER, csvRow({ id: "n-1" })].join("\n"), { format: "csv", partial: true, now: NOW });
    expect(await t.db.selectFrom("clinics").select("id").where("id", "=", "ghost").executeTakeFirst()).toBeUndefined();
    expect(await t.db.selectFrom("clinics").selectAll().where("id", "!=", "n-1").orderBy("id").execute()).toEqual(
      before,
    );
    expect(await t.db.selectFrom("import_staging").selectAll().execute()).toEqual([]);
  });

  it("imports a Windows-1251 file as the Russian it is, and says it read it so", async () => {
    const file = toCp1251(
      [HEADER, csvRow({ id: "w-1", name_ru: "Городская поликлиника №5", name_kk: "" })].join("\r\n"),
    );
    const report = await importClinics(t.db, file, { format: "csv", partial: true, now: NOW });
    expect(report).toMatchObject({ added: 1, encoding: "windows-1251" });
    expect((await getClinic(t.db, "w-1"))?.name).toEqual({
      ru: "Городская поликлиника №5",
      kk: "Городская поликлиника №5",
    });
  });
});
