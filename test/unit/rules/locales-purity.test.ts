import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CATEGORIES,
  DOCUMENTS,
  GROUNDS,
  NOTE_VARS,
  NOTES,
  OUTCOMES,
  REASONS,
  SPECIAL_CATEGORIES,
} from "../../../rules/index.js";

type Tree = { [k: string]: string | Tree };
const load = (lng: string) =>
  JSON.parse(readFileSync(new URL(`../../../locales/${lng}/rules.json`, import.meta.url), "utf8")) as Tree;
const ru = load("ru");
const kk = load("kk");

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk2, vv] of flatten(v, key)) out.set(kk2, vv);
  }
  return out;
}
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

describe("rules.json locales (every code has a message in ru and kk)", () => {
  const fr = flatten(ru);
  const fk = flatten(kk);

  it("R14: ru and kk have identical keys and identical {{vars}} per key", () => {
    expect([...fk.keys()].sort()).toEqual([...fr.keys()].sort());
    for (const [k, v] of fr) expect(vars(fk.get(k) ?? ""), k).toEqual(vars(v));
  });

  it("R14: every code the engine can emit has a non-empty message in both locales", () => {
    const needed = [
      ...REASONS.map((c) => `reasons.${c}`),
      ...DOCUMENTS.map((c) => `documents.${c}`),
      ...GROUNDS.flatMap((c) => [`grounds.${c}.title`, `grounds.${c}.hint`]),
      ...CATEGORIES.map((c) => `categories.${c}`),
      ...SPECIAL_CATEGORIES.map((c) => `specialCategories.${c}`),
      ...NOTES.map((c) => `notes.${c}`),
      ...OUTCOMES.map((c) => `outcomes.${c}`),
      ...["all_year", "before", "inside", "after"].map((c) => `campaign.${c}`),
    ];
    for (const [lng, flat] of [
      ["ru", fr],
      ["kk", fk],
    ] as const) {
      for (const key of needed) expect(flat.get(key)?.trim(), `${lng}: ${key}`).toBeTruthy();
    }
  });

  it("R14: notes carry the variables the engine fills in, and nothing else", () => {
    for (const code of NOTES)
      expect(vars(fr.get(`notes.${code}`) ?? ""), code).toEqual([...(NOTE_VARS[code] ?? [])].sort());
  });

  it("R14: texts are safe for Telegram HTML (no raw < > &)", () => {
    for (const [lng, flat] of [
      ["ru", fr],
      ["kk", fk],
    ] as const)
      for (const [k, v] of flat) expect(/[<>&]/.test(v), `${lng}: ${k}`).toBe(false);
  });

  it("R14: Kazakh uses the glossary (ЖСН, емхана, бекіту, МСАК, ӘМСҚ, ықтиярхат), not Russian terms", () => {
    const all = [...fk.values()].join("\n");
    for (const term of ["ЖСН", "емхана", "бекіт", "МСАК", "ӘМСҚ", "Ықтиярхат"])
      expect(all.toLowerCase()).toContain(term.toLowerCase());
    for (const ruTerm of ["ИИН", "поликлиник", "ФСМС", "ПМСП"]) expect(all).not.toContain(ruTerm);
  });
});

describe("rules/ is pure", () => {
  const dir = new URL("../../../rules/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
  const sources = files.map((f) => [f, readFileSync(new URL(f, dir), "utf8")] as const);

  it("R17: no clock — never Date.now() nor new Date() without an argument", () => {
    for (const [f, src] of sources) {
      expect(/Date\.now\s*\(/.test(src), f).toBe(false);
      expect(/new Date\(\s*\)/.test(src), f).toBe(false);
    }
  });

  it("imports only zod and relative .js modules of rules/ (no grammY, database, i18n, node:)", () => {
    for (const [f, src] of sources) {
      for (const m of src.matchAll(/(?:import|export)[^"';]*?from\s+["']([^"']+)["']/g)) {
        const spec = m[1] ?? "";
        const ok = spec === "zod" || (spec.startsWith("./") && spec.endsWith(".js"));
        expect(ok, `${f}: ${spec}`).toBe(true);
      }
    }
  });

  it("every file stays small (< 300 lines)", () => {
    for (const [f, src] of sources) expect(src.split("\n").length, f).toBeLessThan(300);
  });
});

describe("rule coverage", () => {
  it("every rule id R1–R18 names at least one test in test/unit/rules", () => {
    const dir = new URL("./", import.meta.url);
    const titles = readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts"))
      .flatMap((f) =>
        [...readFileSync(new URL(f, dir), "utf8").matchAll(/\bit(?:\.each\([\s\S]*?\))?\(\s*"([^"]+)"/g)].map(
          (m) => m[1] ?? "",
        ),
      );
    for (let i = 1; i <= 18; i++)
      expect(
        titles.some((t) => new RegExp(`\\bR${i}\\b`).test(t)),
        `R${i}`,
      ).toBe(true);
  });
});
