import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import {
  countLinkStart,
  linkStartsByClinic,
  savePendingLink,
  takePendingLink,
} from "../../../data/repositories/link-starts.js";
import { freshDb, type TestDb } from "../directory/helpers.js";

const ALL = { clinicIds: null, settlementId: null };
const SEPTEMBER = { from: "2026-09-01", to: "2026-09-30" };

describe("starts by a clinic's link: counts per clinic and day, read within a scope", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
    await seedDirectoryIfEmpty(t.db);
    for (const [clinic, day, times] of [
      ["almaty-gp-1", "2026-09-15", 3],
      ["almaty-gp-1", "2026-09-16", 1],
      ["almaty-gp-4", "2026-09-15", 2],
      ["astana-gp-9", "2026-09-15", 1],
      ["astana-gp-9", "2026-10-02", 5],
    ] as const) {
      for (let i = 0; i < times; i++) await countLinkStart(t.db, clinic, day);
    }
  });
  afterAll(async () => {
    await t.dispose();
  });

  it("one row per clinic and day, counted up; no one's id is stored with it", async () => {
    const rows = await t.db.selectFrom("link_starts").selectAll().orderBy("clinic_id").orderBy("day").execute();
    expect(rows).toEqual([
      { clinic_id: "almaty-gp-1", day: "2026-09-15", n: 3 },
      { clinic_id: "almaty-gp-1", day: "2026-09-16", n: 1 },
      { clinic_id: "almaty-gp-4", day: "2026-09-15", n: 2 },
      { clinic_id: "astana-gp-9", day: "2026-09-15", n: 1 },
      { clinic_id: "astana-gp-9", day: "2026-10-02", n: 5 },
    ]);
  });

  it("sums the days of a range, most first, for everyone, some clinics or one settlement", async () => {
    expect(await linkStartsByClinic(t.db, ALL, SEPTEMBER)).toEqual([
      { clinicId: "almaty-gp-1", n: 4 },
      { clinicId: "almaty-gp-4", n: 2 },
      { clinicId: "astana-gp-9", n: 1 },
    ]);
    expect(await linkStartsByClinic(t.db, ALL, { from: "2026-09-15", to: "2026-09-15" })).toEqual([
      { clinicId: "almaty-gp-1", n: 3 },
      { clinicId: "almaty-gp-4", n: 2 },
      { clinicId: "astana-gp-9", n: 1 },
    ]);
    expect(await linkStartsByClinic(t.db, { clinicIds: ["almaty-gp-4"], settlementId: null }, SEPTEMBER)).toEqual([
      { clinicId: "almaty-gp-4", n: 2 },
    ]);
    expect(await linkStartsByClinic(t.db, { clinicIds: null, settlementId: "astana" }, SEPTEMBER)).toEqual([
      { clinicId: "astana-gp-9", n: 1 },
    ]);
    expect(
      await linkStartsByClinic(
        t.db,
        { clinicIds: null, settlementId: "astana" },
        { from: "2026-10-01", to: "2026-10-31" },
      ),
    ).toEqual([{ clinicId: "astana-gp-9", n: 5 }]);
  });

  it("an empty clinic list reaches nothing rather than everything", async () => {
    expect(await linkStartsByClinic(t.db, { clinicIds: [], settlementId: null }, SEPTEMBER)).toEqual([]);
  });
});

describe("the link a person opened before choosing a language", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb();
  });
  afterAll(async () => {
    await t.dispose();
  });

  it("is kept per person, a newer link replaces it, and it is taken once", async () => {
    await savePendingLink(t.db, 1, JSON.stringify({ kind: "clinic", clinicId: "almaty-gp-1" }), "2026-09-15T05:00:00Z");
    await savePendingLink(t.db, 1, JSON.stringify({ kind: "apply" }), "2026-09-15T05:01:00Z");
    await savePendingLink(t.db, 2, JSON.stringify({ kind: "check" }), "2026-09-15T05:02:00Z");
    expect(await takePendingLink(t.db, 1)).toBe(JSON.stringify({ kind: "apply" }));
    expect(await takePendingLink(t.db, 1)).toBeUndefined();
    expect(await takePendingLink(t.db, 2)).toBe(JSON.stringify({ kind: "check" }));
  });
});
