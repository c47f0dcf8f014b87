import type { Api, RawApi } from "grammy";
import type { BotCommand } from "grammy/types";
import type { I18n, T } from "../../i18n.js";

const CITIZEN_COMMANDS = [
  "start",
  "apply",
  "status",
  "check",
  "clinics",
  "faq",
  "contacts",
  "language",
  "cancel",
  "help",
] as const;

export function citizenCommands(t: T): BotCommand[] {
  return CITIZEN_COMMANDS.map((command) => ({ command, description: t(`help.commands.${command}`) }));
}

/** Private chats: the Russian list by default, and per language_code for ru and kk. */
export async function registerDefaultCommands(api: Api<RawApi>, i18n: I18n): Promise<void> {
  const scope = { type: "all_private_chats" } as const;
  await api.setMyCommands(citizenCommands(i18n.t("ru")), { scope });
  await api.setMyCommands(citizenCommands(i18n.t("ru")), { scope, language_code: "ru" });
  await api.setMyCommands(citizenCommands(i18n.t("kk")), { scope, language_code: "kk" });
}

/** After a user picks a language, their menu follows it whatever their Telegram language is. */
export async function registerChatCommands(
  api: Api<RawApi>,
  chatId: number,
  t: T,
  extra: BotCommand[] = [],
): Promise<void> {
  await api.setMyCommands([...citizenCommands(t), ...extra], { scope: { type: "chat", chat_id: chatId } });
}
