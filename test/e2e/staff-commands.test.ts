import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

const ADMIN = 9001;
const SUPPORT = 9601;
const OPERATOR = 9602;
const KK_OPERATOR = 9603;
const STAFF_COMMANDS = [
  "queue",
  "staff",
  "audit",
  "find",
  "stats",
  "export",
  "qr",
  "settings",
  "broadcast",
  "broadcasts",
  "reminders",
];

/** The bot's one answer to a command (every staff command takes an argument-free form). */
async function answerTo(u: ScriptedUser, command: string): Promise<string> {
  u.skip();
  u.command(`/${command}`);
  return (await u.nextMessage()).text ?? "";
}

const menu = (stack: Stack, chatId: number) =>
  stack.tg.commands({ type: "chat", chat_id: chatId })?.map((c) => c.command) ?? [];

describe("staff commands: hidden from citizens, and named as another role's to staff", () => {
  let stack: Stack;
  let admin: ScriptedUser;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_DAYTIME, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    await chooseLanguage(admin, "ru");
    for (const [id, role, lang] of [
      [SUPPORT, "support", "ru"],
      [OPERATOR, "operator", "ru"],
      [KK_OPERATOR, "operator", "kk"],
    ] as const) {
      const u = stack.tg.user({ id, first_name: `S${id}`, language_code: lang });
      await chooseLanguage(u, lang);
      admin.command("/staff", `add ${id} ${role}`);
      await until(admin, `Готово: ${id}`);
      await until(u, L(lang, `staff.roles.${role}`));
    }
    await chooseLanguage(stack.tg.user({ id: 9701, first_name: "Ержан", language_code: "ru" }), "ru");
    await chooseLanguage(stack.tg.user({ id: 9702, first_name: "Ерлан", language_code: "kk" }), "kk");
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("a citizen typing any staff command gets the ordinary unknown-command help, in ru and in kk", async () => {
    for (const lang of ["ru", "kk"] as const) {
      const citizen = stack.tg.user({ id: lang === "ru" ? 9701 : 9702, first_name: "Ержан" });
      for (const command of STAFF_COMMANDS)
        expect(await answerTo(citizen, command), `/${command} (${lang})`).toBe(L(lang, "common.unknown"));
    }
  });

  it("/help lists a member's own commands under their role (ru, kk); a citizen's /help names none", async () => {
    const support = stack.tg.user({ id: SUPPORT, first_name: `S${SUPPORT}` });
    const help = await answerTo(support, "help");
    expect(help).toContain(
      `${L("ru", "help.staff_title")
        .replace(/<[^>]+>/g, "")
        .replace("{{role}}", L("ru", "staff.roles.support"))}`,
    );
    expect(help).toContain(`/queue — ${L("ru", "staff.commands.queue")}`);
    expect(help).not.toContain("/broadcast —");
    const kkOperator = stack.tg.user({ id: KK_OPERATOR, first_name: `S${KK_OPERATOR}` });
    expect(await answerTo(kkOperator, "help")).toContain(`/broadcast — ${L("kk", "staff.commands.broadcast")}`);
    // The note that gave the role named the operator's own commands, not /queue.
    const note = kkOperator.messages().find((m) => (m.text ?? "").includes(L("kk", "staff.roles.operator")));
    expect(note?.text).toContain("/broadcast, /broadcasts");
    expect(note?.text).not.toContain("/queue");
    const citizen = stack.tg.user({ id: 9701, first_name: "Ержан" });
    const plain = await answerTo(citizen, "help");
    for (const command of STAFF_COMMANDS) expect(plain, command).not.toContain(`/${command} —`);
  });

  it("mid-application, a staff command gets the same answer as any unknown command", async () => {
    const citizen = stack.tg.user({ id: 9703, first_name: "Алия", language_code: "ru" });
    await chooseLanguage(citizen, "ru");
    await walkTo(citizen, "category");
    const unknown = await answerTo(citizen, "nosuchcommand");
    for (const command of ["broadcast", "queue", "reminders"])
      expect(await answerTo(citizen, command), `/${command}`).toBe(unknown);
  });

  it("the citizens' command menus have no staff commands; each member's chat menu has exactly their role's", async () => {
    for (const scope of [{ type: "all_private_chats" as const }]) {
      for (const lang of [undefined, "ru", "kk"]) {
        const list = stack.tg.commands(scope, lang)?.map((c) => c.command) ?? [];
        expect(list.length, `${scope.type} ${lang ?? "default"}`).toBeGreaterThan(0);
        expect(list.filter((c) => STAFF_COMMANDS.includes(c))).toEqual([]);
      }
    }
    // What the citizens see: the private chats' menu in their app's language (they chose that language).
    for (const [citizen, app] of [
      [9701, "ru"],
      [9702, "kk"],
    ] as const) {
      const list = stack.tg.menuSeenBy(citizen, app).map((c) => c.command);
      expect(list).toContain("apply");
      expect(
        list.filter((c) => STAFF_COMMANDS.includes(c)),
        String(citizen),
      ).toEqual([]);
    }
    expect(menu(stack, SUPPORT).filter((c) => STAFF_COMMANDS.includes(c))).toEqual([
      "queue",
      "find",
      "stats",
      "export",
      "qr",
    ]);
    expect(menu(stack, OPERATOR).filter((c) => STAFF_COMMANDS.includes(c))).toEqual(["broadcast", "broadcasts"]);
    expect(
      menu(stack, ADMIN)
        .filter((c) => STAFF_COMMANDS.includes(c))
        .sort(),
    ).toEqual([...STAFF_COMMANDS].sort());
  });

  it("staff typing a command of another role are told it is not for their role, naming it, in ru and kk", async () => {
    const notForRole = (lang: "ru" | "kk", command: string, role: string) =>
      L(lang, "staff.not_for_role")
        .replace("{{command}}", command)
        .replace("{{role}}", L(lang, `staff.roles.${role}`));
    const support = stack.tg.user({ id: SUPPORT, first_name: `S${SUPPORT}` });
    for (const command of ["staff", "audit", "settings"]) {
      expect(await answerTo(support, command), `support /${command}`).toBe(notForRole("ru", command, "support"));
    }
    const operator = stack.tg.user({ id: OPERATOR, first_name: `S${OPERATOR}` });
    for (const command of ["queue", "find", "stats", "export", "qr", "staff", "audit", "settings"]) {
      expect(await answerTo(operator, command), `operator /${command}`).toBe(notForRole("ru", command, "operator"));
    }
    // The broadcast feature's commands too: support has none of them, an operator no /reminders (admins only).
    for (const command of ["broadcast", "broadcasts", "reminders"])
      expect(await answerTo(support, command), `support /${command}`).toBe(notForRole("ru", command, "support"));
    expect(await answerTo(operator, "reminders")).toBe(notForRole("ru", "reminders", "operator"));
    const kkOperator = stack.tg.user({ id: KK_OPERATOR, first_name: `S${KK_OPERATOR}` });
    for (const command of ["queue", "stats"]) {
      expect(await answerTo(kkOperator, command), `kk operator /${command}`).toBe(
        notForRole("kk", command, "operator"),
      );
    }
    // Their own commands still work.
    expect(await answerTo(support, "queue")).toContain(L("ru", "staff.queue.empty"));
    expect(await answerTo(operator, "broadcasts")).toBe(L("ru", "broadcast.list.none"));
  });

  it("bare /staff lists the members and says how to add and remove them", async () => {
    const text = await answerTo(admin, "staff");
    expect(text).toContain(String(SUPPORT));
    expect(text).toContain("/staff add ID");
    expect(await answerTo(admin, "staff list")).not.toContain("/staff add ID");
  });
});
