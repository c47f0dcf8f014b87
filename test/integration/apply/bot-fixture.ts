import type { Update, UserFromGetMe } from "grammy/types";
import { createBot } from "../../../bot/create-bot.js";
import { clockFrom } from "../../../bot/clock.js";
import type { Deps } from "../../../bot/context.js";
import { createI18n } from "../../../bot/i18n.js";
import { createLogger } from "../../../bot/logger.js";
import { createRulesService } from "../../../bot/rules-service.js";
import { createDeps } from "../../../bot/deps.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { giveConsent } from "../../../data/repositories/consents.js";
import { noticeVersion } from "../../../bot/ui/consent.js";
import { openTestDatabase } from "../../fixtures/database.js";
import { testVault } from "../../fixtures/vault.js";

export const BOT_INFO: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: "Emhana",
  username: "emhana_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export interface SentCall {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * The real bot in-process on a real database of the run's kind, with a fake `fetch` that answers like Telegram and records every
 * call (it carries into conversations). For fast property tests; end-to-end tests use the emulator instead.
 */
export async function inProcessBot(opts: {
  clockStart: string;
  logLines?: string[];
  /** An answer of Telegram's to use instead of success for this call (a 429, say); undefined: success. */
  fault?: (method: string) => { status: number; body: unknown } | undefined;
  /** Runs before each call is answered (the handler waits for it): a test looks at the database mid-update. */
  onCall?: (method: string) => Promise<void>;
  /** Records every wait of a retried call. */
  sleeps?: number[];
  /** Whether every sender has already agreed to the privacy notice (default true: these tests are about the flow). */
  consented?: boolean;
}) {
  const database = await openTestDatabase();
  await seedDirectoryIfEmpty(database.db);
  const clock = clockFrom(new Date(opts.clockStart));
  const deps: Deps = createDeps({
    db: database.db,
    vault: testVault,
    config: { adminIds: [], broadcastRate: 28, rateLimitPerMinute: 1_000_000 },
    clock,
    log: opts.logLines
      ? createLogger("trace", { write: (line: string) => void opts.logLines?.push(line) })
      : createLogger("silent"),
    i18n: await createI18n(),
    rules: createRulesService(database.db),
  });
  const calls: SentCall[] = [];
  let messageId = 1000;
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const method = String(input).split("/").at(-1) ?? "";
    const payload = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    calls.push({ method, payload });
    await opts.onCall?.(method);
    const fault = opts.fault?.(method);
    if (fault)
      return new Response(JSON.stringify(fault.body), {
        status: fault.status,
        headers: { "content-type": "application/json" },
      });
    const chat = { id: Number(payload.chat_id ?? 0), type: "private", first_name: "U" };
    const message = {
      message_id: ++messageId,
      date: Math.floor(clock.now().getTime() / 1000),
      chat,
      text: payload.text,
    };
    const result = method.startsWith("send") || method.startsWith("edit") ? message : true;
    return new Response(JSON.stringify({ ok: true, result }), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  const bot = createBot(deps, {
    token: "7000000001:AAEmulatorTestTokenForEmhanaBot-xyz_123",
    botInfo: BOT_INFO,
    client: { fetch: fakeFetch },
    sleep: async (ms) => void opts.sleeps?.push(ms),
  });
  let updateId = 1;
  const agreed = new Set<number>();
  const agree = async (userId: number) => {
    if (opts.consented === false || agreed.has(userId)) return;
    agreed.add(userId);
    await giveConsent(database.db, userId, await noticeVersion(deps), clock.now().toISOString());
  };
  return {
    bot,
    deps,
    calls,
    nextUpdateId: () => updateId++,
    async send(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<void> {
      const from = update.message?.from ?? update.callback_query?.from ?? update.edited_message?.from;
      if (from) await agree(from.id);
      await bot.handleUpdate({ update_id: update.update_id ?? updateId++, ...update } as Update);
    },
    async close(): Promise<void> {
      await database.dispose();
    },
  };
}
