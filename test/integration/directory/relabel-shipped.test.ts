import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadShippedDirectory, readShippedDirectory } from "../../../data/datasets/load-directory.js";
import { importClinics } from "../../../data/directory-import.js";
import { adjustAttachedCount, getClinic } from "../../../data/repositories/clinics.js";
import { csvRow, freshDb, HEADER, NOW, type TestDb } from "./helpers.js";

const REAL = readShippedDirectory()
  .clinics.clinics.filter((c) => !c.sample)
  .map((c) => c.id);

/** What a database seeded before clinics.json said `figures` holds: the real clinics with sample = 0. */
async function asSeededByTheOldLoader(t: TestDb): Promise<void> {
  await loadShippedDirectory(t.db, NOW);
  await t.db.updateTable("clinics").set({ sample: 0 }).where("id", "in", REAL).execute();
}

const sampleFlags = async (t: TestDb) =>
  Object.fromEntries(
    (await t.db.selectFrom("clinics").select(["id", "sample"]).where("id", "in", REAL).execute()).map((r) => [
      r.id,
      r.sample,
    ]),
  );

describe("an old database's shipped real clinics get their 'illustrative' label back at start", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("the 10 real clinics untouched by an import are relabelled (attached moved by approvals or not); an imported one keeps the registry's label; once", async () => {
    expect(REAL).toHaveLength(10);
    await asSeededByTheOldLoader(t);
    // An approval moved one count; a registry import rewrote another real clinic with its own figures.
    expect((await adjustAttachedCount(t.db, "almaty-gp-1", 1)).ok).toBe(true);
    const file = [
      HEADER,
      csvRow({
        id: "almaty-gp-4",
        name_ru: "Городская поликлиника №4",
        name_kk: "№4 қалалық емхана",
        capacity: "40000",
        attached: "36000",
      }),
    ].join("\n");
    expect(await importClinics(t.db, file, { format: "csv", partial: true, now: NOW })).toMatchObject({
      updated: 1,
      rejected: [],
    });

    const start = await loadShippedDirectory(t.db, NOW);
    expect(start.clinicsRelabelled).toBe(9);
    const flags = await sampleFlags(t);
    for (const id of REAL) expect(flags[id], id).toBe(id === "almaty-gp-4" ? 0 : 1);
    expect((await getClinic(t.db, "almaty-gp-1"))?.figures).toBe("illustrative");
    expect((await getClinic(t.db, "almaty-gp-4"))?.figures).toBe("registry");

    const before = await t.db.selectFrom("clinics").select(["id", "updated_at"]).orderBy("id").execute();
    const again = await loadShippedDirectory(t.db, new Date(NOW.getTime() + 86_400_000));
    expect(again.clinicsRelabelled).toBe(0);
    expect(await t.db.selectFrom("clinics").select(["id", "updated_at"]).orderBy("id").execute()).toEqual(before);
  });

  it("a shipped clinic deactivated by a full import still holds the shipped figures: relabelled too", async () => {
    await asSeededByTheOldLoader(t);
    await t.db.updateTable("clinics").set({ active: 0 }).where("id", "=", "astana-gp-9").execute();
    expect((await loadShippedDirectory(t.db, NOW)).clinicsRelabelled).toBe(10);
    expect((await getClinic(t.db, "astana-gp-9"))?.figures).toBe("illustrative");
  });

  it("a fresh database is seeded right: nothing to relabel", async () => {
    expect((await loadShippedDirectory(t.db, NOW)).clinicsRelabelled).toBe(0);
    expect(Object.values(await sampleFlags(t))).toEqual(REAL.map(() => 1));
  });
});
