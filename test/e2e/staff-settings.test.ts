import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { query } from "./staff-seed.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

const ADMIN = 9001;
const SUPPORT = 9801;

/** The bot's next answer to a command. */
async function answerTo(u: ScriptedUser, command: string, args?: string): Promise<string> {
  u.skip();
  u.command(command, args);
  return (await u.nextMessage()).text ?? "";
}

/** The welcome's operator line, as /start shows it. */
async function operatorOnStart(u: ScriptedUser): Promise<string> {
  u.skip();
  u.command("/start");
  const welcome = (await u.nextMessage()).text ?? "";
  return welcome.split("\n").find((l) => /^(Кто ведёт бот|Бот операторы):/.test(l)) ?? "";
}

const storedOperator = async (stack: Stack) =>
  (await query<{ value: string }>(stack, "select value from settings where key = 'bot_operator'"))[0]?.value;

describe("/settings operator: admins say who runs the bot, from Telegram", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let support: ScriptedUser;
  let ru: ScriptedUser;
  let kk: ScriptedUser;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_DAYTIME, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support = stack.tg.user({ id: SUPPORT, first_name: "Сауле", language_code: "ru" });
    ru = stack.tg.user({ id: 9811, first_name: "Асель", language_code: "ru" });
    kk = stack.tg.user({ id: 9812, first_name: "Данияр", language_code: "kk" });
    await Promise.all([
      chooseLanguage(admin, "ru"),
      chooseLanguage(support, "ru"),
      chooseLanguage(ru, "ru"),
      chooseLanguage(kk, "kk"),
    ]);
    admin.command("/staff", `add ${SUPPORT} support`);
    await until(admin, `Готово: ${SUPPORT}`);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("until set, /settings says so; one name for both languages reaches the citizens' /start in ru and kk", async () => {
    const before = await answerTo(admin, "/settings");
    expect(before).toContain(
      L("ru", "staff.settings.operator").replace("{{operator}}", L("ru", "staff.settings.not_set")),
    );
    expect(await operatorOnStart(ru)).toBe(`Кто ведёт бот: ${L("ru", "start.operator_unknown")}.`);

    admin.skip();
    admin.command("/settings", "operator ТОО «Емхана-Сервис» & K°");
    await until(admin, L("ru", "staff.settings.saved"));
    const shown = await until(
      admin,
      L("ru", "staff.settings.title")
        .split("{{")[0]
        ?.replace(/<[^>]+>/g, "") ?? "",
    );
    expect(shown.text).toContain(
      L("ru", "staff.settings.operator").replace(
        "{{operator}}",
        L("ru", "staff.settings.operator_both").replace("{{name}}", "ТОО «Емхана-Сервис» & K°"),
      ),
    );
    expect(await operatorOnStart(ru)).toBe("Кто ведёт бот: ТОО «Емхана-Сервис» & K°.");
    expect(await operatorOnStart(kk)).toBe("Бот операторы: ТОО «Емхана-Сервис» & K°.");
    expect(JSON.parse((await storedOperator(stack)) ?? "null")).toBe("ТОО «Емхана-Сервис» & K°");
  });

  it("a name per language: kk changes only the Kazakh one; both are listed in /settings; each change is audited", async () => {
    admin.skip();
    admin.command("/settings", "operator kk «Емхана-Сервис» ЖШС");
    await until(admin, L("ru", "staff.settings.saved"));
    const shown = await until(admin, "«Емхана-Сервис» ЖШС");
    expect(shown.text).toContain(
      L("ru", "staff.settings.operator_each")
        .replace("{{ru}}", "ТОО «Емхана-Сервис» & K°")
        .replace("{{kk}}", "«Емхана-Сервис» ЖШС"),
    );
    expect(await operatorOnStart(kk)).toBe("Бот операторы: «Емхана-Сервис» ЖШС.");
    expect(await operatorOnStart(ru)).toBe("Кто ведёт бот: ТОО «Емхана-Сервис» & K°.");

    admin.skip();
    admin.command("/settings", "operator ru ТОО «Емхана-Сервис»");
    await until(admin, L("ru", "staff.settings.saved"));
    // The settings shown again after "saved": waited for, so the next answer read is the next command's.
    await until(admin, "на русском — ТОО «Емхана-Сервис»;");
    expect(await operatorOnStart(ru)).toBe("Кто ведёт бот: ТОО «Емхана-Сервис».");
    expect(JSON.parse((await storedOperator(stack)) ?? "null")).toEqual({
      ru: "ТОО «Емхана-Сервис»",
      kk: "«Емхана-Сервис» ЖШС",
    });

    const audit = await query<{ actor_id: number; details: string }>(
      stack,
      "select actor_id, details from audit_log where action = 'settings' order by id",
    );
    expect(audit.map((a) => [a.actor_id, JSON.parse(a.details) as unknown])).toEqual([
      [ADMIN, { key: "bot_operator", lang: "both" }],
      [ADMIN, { key: "bot_operator", lang: "kk" }],
      [ADMIN, { key: "bot_operator", lang: "ru" }],
    ]);
    expect((await answerTo(admin, "/audit")).includes("key=bot_operator")).toBe(true);
  });

  it("a missing or too long name is explained and changes nothing", async () => {
    const before = await storedOperator(stack);
    expect(await answerTo(admin, "/settings", "operator kk")).toContain(
      L("ru", "staff.settings.bad_operator")
        .replace(/<[^>]+>/g, "")
        .split("\n")[0],
    );
    expect(await answerTo(admin, "/settings", `operator ${"я".repeat(201)}`)).toContain(
      L("ru", "staff.settings.bad_operator")
        .replace(/<[^>]+>/g, "")
        .split("\n")[0],
    );
    expect(await storedOperator(stack)).toBe(before);
  });

  it("support typing /settings operator is told the command is not for their role, and nothing changes", async () => {
    const before = await storedOperator(stack);
    const notForRole = L("ru", "staff.not_for_role")
      .replace("{{command}}", "settings")
      .replace("{{role}}", L("ru", "staff.roles.support"));
    expect(await answerTo(support, "/settings", "operator Чужой оператор")).toBe(notForRole);
    expect(await storedOperator(stack)).toBe(before);
    expect(await operatorOnStart(ru)).toBe("Кто ведёт бот: ТОО «Емхана-Сервис».");
  });
});
