import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Db } from "../data/db.js";
import type { UserRow } from "../data/repositories/users.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { I18n, Locale, T } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { RulesService } from "./rules-service.js";

/** What every handler may use; built once in main and handed to createBot. */
export interface Deps {
  db: Db;
  config: Pick<Config, "adminIds" | "broadcastRate" | "rateLimitPerMinute">;
  clock: Clock;
  log: Logger;
  i18n: I18n;
  rules: RulesService;
}

/** The context inside and outside conversations (conversations rebuild it through plugins). */
export type BaseContext = Context & {
  deps: Deps;
  log: Logger;
  locale: Locale;
  t: T;
  /** The stored user, when the update has a sender in a private chat. */
  user: UserRow | undefined;
};

export type BotContext = ConversationFlavor<BaseContext>;
