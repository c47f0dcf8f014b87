import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const MARKER = "module-state:";

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "static" ? [] : sources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

const COLLECTIONS = /^(Map|Set|WeakMap|WeakSet|Array)$/;

/**
 * Module-level variables that can change at run time: `let`/`var`, and collections made with `new Map()` and the
 * like unless typed read-only. A value that must live in a module (a cache of shipped data) says why on the line
 * before with "module-state:".
 */
export function mutableModuleState(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    // The marker covers the declarations right below it, up to the next blank line.
    const block = text.slice(0, stmt.getStart(sf)).split("\n\n").at(-1) ?? "";
    if (block.includes(MARKER)) continue;
    const mutableKind = !(stmt.declarationList.flags & ts.NodeFlags.Const);
    for (const d of stmt.declarationList.declarations) {
      const name = d.name.getText(sf);
      const line = sf.getLineAndCharacterOfPosition(d.getStart(sf)).line + 1;
      const init = d.initializer;
      const readonlyType = d.type !== undefined && /^Readonly(Map|Set|Array)\b|^readonly /.test(d.type.getText(sf));
      const collection =
        init !== undefined && ts.isNewExpression(init) && COLLECTIONS.test(init.expression.getText(sf));
      if (mutableKind || (collection && !readonlyType)) found.push(`${file}:${line} ${name}`);
    }
  }
  return found;
}

describe("no run-time state in modules: it lives on objects made per bot and passed in deps", () => {
  it("bot/, data/ and rules/ (what runs in the bot) hold no mutable module-level variables", () => {
    const files = ["bot", "data", "rules"].flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      mutableModuleState(relative(ROOT, join(ROOT, f)), readFileSync(join(ROOT, f), "utf8")),
    );
    expect(found).toEqual([]);
  });

  it("the check finds a planted Map, Set and let, and passes read-only or explained ones", () => {
    const planted = [
      "const waiting = new Map<number, number>();",
      "let cache: string | undefined;",
      "export const seen = new Set();",
      "const ok: ReadonlySet<string> = new Set(['a']);",
      "// module-state: a cache of the shipped dataset, read once\nlet shipped: string | undefined;",
      "function f() { let local = 1; const m = new Map(); return [local, m]; }",
    ].join("\n");
    expect(mutableModuleState("planted.ts", planted)).toEqual([
      "planted.ts:1 waiting",
      "planted.ts:2 cache",
      "planted.ts:3 seen",
    ]);
  });
});
