import { defineConfig } from "vitest/config";

// Three tiers, each a project (`vitest run --project unit`); `vitest run` runs them all.
// unit: pure code and in-memory SQLite, no process, server or file of its own: seconds.
// integration: real SQLite files in a temp dir, the emulator in-process, scripts and CLIs as child processes.
// e2e: the real bot (bot/main.ts) as a child process against the emulator on 127.0.0.1.
export default defineConfig({
  test: {
    // better-sqlite3 is a native module: forks are safer than worker threads.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
    ],
  },
});
