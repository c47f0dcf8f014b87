import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { importClinics } from "../../../data/directory-import.js";
import { getClinic } from "../../../data/repositories/clinics.js";
import { csvRow, freshDb, HEADER, NOW, type TestDb } from "./helpers.js";

const good = readFileSync(new URL("../../fixtures/clinics-good.csv", import.meta.url), "utf8");
const LATER = new Date("2026-11-21T06:00:00.000Z");

/** Everything the import may touch, to prove that a refused file changed nothing. */
async function snapshot(t: TestDb): Promise<unknown> {
  return {
    clinics: await t.db.selectFrom("clinics").selectAll().orderBy("id").execute(),
    contracts: await t.db.selectFrom("clinic_contracts").selectAll().orderBy("clinic_id").orderBy("year").execute(),
  };
}

describe("clinic registry import", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDb();
    await seedDirectoryIfEmpty(t.db, NOW);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it("imports a good file: BIN as id, settlement by ATU code or id, district by name in either language", async () => {
    const report = await importClinics(t.db, good, { format: "csv", partial: true, now: NOW });
    expect(report).toMatchObject({
      rows: 6,
      added: 6,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      rejected: [],
      applied: true,
    });
    const c = await getClinic(t.db, "190542904987");
    expect(c).toMatchObject({
      bin: "190542904987",
      name: { ru: "Поликлиника «Алатау Мед» (тест)", kk: "«Алатау Мед» емханасы (тест)" },
      address: { ru: "ул. Жандосова, 140", kk: "Жандосов к-сі, 140" },
      settlementId: "almaty",
      atuCode: "750000000",
      districtId: "almaty-bostandyk",
      phone: "+77270001122",
      hours: { ru: "Пн–Пт 08:00–20:00, Сб 09:00–14:00", kk: "Дс–Жм 08:00–20:00, Сб 09:00–14:00" },
      licensed: true,
      licenceNumber: "KZ12LAA00001234",
      contractYears: [2026, 2027],
      capacity: 30000,
      attached: 12000,
      active: true,
      sample: false,
      figures: "registry",
    });
    expect((await getClinic(t.db, "231140610305"))?.districtId).toBe("almaty-auezov"); // "Әуезов"
    expect((await getClinic(t.db, "test-astana-1"))?.districtId).toBe("astana-esil"); // "Есіл ауданы"
    expect((await getClinic(t.db, "test-shymkent-1"))?.address.ru).toBe('мкр. "Нурсат", 5');
    expect((await getClinic(t.db, "240440205581"))?.licensed).toBe(false);
    expect(await getClinic(t.db, "120940752271")).toMatchObject({
      attached: 0,
      contractYears: [],
      settlementId: "kokshetau",
    });
  });

  it("finds a settlement by its name as registries write it, and refuses a name two settlements share", async () => {
    const rows = [
      csvRow({ id: "n-1", settlement: "г. Алматы" }),
      csvRow({ id: "n-2", settlement: "Алматы қаласы" }),
      csvRow({ id: "n-3", settlement: "Шымкент", lat: "42.32", lon: "69.59" }),
      csvRow({ id: "n-4", settlement: "Атлантида" }),
    ];
    const report = await importClinics(t.db, [HEADER, ...rows].join("\n"), {
      format: "csv",
      partial: true,
      skipInvalid: true,
      now: NOW,
    });
    expect((await getClinic(t.db, "n-1"))?.settlementId).toBe("almaty");
    expect((await getClinic(t.db, "n-2"))?.settlementId).toBe("almaty");
    expect((await getClinic(t.db, "n-3"))?.settlementId).toBe("shymkent");
    expect(report.rejected).toEqual([
      { line: 5, id: "n-4", reason: 'settlement: unknown settlement "Атлантида" (give its ATU code, id or name)' },
    ]);

    const region = await t.db
      .selectFrom("settlements")
      .select("region_id")
      .where("id", "=", "almaty")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("settlements")
      .values({
        id: "almaty-twin",
        region_id: region.region_id,
        kind: "village",
        name_ru: "Алматы",
        name_kk: "Алматы",
        atu_code: "750000999",
        lat: 43.25,
        lon: 76.9,
        search: " алматы ",
        sort_ru: "алматы",
        sort_kk: "алматы",
      })
      .execute();
    const twin = await importClinics(t.db, [HEADER, csvRow({ id: "n-5", settlement: "г. Алматы" })].join("\n"), {
      format: "csv",
      partial: true,
      now: NOW,
    });
    expect(twin.rejected[0]?.reason).toMatch(
      /"г. Алматы" is the name of 2 settlements \(almaty, almaty-twin\); give its ATU code or id/,
    );
  });

  it("rejects bad rows with line and reason, and changes nothing", async () => {
    const file = [
      HEADER,
      csvRow({ id: "ok-1" }), // line 2
      csvRow({ id: "bad-coords", lat: "76.8897", lon: "43.2389" }), // line 3: swapped
      csvRow({ id: "bad-place", settlement: "999999999" }), // line 4
      csvRow({ id: "ok-1" }), // line 5: duplicate
      csvRow({ id: "no-name", name_ru: "", name_kk: "" }), // line 6
      csvRow({ id: "bad-capacity", capacity: "много" }), // line 7
      csvRow({ id: "far-away", lat: "51.1605", lon: "71.4704" }), // line 8: Astana's point for an Almaty clinic
    ].join("\n");
    const before = await snapshot(t);
    const report = await importClinics(t.db, file, { format: "csv", now: LATER });
    expect(report.applied).toBe(false);
    expect(report.rejected.map((r) => [r.line, r.id])).toEqual([
      [3, "bad-coords"],
      [4, "bad-place"],
      [5, "ok-1"],
      [6, "no-name"],
      [7, "bad-capacity"],
      [8, "far-away"],
    ]);
    const reason = (line: number) => report.rejected.find((r) => r.line === line)?.reason;
    expect(reason(3)).toMatch(/outside Kazakhstan/);
    expect(reason(4)).toMatch(/unknown settlement "999999999"/);
    expect(reason(5)).toMatch(/duplicate id ok-1 \(first on line 2\)/);
    expect(reason(6)).toMatch(/name is empty/);
    expect(reason(7)).toMatch(/capacity: "много" is not a number/);
    expect(reason(8)).toMatch(/km from Алматы/);
    expect(await snapshot(t)).toEqual(before);
  });

  it("--skip-invalid imports the good rows and never deactivates a clinic named on a bad row", async () => {
    await importClinics(t.db, good, { format: "csv", partial: true, now: NOW });
    const file = [HEADER, csvRow({ id: "ok-1" }), csvRow({ id: "190542904987", capacity: "x" })].join("\r\n");
    const report = await importClinics(t.db, file, { format: "csv", skipInvalid: true, now: LATER });
    expect(report).toMatchObject({ added: 1, applied: true });
    expect(report.rejected).toHaveLength(1);
    expect((await getClinic(t.db, "ok-1"))?.active).toBe(true);
    expect((await getClinic(t.db, "190542904987"))?.active).toBe(true); // bad row, but named: not "missing"
    expect((await getClinic(t.db, "231140610305"))?.active).toBe(false);
  });

  it("re-importing the same file is a no-op", async () => {
    await importClinics(t.db, good, { format: "csv", now: NOW });
    const before = await snapshot(t);
    const again = await importClinics(t.db, good, { format: "csv", now: LATER });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 6, deactivated: 0, applied: true });
    expect(await snapshot(t)).toEqual(before); // not even updated_at moved
  });

  it("a full import deactivates missing clinics (never deletes them); --partial leaves them alone", async () => {
    const { n: seeded } = await t.db
      .selectFrom("clinics")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const partial = await importClinics(t.db, good, { format: "csv", partial: true, now: NOW });
    expect(partial.deactivated).toBe(0);
    expect((await getClinic(t.db, "almaty-gp-37"))?.active).toBe(true);
    const full = await importClinics(t.db, good, { format: "csv", now: LATER });
    const { active } = await t.db
      .selectFrom("clinics")
      .select((eb) => eb.fn.countAll<number>().as("active"))
      .where("active", "=", 1)
      .executeTakeFirstOrThrow();
    expect(active).toBe(6);
    expect(full.deactivated).toBe(Number(seeded) - 1); // the one inactive sample was inactive already
    const gone = await getClinic(t.db, "almaty-gp-37");
    expect(gone).toMatchObject({ active: false, name: { ru: "Городская поликлиника №37" } });
    const { n } = await t.db
      .selectFrom("clinics")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(n).toBe(Number(seeded) + 6);
  });

  it("counts an update and a reactivation, and replaces the Fund contract years", async () => {
    await importClinics(t.db, [HEADER, csvRow({ id: "u-1", active: "нет" })].join("\n"), {
      format: "csv",
      partial: true,
      now: NOW,
    });
    expect((await getClinic(t.db, "u-1"))?.active).toBe(false);
    const report = await importClinics(
      t.db,
      [HEADER, csvRow({ id: "u-1", capacity: "2000", fund_contract_years: "2027" })].join("\n"),
      { format: "csv", partial: true, now: LATER },
    );
    expect(report).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect(await getClinic(t.db, "u-1")).toMatchObject({
      active: true,
      capacity: 2000,
      contractYears: [2027],
      attached: 10,
    });
  });

  it("reads JSON with the same columns, numbers and booleans as values", async () => {
    const rows = [
      {
        id: "j-1",
        name_ru: "Поликлиника J",
        name_kk: "J емханасы",
        address_ru: "ул. Абая, 2",
        address_kk: "Абай к-сі, 2",
        settlement: "751000000x",
        lat: 43.24,
        lon: 76.9,
        kind: "adult",
        licensed: true,
        capacity: 500,
        fund_contract_years: [2026],
      },
      {
        id: "j-2",
        name_ru: "Поликлиника J2",
        address_ru: "ул. Абая, 3",
        settlement: "astana",
        lat: 51.16,
        lon: 71.47,
        licensed: false,
        capacity: 700,
        attached: 20,
      },
    ];
    const report = await importClinics(t.db, JSON.stringify({ clinics: rows }), {
      format: "json",
      partial: true,
      skipInvalid: true,
      now: NOW,
    });
    expect(report.rejected).toEqual([
      { line: 1, id: "j-1", reason: expect.stringMatching(/unknown settlement/) as string },
    ]);
    expect(await getClinic(t.db, "j-2")).toMatchObject({
      licensed: false,
      name: { ru: "Поликлиника J2", kk: "Поликлиника J2" },
      kind: "mixed",
      attached: 20,
    });
  });

  it("R5: a provider kind column (organisation or, from 2027, private_practitioner) in CSV and JSON; empty or missing → organisation; anything else rejected", async () => {
    const header = `${HEADER},provider`;
    const csv = [
      header,
      `${csvRow({ id: "pp-1", fund_contract_years: "2027" })},private_practitioner`,
      `${csvRow({ id: "org-1" })},`,
      `${csvRow({ id: "bad-1" })},ЧПВ`,
    ].join("\n");
    const report = await importClinics(t.db, csv, { format: "csv", partial: true, skipInvalid: true, now: NOW });
    expect(report.rejected).toEqual([
      { line: 4, id: "bad-1", reason: 'provider: "ЧПВ" is not one of organisation, private_practitioner' },
    ]);
    expect((await getClinic(t.db, "pp-1"))?.provider).toBe("private_practitioner");
    expect((await getClinic(t.db, "org-1"))?.provider).toBe("organisation");
    // A file without the column: organisations, as every clinic stored before the column existed.
    await importClinics(t.db, [HEADER, csvRow({ id: "old-1" })].join("\n"), { format: "csv", partial: true, now: NOW });
    expect((await getClinic(t.db, "old-1"))?.provider).toBe("organisation");
    const json = JSON.stringify([
      {
        id: "pp-2",
        name_ru: "ЧПВ Иванова",
        address_ru: "ул. Абая, 5",
        settlement: "almaty",
        lat: 43.24,
        lon: 76.9,
        licensed: true,
        capacity: 1500,
        provider: "Private_Practitioner",
      },
    ]);
    expect(await importClinics(t.db, json, { format: "json", partial: true, now: NOW })).toMatchObject({
      added: 1,
      rejected: [],
    });
    expect((await getClinic(t.db, "pp-2"))?.provider).toBe("private_practitioner");
    // Changing only the kind is an update, not "unchanged".
    const again = [header, `${csvRow({ id: "org-1" })},private_practitioner`].join("\n");
    expect(await importClinics(t.db, again, { format: "csv", partial: true, now: LATER })).toMatchObject({
      updated: 1,
    });
    expect((await getClinic(t.db, "org-1"))?.provider).toBe("private_practitioner");
  });

  it("parses RFC 4180 details: BOM, CRLF, quoted commas, quotes and line breaks, Excel's semicolons, per-year contract columns", async () => {
    const file =
      "\uFEFFid;name_ru;name_kk;address_ru;settlement;lat;lon;licensed;capacity;fund_contract_2026;fund_contract_2027\r\n" +
      's-1;"Поликлиника ""Шипагер""\r\nкорпус 2";Шипагер;"ул. Абая, 1";almaty;43,2389;76,8897;да;1000;да;нет\r\n' +
      "\r\n" +
      "s-2;Поликлиника 2;;ул. Абая 2;almaty;43.24;76.89;иә;1 000;иә;иә\r\n";
    const report = await importClinics(t.db, file, { format: "csv", partial: true, now: NOW });
    expect(report.rejected).toEqual([]);
    expect(await getClinic(t.db, "s-1")).toMatchObject({
      name: { ru: 'Поликлиника "Шипагер"\r\nкорпус 2', kk: "Шипагер" },
      address: { ru: "ул. Абая, 1" },
      lat: 43.2389,
      contractYears: [2026],
    });
    expect(await getClinic(t.db, "s-2")).toMatchObject({
      contractYears: [2026, 2027],
      capacity: 1000,
      name: { kk: "Поликлиника 2" },
    });
    const lines = await importClinics(
      t.db,
      `${HEADER}\n${csvRow({ id: "m-1" })}\n${csvRow({ id: "m-2", name_ru: '"a\nb"', capacity: "?" })}\n`,
      {
        format: "csv",
        partial: true,
      },
    );
    expect(lines.rejected.map((r) => r.line)).toEqual([3]); // a record's first line, even when it spans two
  });

  it("checks the BIN's check digit, reports every problem of a row at once, and a dry run writes nothing", async () => {
    const bad = await importClinics(t.db, [HEADER, csvRow({ id: "", bin: "190542904988" })].join("\n"), {
      format: "csv",
      partial: true,
    });
    expect(bad.rejected[0]?.reason).toMatch(/bin: not a valid 12-digit BIN/);
    const many = await importClinics(
      t.db,
      [HEADER, csvRow({ id: "", name_ru: "", name_kk: "", kind: "clinic", licensed: "maybe" })].join("\n"),
      {
        format: "csv",
        partial: true,
      },
    );
    expect(many.rejected[0]?.reason.split("; ")).toEqual([
      "id: id and bin are both empty",
      "name_ru: the name is empty (name_ru and name_kk)",
      'kind: "clinic" is not one of adult, children, mixed, family',
      'licensed: "maybe" is not yes/no (да/нет, иә/жоқ, 1/0)',
    ]);
    const before = await snapshot(t);
    const dry = await importClinics(t.db, good, { format: "csv", dryRun: true });
    expect(dry).toMatchObject({ added: 6, applied: false });
    expect(dry.deactivated).toBeGreaterThan(80);
    expect(await snapshot(t)).toEqual(before);
  });

  it("refuses a file without the required columns or without rows", async () => {
    await expect(importClinics(t.db, "id,name_ru\nx,y", { format: "csv" })).rejects.toThrow(
      /missing column\(s\): settlement, lat, lon, licensed, capacity/,
    );
    await expect(importClinics(t.db, `${HEADER}\n`, { format: "csv" })).rejects.toThrow(/no clinics/);
    await expect(importClinics(t.db, `${HEADER}\n"unclosed`, { format: "csv" })).rejects.toThrow(
      /line 2: a quoted field is not closed/,
    );
  });
});
