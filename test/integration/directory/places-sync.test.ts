import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadShippedDirectory, readShippedDirectory, type PlacesFile } from "../../../data/datasets/load-directory.js";
import { syncShippedPlaces } from "../../../data/datasets/sync-places.js";
import { importClinics } from "../../../data/directory-import.js";
import { getSettlement, listDistricts, searchSettlements } from "../../../data/repositories/places.js";
import { csvRow, freshDb, HEADER, NOW, type TestDb } from "./helpers.js";

/** The shipped places with one more settlement in the Almaty region, as a developer would add it to places.json. */
function withNewSettlement(places: PlacesFile): PlacesFile {
  const copy = structuredClone(places);
  const region = copy.regions.find((r) => r.id === "almaty-region");
  if (!region) throw new Error("no almaty-region in places.json");
  region.settlements.push({
    id: "shelek",
    kind: "village",
    name: { ru: "Шелек", kk: "Шелек" },
    atuCode: "196299001",
    lat: 43.5975,
    lon: 78.2494,
  });
  return copy;
}

describe("shipped places reach an existing database", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("first start loads everything; the next start changes nothing (idempotent)", async () => {
    const first = await loadShippedDirectory(t.db, NOW);
    expect(first.seeded?.settlements).toBeGreaterThan(50);
    expect(first.places).toBeNull();
    const again = await loadShippedDirectory(t.db, NOW);
    expect(again.seeded).toBeNull();
    expect(again.places).toMatchObject({ added: 0, updated: 0 });
    expect(again.places?.unchanged).toBe(
      (first.seeded?.regions ?? 0) + (first.seeded?.settlements ?? 0) + (first.seeded?.districts ?? 0),
    );
  });

  it("a settlement added to places.json is added, found by search, and a registry row can then use it", async () => {
    await loadShippedDirectory(t.db, NOW);
    const { places } = readShippedDirectory();
    const counts = await t.db.transaction().execute((trx) => syncShippedPlaces(trx, withNewSettlement(places)));
    expect(counts).toMatchObject({ added: 1, updated: 0 });
    expect((await getSettlement(t.db, "shelek"))?.name.ru).toBe("Шелек");
    expect((await searchSettlements(t.db, "шелек")).map((s) => s.id)).toContain("shelek");
    const report = await importClinics(
      t.db,
      [HEADER, csvRow({ id: "shelek-1", settlement: "196299001", lat: "43.5990", lon: "78.2510" })].join("\n"),
      {
        format: "csv",
        partial: true,
        now: NOW,
      },
    );
    expect(report).toMatchObject({ added: 1, rejected: [] });
    // Again: nothing to do.
    expect(await syncShippedPlaces(t.db, withNewSettlement(places))).toMatchObject({ added: 0, updated: 0 });
  });

  it("a renamed place is updated by id; a place the file no longer has is kept (clinics and requests point at it)", async () => {
    await loadShippedDirectory(t.db, NOW);
    const { places } = readShippedDirectory();
    const renamed = structuredClone(places);
    const almaty = renamed.regions.flatMap((r) => r.settlements).find((s) => s.id === "almaty");
    const district = almaty?.districts?.find((d) => d.id === "almaty-bostandyk");
    if (!district) throw new Error("no Bostandyk district");
    district.name.ru = "Бостандыкский район города Алматы";
    // Drop a settlement that has clinics: the database must keep it.
    const shymkentRegion = renamed.regions.find((r) => r.id === "shymkent");
    if (shymkentRegion) shymkentRegion.settlements = shymkentRegion.settlements.filter((s) => s.id !== "shymkent");
    const counts = await syncShippedPlaces(t.db, renamed);
    expect(counts).toMatchObject({ added: 0, updated: 1 });
    expect((await listDistricts(t.db, "almaty")).find((d) => d.id === "almaty-bostandyk")?.name.ru).toBe(
      "Бостандыкский район города Алматы",
    );
    expect(await getSettlement(t.db, "shymkent")).toBeDefined();
  });

  it("a database seeded before the 2024 changes gets them at the next start: Сарайшық, Алатау, and the kinds of Kazalinsk, Botakara, Bayanaul", async () => {
    const { places } = readShippedDirectory();
    // The places as they were shipped before: five Astana districts, no Алатау, three settlements called villages.
    const before = structuredClone(places);
    for (const r of before.regions) {
      r.settlements = r.settlements.filter((s) => s.id !== "alatau");
      for (const s of r.settlements) {
        if (s.id === "astana") s.districts = s.districts?.filter((d) => d.id !== "astana-saraishyk");
        if (["kazalinsk", "botakara", "bayanaul"].includes(s.id)) s.kind = "village";
      }
    }
    await t.db.transaction().execute((trx) => syncShippedPlaces(trx, before));
    expect((await getSettlement(t.db, "kazalinsk"))?.kind).toBe("village");

    const counts = await loadShippedDirectory(t.db, NOW);
    // Added: Алатау, Сарайшық; updated: the three kinds, and Сарыарқа district's place in the list after Сарайшық.
    expect(counts.places).toMatchObject({ added: 2, updated: 4 });
    expect((await getSettlement(t.db, "kazalinsk"))?.kind).toBe("city");
    expect((await getSettlement(t.db, "botakara"))?.kind).toBe("district_centre");
    expect((await getSettlement(t.db, "bayanaul"))?.kind).toBe("district_centre");
    expect((await getSettlement(t.db, "alatau"))?.name.ru).toBe("Алатау");
    expect((await listDistricts(t.db, "astana")).map((d) => d.id)).toContain("astana-saraishyk");
    expect((await loadShippedDirectory(t.db, NOW)).places).toMatchObject({ added: 0, updated: 0 });
  });
});
