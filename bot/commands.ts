import type { Api, RawApi } from "grammy";
import type { BotCommand } from "grammy/types";
import type { StaffRole } from "../data/schema/staff.js";
import type { I18n, Locale, T } from "./i18n.js";

/**
 * A command a feature answers. Citizen commands (no roles) with a `menu` place appear in everyone's command menu
 * in that order, described by `help.commands.<command>`; staff commands list the roles that may run them and are
 * described by `staff.commands.<command>`. Handlers still check the role when they run.
 */
export interface CommandSpec {
  command: string;
  roles?: readonly StaffRole[];
  menu?: number;
}

/** Every feature's commands, collected once per bot: menus, /help and the role gate read it. */
export class CommandRegistry {
  private readonly citizenMenu: readonly string[];
  private readonly staff: readonly CommandSpec[];

  constructor(specs: readonly CommandSpec[]) {
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.command)) throw new Error(`command declared twice: /${s.command}`);
      seen.add(s.command);
    }
    this.citizenMenu = specs
      .filter((s) => !s.roles && s.menu !== undefined)
      .sort((a, b) => (a.menu ?? 0) - (b.menu ?? 0))
      .map((s) => s.command);
    this.staff = specs.filter((s) => s.roles);
  }

  citizen(t: T): BotCommand[] {
    return this.citizenMenu.map((command) => ({ command, description: t(`help.commands.${command}`) }));
  }

  /** Every staff command, whoever may run it. */
  staffCommands(): string[] {
    return this.staff.map((s) => s.command);
  }

  mayRun(role: StaffRole, command: string): boolean {
    return this.staff.some((s) => s.command === command && s.roles?.includes(role));
  }

  /** The staff part of a member's menu, in the language of `t`; empty for non-staff. */
  forRole(role: StaffRole | undefined, t: T): BotCommand[] {
    if (!role) return [];
    return this.staff
      .filter((s) => s.roles?.includes(role))
      .map((s) => ({ command: s.command, description: t(`staff.commands.${s.command}`) }));
  }

  /** Private chats: the Russian list by default, and per language_code for ru and kk. */
  async registerDefaults(api: Api<RawApi>, i18n: I18n): Promise<void> {
    const scope = { type: "all_private_chats" } as const;
    await api.setMyCommands(this.citizen(i18n.t("ru")), { scope });
    await api.setMyCommands(this.citizen(i18n.t("ru")), { scope, language_code: "ru" });
    await api.setMyCommands(this.citizen(i18n.t("kk")), { scope, language_code: "kk" });
  }

  /**
   * The private chats' menu (registerDefaults) already shows a citizen this language: their Telegram app is in it,
   * and a menu per language_code exists for both of ours. Matched exactly: Telegram's own matching of a longer tag
   * is not documented.
   */
  shownByDefault(locale: Locale, appLanguage: string | undefined): boolean {
    return appLanguage === locale;
  }

  /** One chat's menu in its person's language (whatever their Telegram language is), with their staff commands. */
  async registerChat(api: Api<RawApi>, chatId: number, t: T, role?: StaffRole): Promise<void> {
    await api.setMyCommands([...this.citizen(t), ...this.forRole(role, t)], {
      scope: { type: "chat", chat_id: chatId },
    });
  }

  /** The chat's own menu removed: its person sees the private chats' menu in their app's language. */
  async clearChat(api: Api<RawApi>, chatId: number): Promise<void> {
    await api.deleteMyCommands({ scope: { type: "chat", chat_id: chatId } });
  }
}
