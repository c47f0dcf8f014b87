import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { adjustAttachedCount, clinicFacts, getClinic } from "../../../data/repositories/clinics.js";
import {
  getRegion,
  getSettlement,
  getSettlementByAtuCode,
  listSettlements,
  searchSettlements,
} from "../../../data/repositories/places.js";
import { freshDb, NOW, type TestDb } from "./helpers.js";

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, NOW);
});
afterAll(async () => {
  await t.dispose();
});

describe("places", () => {
  it("lists a region's settlements centre first, one page at a time", async () => {
    const first = await listSettlements(t.db, "karaganda", { page: 0, pageSize: 4 });
    expect(first).toMatchObject({ total: 6, pages: 2, page: 0 });
    expect(first.items[0]).toMatchObject({
      id: "karaganda",
      kind: "city",
      name: { ru: "Караганда", kk: "Қарағанды" },
      atuCode: "351010000",
    });
    const second = await listSettlements(t.db, "karaganda", { page: 1, pageSize: 4 });
    // Botakara is a district centre (Bukhar-Zhyrau district), not a village.
    expect(second.items.map((s) => [s.id, s.kind])).toEqual([
      ["abai-town", "district_centre"],
      ["botakara", "district_centre"],
    ]);
    expect((await getRegion(t.db, "east-kazakhstan"))?.centreId).toBe("oskemen");
  });

  it("finds settlements by either language's name, any case, with or without Kazakh letters", async () => {
    for (const q of ["өскемен", "ӨСКЕМЕН", "Оскемен", "усть-кам", "УСТЬ КАМЕНОГОРСК"]) {
      expect(
        (await searchSettlements(t.db, q)).map((s) => s.id),
        q,
      ).toEqual(["oskemen"]);
    }
    expect((await searchSettlements(t.db, "шу")).map((s) => s.id)).toContain("shu");
    expect((await searchSettlements(t.db, "ақ", { regionId: "akmola" })).map((s) => s.id)).toEqual(["akkol"]);
    expect(await searchSettlements(t.db, "  ")).toEqual([]);
    expect((await getSettlementByAtuCode(t.db, "750000000"))?.id).toBe("almaty");
    expect(await getSettlement(t.db, "nowhere")).toBeUndefined();
  });
});

describe("attached count and clinic facts", () => {
  it("refuses to go past capacity (R6) unless told, and never below zero", async () => {
    const full = await getClinic(t.db, "sample-almaty-02");
    expect(full).toMatchObject({ capacity: 15000, attached: 15000, freeCapacity: 0 });
    expect(await adjustAttachedCount(t.db, "sample-almaty-02", 1)).toEqual({ ok: false, reason: "full" });
    expect(await adjustAttachedCount(t.db, "sample-almaty-02", -1)).toEqual({
      ok: true,
      attached: 14999,
      capacity: 15000,
    });
    expect(await adjustAttachedCount(t.db, "sample-almaty-02", 1)).toEqual({
      ok: true,
      attached: 15000,
      capacity: 15000,
    });
    expect(await adjustAttachedCount(t.db, "sample-almaty-02", 1, { allowOverCapacity: true })).toMatchObject({
      ok: true,
      attached: 15001,
    });
    expect(await adjustAttachedCount(t.db, "sample-astana-04", -1_000_000)).toMatchObject({ ok: true, attached: 0 });
    expect(await adjustAttachedCount(t.db, "no-such-clinic", 1)).toEqual({ ok: false, reason: "not_found" });
  });

  it("works inside the caller's transaction", async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await adjustAttachedCount(trx, "sample-almaty-01", 1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await getClinic(t.db, "sample-almaty-01"))?.attached).toBe(30110);
  });

  it("clinicFacts gives the rules exactly what they take", async () => {
    const c = await getClinic(t.db, "sample-astana-04");
    expect(c && clinicFacts(c)).toStrictEqual({
      id: "sample-astana-04",
      atuCode: "710000000",
      licensed: false,
      contractYears: [2026, 2027],
      capacity: 4000,
      attached: 0,
      active: true,
    });
  });
});
