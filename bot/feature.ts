import type { Middleware } from "grammy";
import type { CommandSpec } from "./commands.js";
import type { BotContext, Deps } from "./context.js";
import type { NoticeRenderers } from "./outbox.js";

/**
 * What a feature folder offers the bot, through its index.ts. create-bot installs every feature's parts phase by
 * phase, in the order of the list in features/index.ts; the registries (commands, declared buttons) are built
 * from the same list. Other features never reach into a feature's files.
 */
export interface Feature {
  name: string;
  /** Between conversations() and every conversation: what a waiting conversation must not swallow (/cancel). */
  beforeConversations?: Middleware<BotContext>;
  /** Conversations, and what must run before the features see an update. */
  conversations?: (deps: Deps) => Middleware<BotContext>;
  handlers?: (deps: Deps) => Middleware<BotContext>;
  commands?: readonly CommandSpec[];
  /** Button prefixes this feature answers, valid or forged: a waiting conversation passes those on. */
  callbacks?: readonly { prefix: string }[];
  /** How the outbox messages this feature queues are rendered when sent (bot/outbox-worker.ts). */
  notices?: NoticeRenderers;
}
