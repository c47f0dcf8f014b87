import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // better-sqlite3 is a native module: forks are safer than worker threads.
    pool: "forks",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
