import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadResources } from "../../bot/i18n.js";

const ROOT = resolve(import.meta.dirname, "../..");
const resources = loadResources();

function flatten(o: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (o && typeof o === "object") {
    for (const [k, v] of Object.entries(o)) {
      for (const [kk, vv] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
    }
  } else if (typeof o === "string") {
    out.set(prefix, o);
  }
  return out;
}

const ru = flatten(resources.ru);
const kk = flatten(resources.kk);
const PLURAL = /_(zero|one|two|few|many|other)$/;
/** A key's plural base: `x_one` belongs to `x` when `x_other` exists (a plain `too_many` stays itself). */
const baseOf = (map: Map<string, string>, k: string) => {
  const base = k.replace(PLURAL, "");
  return base !== k && map.has(`${base}_other`) ? base : k;
};
/** Keys with their plural suffix taken off: the languages have different plural forms of one key. */
const bases = (map: Map<string, string>) => new Set([...map.keys()].map((k) => baseOf(map, k)));
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("locales: every string a person sees, in both languages", () => {
  it("ru and kk have the same keys", () => {
    const [ruKeys, kkKeys] = [bases(ru), bases(kk)];
    expect([...ruKeys].filter((k) => !kkKeys.has(k))).toEqual([]);
    expect([...kkKeys].filter((k) => !ruKeys.has(k))).toEqual([]);
  });

  it("a counted key has every plural form of its language, so i18next never falls back to the other language's", () => {
    for (const [lng, map] of [
      ["ru", ru],
      ["kk", kk],
    ] as const) {
      const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      for (const base of new Set([...map.keys()].map((k) => baseOf(map, k)).filter((b) => map.has(`${b}_other`)))) {
        expect(map.has(base), `${lng}: ${base} has plural forms and a plain one`).toBe(false);
        for (const c of categories) expect(map.has(`${base}_${c}`), `${lng}: ${base}_${c}`).toBe(true);
      }
    }
  });

  it("every key uses the same {{variables}} in both languages", () => {
    const varsOf = (map: Map<string, string>, base: string) =>
      JSON.stringify(
        [...new Set([...map].filter(([k]) => baseOf(map, k) === base).flatMap(([, v]) => vars(v)))].sort(),
      );
    const mismatched = [...bases(ru)].filter((k) => varsOf(ru, k) !== varsOf(kk, k));
    expect(mismatched).toEqual([]);
  });

  it("no string is empty, and none is longer than Telegram's 4096 characters", () => {
    for (const [k, v] of [...ru, ...kk]) {
      expect(v.trim().length, k).toBeGreaterThan(0);
      expect(v.length, k).toBeLessThanOrEqual(4096);
    }
  });

  it("HTML in the texts is Telegram's subset and balanced", () => {
    const allowed = new Set(["b", "i", "u", "s", "code", "pre", "a"]);
    for (const [k, v] of [...ru, ...kk]) {
      const stack: string[] = [];
      for (const m of v.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
        expect(allowed.has(m[2] ?? ""), `${k}: <${m[2]}>`).toBe(true);
        if (m[1]) expect(stack.pop(), k).toBe(m[2]);
        else stack.push(m[2] ?? "");
      }
      expect(stack, k).toEqual([]);
      expect(/&(?!(amp|lt|gt|quot|#\d+);)/.test(v), `${k}: raw &`).toBe(false);
    }
  });

  it("every literal key the bot's code asks for exists", () => {
    const missing: string[] = [];
    for (const file of sourceFiles(join(ROOT, "bot"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-z_]+\.[\w.]+)"/g)) {
        const key = m[1] ?? "";
        // A key that names an object (e.g. for returnObjects) counts when it has children.
        // A counted key counts by its plural forms (key_one, key_other…).
        const present = (map: Map<string, string>) =>
          map.has(key) || map.has(`${key}_other`) || [...map.keys()].some((k) => k.startsWith(`${key}.`));
        if (!present(ru) || !present(kk)) missing.push(`${file.slice(ROOT.length + 1)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
