import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_NODE_FLAGS, ROOT } from "../../../scripts/stack/bot-process.js";

describe("the bot runs with the same Node flags in production and under test", () => {
  it("`npm start` passes the flags the e2e tests, the sandbox and the benchmarks start the bot with", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["start"]).toBe(`tsx ${BOT_NODE_FLAGS.join(" ")} bot/main.ts`);
  });
});
