import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeDirectory, type ClinicsFile, type PlacesFile } from "../../../data/datasets/load-directory.js";
import { distanceMeters, nearestClinics } from "../../../data/repositories/clinics.js";
import { freshDb, NOW, type TestDb } from "./helpers.js";

// Hand-computed with R = 6 371 008.8 m (the radius the code uses):
//   along a meridian        d = R·Δφ                          0.01° → 1111.95 m, 0.03° → 3335.85 m, 1° → 111 195.08 m
//   along the parallel φ₀    d = 2R·asin(cos φ₀ · sin(Δλ/2))   φ₀ = 51.1605°: 0.02° → 1394.70 m, 0.5° → 34 867.43 m
const A = { lat: 51.1605, lon: 71.4704 }; // Astana
const K = { lat: 49.8028, lon: 73.0875 }; // Karaganda

const place = (id: string, p: { lat: number; lon: number }, atu: string) => ({
  id,
  kind: "city" as const,
  name: { ru: id, kk: id },
  atuCode: atu,
  ...p,
});
const places: PlacesFile = {
  note: "test",
  regions: [
    {
      id: "r1",
      kind: "oblast",
      name: { ru: "R1", kk: "R1" },
      atuCode: "100000000",
      centre: "north-city",
      settlements: [
        place("north-city", A, "101010000"),
        place("east-town", { lat: A.lat, lon: A.lon + 0.5 }, "101030000"),
      ],
    },
    {
      id: "r2",
      kind: "oblast",
      name: { ru: "R2", kk: "R2" },
      atuCode: "200000000",
      centre: "karaganda",
      settlements: [place("karaganda", K, "201010000")],
    },
  ],
};
const clinic = (
  id: string,
  settlement: string,
  p: { lat: number; lon: number },
  extra: Partial<ClinicsFile["clinics"][number]> = {},
) => ({
  id,
  sample: true,
  figures: "illustrative" as const,
  name: { ru: id, kk: id },
  address: { ru: "-", kk: "-" },
  settlement,
  district: null,
  ...p,
  phone: null,
  hours: null,
  kind: "mixed" as const,
  provider: "organisation" as const,
  licensed: true,
  licenceNumber: null,
  contractYears: [2026],
  capacity: 100,
  attached: 40,
  active: true,
  ...extra,
});
const clinics: ClinicsFile = {
  note: "test",
  clinics: [
    clinic("c-3335", "north-city", { lat: A.lat - 0.03, lon: A.lon }, { attached: 100 }),
    clinic("c-1112", "north-city", { lat: A.lat + 0.01, lon: A.lon }),
    clinic("c-closed", "north-city", { lat: A.lat + 0.001, lon: A.lon }, { active: false }),
    clinic("c-1395", "north-city", { lat: A.lat, lon: A.lon + 0.02 }, { attached: 130 }),
    clinic("c-111195", "north-city", { lat: A.lat + 1, lon: A.lon }),
    clinic("c-34867", "east-town", { lat: A.lat, lon: A.lon + 0.5 }),
    // Outside the first 2 km search box, but nearer than the one in its corner:
    clinic("k-north-2057", "karaganda", { lat: K.lat + 0.0185, lon: K.lon }),
    clinic("k-diagonal-2102", "karaganda", { lat: K.lat + 0.0135, lon: K.lon + 0.0205 }),
  ],
};

describe("nearest clinics", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    await t.db.transaction().execute((trx) => writeDirectory(trx, places, clinics, NOW.toISOString()));
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("orders active clinics by distance, in metres as computed by hand, with free capacity", async () => {
    const near = await nearestClinics(t.db, A, 3);
    expect(near.map((c) => [c.id, c.distanceMeters, c.freeCapacity])).toEqual([
      ["c-1112", 1112, 60],
      ["c-1395", 1395, 0], // over its limit: free capacity is 0, not negative
      ["c-3335", 3336, 0],
    ]);
    expect(near.map((c) => c.id)).not.toContain("c-closed");
  });

  it("widens the search until it has n clinics, across settlements unless one is given", async () => {
    const all = await nearestClinics(t.db, A, 10);
    expect(all.map((c) => [c.id, c.distanceMeters])).toEqual([
      ["c-1112", 1112],
      ["c-1395", 1395],
      ["c-3335", 3336],
      ["c-34867", 34867],
      ["c-111195", 111195],
      ["k-north-2057", expect.any(Number)],
      ["k-diagonal-2102", expect.any(Number)],
    ]);
    const sameTown = await nearestClinics(t.db, A, 10, { settlementId: "north-city" });
    expect(sameTown.map((c) => c.id)).toEqual(["c-1112", "c-1395", "c-3335", "c-111195"]);
    expect(await nearestClinics(t.db, A, 0)).toEqual([]);
  });

  it("does not return a clinic in the box's corner before a nearer one just outside the box", async () => {
    const [first, second] = await nearestClinics(t.db, K, 2);
    expect([first?.id, first?.distanceMeters]).toEqual(["k-north-2057", 2057]);
    expect([second?.id, second?.distanceMeters]).toEqual(["k-diagonal-2102", 2102]);
  });

  it("haversine matches the hand-computed values to the centimetre", () => {
    expect(distanceMeters(A, { lat: A.lat + 0.01, lon: A.lon })).toBeCloseTo(1111.95, 1);
    expect(distanceMeters(A, { lat: A.lat, lon: A.lon + 0.02 })).toBeCloseTo(1394.7, 1);
    expect(distanceMeters(A, { lat: A.lat, lon: A.lon + 0.5 })).toBeCloseTo(34867.43, 1);
    expect(distanceMeters(A, { lat: A.lat + 1, lon: A.lon })).toBeCloseTo(111195.08, 1);
    expect(distanceMeters(K, { lat: K.lat + 0.0135, lon: K.lon + 0.0205 })).toBeCloseTo(2101.74, 1);
  });
});
