import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../dates.js";
import { query, seedRequest } from "./staff-seed.js";

// A decision stored is a notice owed: the bot killed with SIGKILL after the decision and before the applicant's
// notice went out sends it after the restart, once; the reviewer pressing again is told it is decided already.
const ADMIN = 9001;
const NUMBER = "A-2026-910001";

describe("the outbox across a kill -9", () => {
  let stack: Stack;
  let support: ScriptedUser;
  let applicant: ScriptedUser;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    const admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support = stack.tg.user({ id: 9101, first_name: "Сауле", language_code: "ru" });
    applicant = stack.tg.user({ id: 9301, first_name: "Айгерим", language_code: "ru" });
    await Promise.all([chooseLanguage(admin, "ru"), chooseLanguage(support, "ru"), chooseLanguage(applicant, "ru")]);
    admin.command("/staff", "add 9101 support");
    await until(support, L("ru", "staff.roles.support"));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("the approval's notice reaches the applicant exactly once after a SIGKILL between the decision and the notice", async () => {
    const requestId = await seedRequest(stack, {
      number: NUMBER,
      userId: 9301,
      iin: makeIin("900101", 3, 911),
      locale: "ru",
    });
    // Telegram takes nothing for the applicant's chat for now: the notice cannot go out before the kill.
    const down = stack.tg.faults.serverError({ method: "sendMessage", chatId: 9301, times: Infinity });
    const since = stack.tg.lastCallSeq();
    support.command("/queue");
    const list = await until(support, "Очередь");
    await support.press(buttons(list).find((b) => b.includes(NUMBER)) ?? "", { message: list }).answer();
    const card = await support.waitFor(
      (m) => (m.text ?? "").startsWith(NUMBER) && buttons(m).includes(L("ru", "staff.buttons.approve")),
    );
    await support.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    // The decision is stored and the notice's first try has failed: the process dies now.
    await stack.tg.waitForCall("sendMessage", {
      since,
      timeout: 15_000,
      predicate: (c) => c.params.chat_id === 9301 && !c.ok,
    });
    expect(await query<{ status: string }>(stack, "select status from requests where id = ?", requestId)).toEqual([
      { status: "approved" },
    ]);
    stack.bot.proc.kill("SIGKILL");
    await stack.bot.exited;
    down.remove();
    await stack.restart();

    const told = await until(applicant, `Заявка ${NUMBER} одобрена`);
    expect(told.text).toContain("вступает в силу с 1 января 2027 года");
    // The press replayed after the crash: decided already (by the reviewer themself); the notice is not sent again.
    const answered = await support.pressForged(`sc:approve:${requestId}`).answer();
    expect(answered.text ?? "").toBe("");
    await until(support, "уже рассмотрена");
    const notices = applicant.messages().filter((m) => (m.text ?? "").includes(`${NUMBER} одобрена`));
    expect(notices).toHaveLength(1);
    const [owed] = await query<{ sent_at: string | null; attempts: number }>(
      stack,
      "select sent_at, attempts from outbox where request_id = ?",
      requestId,
    );
    expect(owed?.sent_at).not.toBeNull();
    expect(owed?.attempts).toBeGreaterThanOrEqual(2);
  });
});
