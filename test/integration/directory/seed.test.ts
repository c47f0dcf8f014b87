import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clinicsFileSchema,
  readShippedDirectory,
  seedDirectoryIfEmpty,
} from "../../../data/datasets/load-directory.js";
import { distanceMeters, getClinic } from "../../../data/repositories/clinics.js";
import { listDistricts, listRegions } from "../../../data/repositories/places.js";
import { freshDb, NOW, type TestDb } from "./helpers.js";

describe("shipped directory", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("loads once, on an empty directory, in one go", async () => {
    const counts = await seedDirectoryIfEmpty(t.db, NOW);
    expect(counts).toMatchObject({ regions: 20, districts: 19 });
    expect(counts?.clinics).toBeGreaterThanOrEqual(80);
    expect(await seedDirectoryIfEmpty(t.db, NOW)).toBeNull();
    const { n } = await t.db
      .selectFrom("clinics")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(n).toBe(counts?.clinics);
  });

  it("has the 17 oblasts and 3 cities of the country with their districts (8, 6, 5)", async () => {
    await seedDirectoryIfEmpty(t.db, NOW);
    const regions = await listRegions(t.db);
    expect(regions.filter((r) => r.kind === "oblast")).toHaveLength(17);
    expect(regions.filter((r) => r.kind === "city").map((r) => r.name.ru)).toEqual(["Астана", "Алматы", "Шымкент"]);
    expect((await listDistricts(t.db, "almaty")).map((d) => d.name.kk)).toEqual([
      "Алатау ауданы",
      "Алмалы ауданы",
      "Әуезов ауданы",
      "Бостандық ауданы",
      "Жетісу ауданы",
      "Медеу ауданы",
      "Наурызбай ауданы",
      "Түрксіб ауданы",
    ]);
    // Six since August 2024: Сарайшық split from Алматы district.
    expect((await listDistricts(t.db, "astana")).map((d) => d.name.kk)).toEqual([
      "Алматы ауданы",
      "Байқоңыр ауданы",
      "Есіл ауданы",
      "Нұра ауданы",
      "Сарайшық ауданы",
      "Сарыарқа ауданы",
    ]);
    expect(await listDistricts(t.db, "shymkent")).toHaveLength(5);
  });

  it("every region's centre has a clinic, and every clinic lies in its city", async () => {
    await seedDirectoryIfEmpty(t.db, NOW);
    const { places, clinics } = readShippedDirectory();
    const settlements = new Map(places.regions.flatMap((r) => r.settlements).map((s) => [s.id, s]));
    for (const r of places.regions)
      expect(
        clinics.clinics.some((c) => c.settlement === r.centre),
        r.id,
      ).toBe(true);
    for (const c of clinics.clinics) {
      const s = settlements.get(c.settlement);
      expect(s, c.id).toBeDefined();
      if (s) expect(distanceMeters(c, s), c.id).toBeLessThan(20_000);
    }
    for (const city of ["almaty", "astana", "shymkent"]) {
      const districts = new Set(clinics.clinics.filter((c) => c.settlement === city).map((c) => c.district));
      expect(districts.size, city).toBe(settlements.get(city)?.districts?.length);
    }
  });

  it("labels sample entries and keeps the real clinics named in the press with a note on what is illustrative", async () => {
    const { clinics } = readShippedDirectory();
    expect(clinics.note).toMatch(/NOT the official registry/);
    const real = clinics.clinics.filter((c) => !c.sample);
    expect(real.map((c) => c.id).sort()).toEqual(
      [
        "almaty-gp-1",
        "almaty-gp-12",
        "almaty-gp-17",
        "almaty-gp-37",
        "almaty-gp-4",
        "almaty-gp-7",
        "astana-gp-9",
        "shymkent-gp-1",
        "shymkent-gp-13",
        "shymkent-gp-2",
      ].sort(),
    );
    for (const c of real) expect(c.note, c.id).toMatch(/ILLUSTRATIVE/);
    expect(real.find((c) => c.id === "astana-gp-9")?.attached).toBeGreaterThan(91_000);
    expect(real.find((c) => c.id === "shymkent-gp-1")?.address.ru).toBe("пр. Тауке хана, 35");
  });

  it("no shipped figure passes for the registry's: every entry is figures: illustrative, real ones list their real facts", async () => {
    const { clinics } = readShippedDirectory();
    expect(clinics.note).toMatch(/No figure in this file comes from the official registry/);
    for (const c of clinics.clinics) {
      expect(c.figures, c.id).toBe("illustrative");
      if (c.sample) expect(c.realFacts, c.id).toBeUndefined();
      else expect(c.realFacts?.[0], c.id).toBe("name");
    }
    expect(clinics.clinics.find((c) => c.id === "shymkent-gp-1")?.realFacts).toEqual(["name", "address"]);
    expect(clinics.clinics.find((c) => c.id === "astana-gp-9")?.realFacts).toContain("attached");
    await seedDirectoryIfEmpty(t.db, NOW);
    // In the database both kinds are "not from the registry": the card carries the illustrative note for both.
    for (const id of ["sample-almaty-01", "almaty-gp-37", "astana-gp-9"]) {
      const c = await getClinic(t.db, id);
      expect(c?.figures, id).toBe("illustrative");
      expect(c?.sample, id).toBe(true);
    }
  });

  it("a shipped file claiming registry figures, or a real clinic without its real facts, is refused", () => {
    const { clinics } = readShippedDirectory();
    const real = clinics.clinics.find((c) => !c.sample);
    expect(clinicsFileSchema.safeParse({ ...clinics, clinics: [{ ...real, figures: "registry" }] }).success).toBe(
      false,
    );
    expect(clinicsFileSchema.safeParse({ ...clinics, clinics: [{ ...real, realFacts: undefined }] }).success).toBe(
      false,
    );
    expect(clinicsFileSchema.safeParse({ ...clinics, clinics: [real] }).success).toBe(true);
  });

  it("has the cases the bot must handle: full, unlicensed, no Fund contract, inactive, children's, family", () => {
    const list = readShippedDirectory().clinics.clinics;
    expect(list.filter((c) => c.attached >= c.capacity).length).toBeGreaterThanOrEqual(3);
    expect(list.some((c) => !c.licensed)).toBe(true);
    expect(list.some((c) => !c.contractYears.includes(2027))).toBe(true);
    expect(list.some((c) => !c.active)).toBe(true);
    expect(list.filter((c) => c.kind === "children").length).toBeGreaterThan(3);
    expect(list.filter((c) => c.kind === "family").length).toBeGreaterThan(3);
    for (const c of list) if (c.phone) expect(c.phone).toMatch(/^\+7\d{10}$/);
  });
});
