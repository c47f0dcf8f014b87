import { resolve } from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");

// The repository's own eslint.config.js, without type information: the import rule needs none, and building the
// TypeScript program for each snippet would make this test slow.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

/** The messages of no-restricted-imports for this source, linted as if it were the file at `path`. */
async function importErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("nothing outside test/ imports test/ (eslint no-restricted-imports)", () => {
  it.each([
    ["scripts/sandbox/bad.ts", 'import { startStack } from "../../test/e2e/harness.js";\n'],
    ["scripts/bad.ts", 'import type { Stack } from "../test/e2e/harness.js";\nexport type S = Stack;\n'],
    ["bench/bad.ts", 'export { IN_CAMPAIGN } from "../test/dates.js";\n'],
    ["bench/lib/bad.ts", 'import "../../test/fixtures/requests.js";\n'],
    ["bot/features/apply/bad.ts", 'import { walkTo } from "../../../test/e2e/walk.js";\nvoid walkTo;\n'],
    ["rules/bad.ts", 'import { makeIin } from "../test/people.js";\nvoid makeIin;\n'],
    ["data/repositories/bad.ts", 'import { IN_CAMPAIGN } from "../../test/dates.js";\nvoid IN_CAMPAIGN;\n'],
  ])("%s: a bad import is an error", async (path, code) => {
    const errors = await importErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Only tests import test/");
  });

  it("the shared modules under scripts/ may be imported from anywhere, and tests may import test/", async () => {
    expect(
      await importErrors("scripts/sandbox/good.ts", 'import "../emulator/index.js";\nimport "../stack/flow.js";\n'),
    ).toEqual([]);
    expect(
      await importErrors("bench/good.ts", 'import "../scripts/stack/harness.js";\nimport "./lib/testing.js";\n'),
    ).toEqual([]);
    expect(
      await importErrors("test/e2e/good.test.ts", 'import "../dates.js";\nimport "../../test/dates.js";\n'),
    ).toEqual([]);
  });
});

/** The messages of the project's boundary rule for this source, linted as the file at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === "emhana/boundaries").map((m) => m.message);
}

describe("features stand alone: another feature only through its index.ts (eslint emhana/boundaries)", () => {
  it.each([
    ["bot/features/check/bad.ts", 'import { advance } from "../apply/conversation.js";\nvoid advance;\n'],
    [
      "bot/features/apply/steps/bad.ts",
      'import { clinicsFeature } from "../../clinics/card.js";\nvoid clinicsFeature;\n',
    ],
    ["bot/ui/bad.ts", 'import { applyFeature } from "../features/apply/index.js";\nvoid applyFeature;\n'],
    ["bot/bad.ts", 'export { openCard } from "./features/staff/review.js";\n'],
    ["rules/bad.ts", 'import type { Db } from "../data/db.js";\nexport type D = Db;\n'],
    ["data/repositories/bad.ts", 'import { formatDate } from "../../bot/format.js";\nvoid formatDate;\n'],
  ])("%s: a crossing is an error", async (path, code) => {
    expect(await boundaryErrors(path, code)).toHaveLength(1);
  });

  it("a feature's own files, another feature's index.ts, and the shared modules are fine", async () => {
    expect(
      await boundaryErrors(
        "bot/features/clinics/good.ts",
        'import "./index.js";\nimport "../apply/index.js";\nimport "../../ui/menu.js";\nimport "../../access.js";\n',
      ),
    ).toEqual([]);
    expect(await boundaryErrors("bot/create-bot.ts", 'import "./features/index.js";\n')).toEqual([]);
    expect(await boundaryErrors("test/unit/good.test.ts", 'import "../../bot/features/staff/find.js";\n')).toEqual([]);
  });
});
