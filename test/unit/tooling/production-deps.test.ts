import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "static" ? [] : sources(path);
    return /\.ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The package a bare import names: "grammy/types" → grammy, "@grammyjs/runner" → @grammyjs/runner. */
function packageOf(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? spec);
}

describe("a production install (npm ci --omit=dev) has everything the bot and its scripts run", () => {
  it("every package imported by bot/, data/, rules/ and scripts/ (types aside) is a dependency, not a dev one", () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const imported = new Set<string>();
    for (const file of ["bot", "data", "rules", "scripts"].flatMap(sources)) {
      const text = readFileSync(join(ROOT, file), "utf8");
      // `import type` is erased at run time.
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^"';]*?from\s+"([^".][^"]*)"/gm)) {
        const spec = m[1] ?? "";
        if (!builtins.has(spec) && !builtins.has(spec.split("/")[0] ?? "")) imported.add(packageOf(spec));
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((p) => !(p in pkg.dependencies)).sort()).toEqual([]);
  });

  it("npm start and the operators' scripts run with what is installed without dev dependencies (tsx)", () => {
    for (const name of ["start", "migrate", "import:clinics", "backup"]) {
      const runner = pkg.scripts[name]?.split(" ")[0] ?? "";
      expect(runner, name).toBe("tsx");
    }
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.devDependencies.tsx).toBeUndefined();
  });
});
