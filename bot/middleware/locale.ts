import type { MiddlewareFn } from "grammy";
import { knownUser, touchUser } from "../../data/repositories/users.js";
import type { BaseContext } from "../context.js";
import { type Locale, userLocale } from "../i18n.js";

/** The stored choice, else Telegram's language_code when it is kk or ru, else Russian. */
export function resolveLocale(stored: string | null | undefined, languageCode: string | undefined): Locale {
  return userLocale({ language: stored, language_code: languageCode });
}

/** Loads (and in private chats records) the user, then fixes ctx.locale and ctx.t for this update. */
export function userAndLocale<C extends BaseContext>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const from = ctx.from;
    ctx.user = undefined;
    if (from && !from.is_bot) {
      const db = ctx.deps.db;
      ctx.user =
        ctx.chat?.type === "private"
          ? await touchUser(db, from.id, ctx.deps.clock.now().toISOString(), from.language_code, ctx.deps.uow)
          : await knownUser(db, from.id, ctx.deps.uow);
    }
    ctx.locale = resolveLocale(ctx.user?.language, from?.language_code);
    ctx.t = ctx.deps.i18n.t(ctx.locale);
    return next();
  };
}

/**
 * Inside conversations the context is rebuilt bare (once per replayed update): the same data without the write, the
 * user taken from the running update rather than read again.
 */
export function localeOnly<C extends BaseContext>(): MiddlewareFn<C> {
  return async (ctx, next) => {
    const from = ctx.from;
    const uow = ctx.deps.uow;
    if (!from) ctx.user = undefined;
    else ctx.user = await knownUser(ctx.deps.db, from.id, uow);
    ctx.locale = resolveLocale(ctx.user?.language, from?.language_code);
    ctx.t = ctx.deps.i18n.t(ctx.locale);
    return next();
  };
}
