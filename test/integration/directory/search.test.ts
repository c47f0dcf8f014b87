import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { clinicsOfSettlement, nearestClinics, searchClinics } from "../../../data/repositories/clinics.js";
import { foldForSearch } from "../../../data/repositories/places.js";
import type { Database } from "../../../data/schema.js";
import { testsOnPostgres } from "../../../scripts/stack/postgres.js";
import { freshDb, NOW, type TestDb } from "./helpers.js";

let t: TestDb;
beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, NOW);
});
afterAll(async () => {
  await t.dispose();
});

const ids = async (text: string, opts: Parameters<typeof searchClinics>[2] = {}) =>
  (await searchClinics(t.db, text, { limit: 100, ...opts })).map((c) => c.id).sort();

describe("clinic search", () => {
  it("finds the same clinics whatever the case and whether Kazakh letters are typed or not", async () => {
    const expected = ["sample-almaty-03", "sample-almaty-04"]; // Ауэзовский район / Әуезов ауданы
    for (const q of ["ӘУЕЗОВ", "әуезов", "Әуезов", "Ауэзов", "АУЭЗОВСКИЙ", "ауезов"])
      expect(await ids(q), q).toEqual(expected);
    for (const q of ["Жетіген", "ЖЕТІГЕН", "жетиген", "Жетiген" /* Latin i */])
      expect(await ids(q), q).toEqual(["sample-almaty-04"]);
    for (const q of ["НҰРСАТ", "нұрсат", "Нурсат"]) expect(await ids(q), q).toEqual(["sample-shymkent-05"]);
  });

  it("searches Kazakh names and addresses in mixed case", async () => {
    const kk = await searchClinics(t.db, "БаЛаЛаР ҚаЛаЛыҚ", { settlementId: "almaty", limit: 100 });
    expect(kk.map((c) => c.id).sort()).toEqual(["sample-almaty-02", "sample-almaty-08", "sample-almaty-12"]);
    for (const c of kk) expect(c.name.kk).toMatch(/балалар қалалық емханасы/);
    expect(await ids("Қабдолов к-сі")).toEqual(["sample-almaty-03"]);
    expect(await ids("ШӘМШІ ҚАЛДАЯҚОВ")).toEqual(["sample-astana-07"]);
    expect(await ids("Шамши Калдаякова")).toEqual(["sample-astana-07"]);
  });

  it("matches every word, scoped to a settlement when asked", async () => {
    expect(await ids("толе би")).toEqual(["sample-almaty-01", "sample-shymkent-09"]);
    expect(await ids("ТӨЛЕ БИ", { settlementId: "almaty" })).toEqual(["sample-almaty-01"]);
    expect(await ids("толе би самал")).toEqual([]);
  });

  it("matches numbers as whole words and short words by substring", async () => {
    expect(await ids("№37", { settlementId: "almaty" })).toEqual(["almaty-gp-37"]);
    expect(await ids("37")).toEqual(["almaty-gp-37", "sample-konaev-01", "sample-kostanay-01"]); // "Абая, 37" too
    expect(await ids("поликлиника 1", { settlementId: "almaty" })).toEqual(["almaty-gp-1"]);
    expect(await ids("12", { settlementId: "almaty" })).toEqual(["almaty-gp-12"]);
    const short = await searchClinics(t.db, "Ма", { settlementId: "almaty", limit: 100 });
    expect(short.map((c) => c.id)).toContain("sample-almaty-07"); // ул. Майлина
    for (const c of short)
      expect(foldForSearch(`${c.name.ru} ${c.name.kk} ${c.address.ru} ${c.address.kk} ${c.districtId}`)).toMatch(
        /ма|almaty/,
      );
  });

  it("hides inactive clinics unless asked, and survives odd input", async () => {
    expect(await ids("Рыскулова")).toEqual([]);
    expect(await ids("Рыскулова", { includeInactive: true })).toEqual(["sample-shymkent-04"]);
    for (const q of ["", "   ", "«»№,.", '"самал', "самал AND OR NEAR(", "%_"])
      await expect(searchClinics(t.db, q)).resolves.toBeInstanceOf(Array);
    expect(await ids('"самал')).toEqual(["sample-almaty-06", "sample-shymkent-02"]);
  });
});

describe("clinics of a settlement", () => {
  it("pages through all active clinics sorted by name, numbers in natural order", async () => {
    const all = [];
    for (let page = 0; ; page++) {
      const p = await clinicsOfSettlement(t.db, "almaty", { page, pageSize: 6 });
      expect(p.total).toBe(20);
      expect(p.pages).toBe(4);
      if (p.items.length === 0) break;
      all.push(...p.items);
    }
    expect(all).toHaveLength(20);
    expect(new Set(all.map((c) => c.id)).size).toBe(20);
    const names = all.map((c) => c.name.ru);
    expect(names.indexOf("Городская поликлиника №4")).toBeLessThan(names.indexOf("Городская поликлиника №12"));
    expect(names.indexOf("Городская поликлиника №12")).toBeLessThan(names.indexOf("Городская поликлиника №37"));
    expect(names[0]).toBe("Врачебная амбулатория «Алгабас»");
    const shymkent = await clinicsOfSettlement(t.db, "shymkent", { pageSize: 50 });
    expect(shymkent.items.map((c) => c.id)).not.toContain("sample-shymkent-04");
    expect((await clinicsOfSettlement(t.db, "shymkent", { pageSize: 50, includeInactive: true })).total).toBe(
      shymkent.total + 1,
    );
  });

  it("sorts by the Kazakh name for kk and filters by district", async () => {
    const kk = await clinicsOfSettlement(t.db, "almaty", { pageSize: 50, locale: "kk" });
    const names = kk.items.map((c) => c.name.kk);
    expect(names.indexOf("№4 қалалық емхана")).toBeLessThan(names.indexOf("№12 қалалық емхана"));
    const bostandyk = await clinicsOfSettlement(t.db, "almaty", { pageSize: 50, districtId: "almaty-bostandyk" });
    expect(bostandyk.items.map((c) => c.id).sort()).toEqual([
      "almaty-gp-12",
      "almaty-gp-17",
      "almaty-gp-37",
      "almaty-gp-4",
      "almaty-gp-7",
      "sample-almaty-13",
    ]);
  });
});

describe("indexes", () => {
  // SQLite's query plans: PostgreSQL has a trigram index and a plain (lat, lon) index instead.
  it.skipIf(testsOnPostgres())("the queries the bot runs use FTS5, the R*Tree and the settlement index", async () => {
    if (t.kind !== "sqlite") return;
    const sqlite = t.sqlite;
    const seen: CompiledQuery[] = [];
    // A second Kysely over the same handle, logging what the repositories send (not destroyed: it would close it).
    const logged = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (e) => void seen.push(e.query),
    });
    const plan = (n = 0) => {
      const q = seen.at(n);
      seen.length = 0;
      if (!q) return "";
      const rows = sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as {
        detail: string;
      }[];
      return rows.map((r) => r.detail).join("\n");
    };
    await searchClinics(logged, "самал");
    expect(plan()).toMatch(/VIRTUAL TABLE INDEX \d+:M/); // FTS5 MATCH
    await nearestClinics(logged, { lat: 43.2389, lon: 76.8897 }, 3);
    expect(plan()).toMatch(/SCAN clinics_geo VIRTUAL TABLE INDEX 2:/); // R*Tree box
    await clinicsOfSettlement(logged, "almaty", { pageSize: 5 });
    const page = plan(1); // [0] is the count
    expect(page).toMatch(/SEARCH clinics USING INDEX clinics_settlement_ru \(settlement_id=\? AND active=\?\)/);
    expect(page).not.toMatch(/TEMP B-TREE/); // the index gives the order, ties by rowid: no sort step
  });
});
