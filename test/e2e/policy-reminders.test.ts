import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { CAMPAIGN_OPENS } from "../dates.js";
import { apply, fill, plain } from "./policy.js";
import { query } from "./staff-seed.js";

// R7: campaign reminders go out only for a confirmed campaign; an admin confirming it through /settings sends the
// day's reminder at once.

const ADMIN = 9101;
type Lang = "ru" | "kk";

describe("R7 campaign reminders end to end: none for a provisional campaign, sent once an admin confirms it", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  const users = {} as Record<Lang, ScriptedUser>;
  const reminders = async () =>
    (await query<{ n: number }>(stack, "select count(*) n from broadcasts where kind = 'reminder'"))[0]?.n;

  beforeAll(async () => {
    // The opening day of the shipped 2026 window, which no official text confirms (provisional).
    stack = await startStack({ clockStart: CAMPAIGN_OPENS, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    users.ru = stack.tg.user({ id: 9121, first_name: "Ботагөз", language_code: "ru" });
    users.kk = stack.tg.user({ id: 9122, first_name: "Нұрлан", language_code: "kk" });
    await Promise.all([chooseLanguage(admin, "ru"), chooseLanguage(users.ru, "ru"), chooseLanguage(users.kk, "kk")]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("/reminders tells the admin the campaign is not confirmed; a policy change runs the scheduler, still nothing is sent", async () => {
    admin.command("/reminders");
    const settings = await until(admin, plain("ru", "broadcast.settings.title"));
    expect(settings.text).toContain(fill("ru", "policy.reminders_unconfirmed", { year: 2026 }));
    // Any confirmed change runs a scheduler step before "saved": under a provisional campaign it queues nothing.
    admin.command("/settings", "policy source add 2026-08-20 Письмо Минздрава о кампании 2026 года");
    await until(admin, fill("ru", "policy.admin.proposal_title", { year: 2026 }));
    await apply(admin, "ru");
    expect(await reminders()).toBe(0);
  });

  it("confirmed through /settings: the opening reminder goes out at once, in each person's language", async () => {
    admin.command("/settings", "policy");
    await until(admin, fill("ru", "policy.admin.title", { year: 2026 }));
    await tap(admin, L("ru", "policy.admin.buttons.status"));
    await tap(admin, L("ru", "policy.admin.buttons.confirmed"));
    const proposal = await until(admin, fill("ru", "policy.admin.proposal_title", { year: 2026 }));
    expect(proposal.text).toContain(L("ru", "policy.admin.status.confirmed"));
    await apply(admin, "ru");
    expect(await reminders()).toBe(1);
    await until(users.ru, plain("ru", "broadcast.reminders.opening"));
    await until(users.kk, plain("kk", "broadcast.reminders.opening"));
    admin.command("/reminders");
    const settings = await until(admin, plain("ru", "broadcast.settings.title"));
    expect(settings.text).not.toContain(plain("ru", "policy.reminders_unconfirmed"));
  });
});
