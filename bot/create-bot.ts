import { conversations, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type BotConfig } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { CONVERSATION_PREFIX, conversationAdapter } from "../data/conversation-storage.js";
import type { BaseContext, BotContext, Deps } from "./context.js";
import { FEATURES } from "./features/index.js";
import { dedupeUpdates } from "./middleware/dedupe.js";
import { postingDirectly } from "./telegram-direct.js";
import { retryingFetch, undiciFetch } from "./telegram-fetch.js";
import { injectDeps } from "./middleware/deps.js";
import { dropEmptyKeyboardRows } from "./middleware/keyboard-rows.js";
import { tolerateLateCallbackAnswers } from "./middleware/late-callbacks.js";
import type { InFlight } from "./middleware/in-flight.js";
import { handleFeatureError } from "./middleware/errors.js";
import { userAndLocale } from "./middleware/locale.js";
import { rateLimit } from "./middleware/rate-limit.js";
import { requireSender } from "./middleware/sender.js";
import { guardSigningKeys } from "./middleware/signing-keys.js";

export interface CreateBotOptions {
  token: string;
  apiRoot?: string;
  botInfo?: UserFromGetMe;
  /** Counts updates in flight so shutdown can wait for them. */
  inFlight?: InFlight;
  /** Tests may pass a fetch of their own; otherwise grammY's default. */
  client?: BotConfig<BotContext>["client"];
  /** Tests count the waits of retried calls. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A person is waiting: a call gives up after this long (a long poll holds 30 s of it). Through grammY's client the
 * bound covers the retries too; a call posted directly waits this long for its answer, and one that timed out is not
 * sent again (bot/telegram-fetch.ts).
 */
const CALL_TIMEOUT_SECONDS = 40;

/** Builds the bot: middleware order and features, no side effects. */
export function createBot(deps: Deps, opts: CreateBotOptions): Bot<BotContext> {
  const timeoutSeconds = opts.client?.timeoutSeconds ?? CALL_TIMEOUT_SECONDS;
  // Below grammY, so conversations record a retried call's final answer and never wait again on replay.
  const fetch = retryingFetch(opts.client?.fetch ?? undiciFetch(timeoutSeconds), {
    attempts: 3,
    maxDelaySeconds: 5,
    sleep: opts.sleep,
  });
  const apiRoot = opts.apiRoot ?? opts.client?.apiRoot ?? "https://api.telegram.org";
  const client = { ...opts.client, timeoutSeconds, apiRoot, fetch };
  const bot = new Bot<BotContext>(opts.token, { botInfo: opts.botInfo, client });
  bot.api.config.use(
    // A test's own fetch sets no bound on a call: the direct calls get one each.
    postingDirectly({
      apiRoot,
      token: opts.token,
      fetch,
      timeoutSeconds: opts.client?.fetch ? timeoutSeconds : undefined,
    }),
    dropEmptyKeyboardRows,
    tolerateLateCallbackAnswers,
    deps.sendBudget.chargeBotSends,
  );

  if (opts.inFlight) bot.use(opts.inFlight.middleware());
  // Updates of one chat in order, different chats in parallel (runner); the key also guards conversation state.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(injectDeps(deps));
  // Everything that touches the database or the user is inside the boundary: whatever fails, the person hears
  // "something went wrong, your progress is kept", even before their locale is known.
  const guarded = bot.errorBoundary((err) => handleFeatureError(err));
  guarded.use(deps.metrics.middleware());
  guarded.use(dedupeUpdates());
  guarded.use(requireSender);
  guarded.use(userAndLocale());
  // Generous for people (a form has a dozen answers), tight for scripts.
  guarded.use(rateLimit({ perWindow: deps.config.rateLimitPerMinute, windowMs: 60_000 }));
  guarded.use(guardSigningKeys);
  guarded.use(
    conversations<BaseContext, BaseContext>({
      storage: {
        type: "key",
        version: 1,
        prefix: CONVERSATION_PREFIX,
        getStorageKey: (ctx) => (ctx.chat?.type === "private" ? ctx.chat.id.toString() : undefined),
        // Written with the update's other writes while an update of the chat runs (bot/middleware/dedupe.ts).
        adapter: conversationAdapter<VersionedState<ConversationData>>(deps, (key) =>
          key.startsWith(CONVERSATION_PREFIX) ? deps.units.get(key.slice(CONVERSATION_PREFIX.length))?.uow : undefined,
        ),
      },
    }),
  );
  // A waiting conversation would swallow /cancel: it comes between conversations() and the conversations.
  for (const f of FEATURES) if (f.beforeConversations) guarded.use(f.beforeConversations);
  for (const f of FEATURES) if (f.conversations) guarded.use(f.conversations(deps));
  for (const f of FEATURES) if (f.handlers) guarded.use(f.handlers(deps));

  // Last resort (the few middlewares in front of the boundary): the same log summary and the same polite reply.
  bot.catch((err) => handleFeatureError(err, deps));
  return bot;
}
