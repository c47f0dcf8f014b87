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
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("locales: every string a person sees, in both languages", () => {
  it("ru and kk have the same keys", () => {
    expect([...ru.keys()].filter((k) => !kk.has(k))).toEqual([]);
    expect([...kk.keys()].filter((k) => !ru.has(k))).toEqual([]);
  });

  it("every key uses the same {{variables}} in both languages", () => {
    const mismatched = [...ru.entries()].filter(([k, v]) => JSON.stringify(vars(v)) !== JSON.stringify(vars(kk.get(k) ?? "")));
    expect(mismatched.map(([k]) => k)).toEqual([]);
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
        const present = (map: Map<string, string>) => map.has(key) || [...map.keys()].some((k) => k.startsWith(`${key}.`));
        if (!present(ru) || !present(kk)) missing.push(`${file.slice(ROOT.length + 1)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
