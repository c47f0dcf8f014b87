import { readdirSync, readFileSync } from "node:fs";
import { configDefaults, defineConfig } from "vitest/config";

// Unit files share one module graph per worker (isolate: false): importing the bot's modules once instead of once per
// file is what makes the tier take seconds. A file that replaces a module or a global for its own run (vi.mock,
// vi.doMock, vi.stubGlobal, vi.stubEnv) would leak it into the others, so it gets a graph of its own (unit-isolated).
const replacesModules = /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/;
const ownGraph = readdirSync("test/unit", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/unit/${f}`)
  .filter((f) => replacesModules.test(readFileSync(f, "utf8")));

// Three tiers, each a project: npm run test:unit (unit and unit-isolated), test:integration, test:e2e; `vitest run`
// runs them all.
// unit: pure code and in-memory SQLite, no process, server or file of its own.
// integration: real SQLite files in a temp dir, the emulator in-process, scripts and CLIs as child processes.
// e2e: the real bot (bot/main.ts) as a child process against the emulator on 127.0.0.1.
export default defineConfig({
  test: {
    // better-sqlite3 is a native module: forks are safer than worker threads.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...ownGraph],
          isolate: false,
        },
      },
      ...(ownGraph.length ? [{ extends: true as const, test: { name: "unit-isolated", include: ownGraph } }] : []),
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
    ],
  },
});
