import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnBot } from "../../scripts/stack/bot-process.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { testsOnPostgres } from "../../scripts/stack/postgres.js";

// Polling is one instance's job; on PostgreSQL a second instance could otherwise start and fight the first for
// getUpdates.
describe.skipIf(!testsOnPostgres())("a second poller on the same PostgreSQL database", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("says in one line that another instance polls, and exits 1; the first keeps answering", async () => {
    const second = spawnBot(stack.env);
    expect(await second.exited).toBe(1);
    expect(second.output().trim()).toBe(
      "emhana: could not start: another instance is already polling for this bot's updates on this database: polling runs one instance; use BOT_MODE=webhook to run several",
    );
    const u = stack.tg.user({ id: 7801, first_name: "Ерлан", language_code: "kk" });
    u.command("/start");
    expect((await u.nextMessage()).text).toContain("Тілді таңдаңыз");
  });
});
