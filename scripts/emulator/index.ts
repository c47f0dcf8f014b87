/**
 * Telegram Bot API emulator for end-to-end tests, benchmarks and the browser sandbox.
 * Plain node:http, no dependencies, never talks to the real Telegram.
 *
 *   const tg = await startEmulator({ token?, port?, rateLimit?, now?, ... });
 *   const bot = new Bot(tg.token, { client: { apiRoot: tg.url } });   // or BOT_API_ROOT=tg.url for a child process
 *   const u = tg.user({ id: 42, first_name: "Aigerim", language_code: "kk" });
 *   u.command("/start");                       // also: send, sendPhoto, sendDocument, sendSticker, sendVoice,
 *   const m = await u.nextMessage();           //   sendLocation, sendContact, forward, tap, edit, block/unblock
 *   await u.press("Қазақша").answer();         // inline button by text or callback_data; pressForged(data)
 *   await u.nextEdit(); await u.waitFor((m) => m.text === "…"); u.lastMessage(); u.messages(); u.replyKeyboard()
 *   await tg.waitForCall("setMyCommands"); tg.on("call", (e) => …); tg.calls("sendMessage")
 *   tg.faults.tooManyRequests({ method: "sendMessage", chatId: 42, times: 2, retryAfter: 1 });
 *   tg.faults.serverError / forbidden / latency / inject(rule); tg.setRateLimit({ global: 30, perChat: 1 })
 *   tg.pushUpdate({ update_id?, ...anything }); tg.commands(scope?, lang?); tg.stats(); tg.webhookInfo()
 *   tg.route("GET", "/", handler); tg.server (node http.Server); await tg.call(method, params); await tg.close()
 *
 * Semantics (getUpdates offset/timeout/409, webhooks, errors): see README.md next to this file.
 */
import type { Server } from "node:http";
import type { BotCommand, Chat, User } from "grammy/types";
import { type FaultHandle, type FaultRule, Faults, type RateLimitOptions, type Stats } from "./faults.js";
import { botMethods } from "./methods/bot.js";
import { editMethods } from "./methods/edit.js";
import { messageMethods } from "./methods/messages.js";
import { updateMethods } from "./methods/updates.js";
import { Params } from "./params.js";
import { type ApiAnswer, EmulatorServer, type RouteHandler } from "./server.js";
import { State, menuSeen, scopeKey } from "./state.js";
import type { CallEvent, EmulatorEvents, StoredFile } from "./types.js";
import { UpdateQueue } from "./updates.js";
import { ScriptedUser, type UserInit } from "./user.js";
import { type WaitOptions, waitUntil } from "./wait.js";

export type { CallbackHandle, UserInit } from "./user.js";
export type { FaultHandle, FaultRule, RateLimitOptions, Stats } from "./faults.js";
export type { ApiAnswer, RouteHandler } from "./server.js";
export type { CallbackAnswer, CallEvent, EditEvent, EmulatorEvents, StoredMessage } from "./types.js";
export { ScriptedUser } from "./user.js";
export { inlineButtons, replyButtonTexts } from "./markup.js";

export interface EmulatorOptions {
  /** Bot token; the part before ":" is the bot id. */
  token?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  botFirstName?: string;
  botUsername?: string;
  /** Clock in ms for dates, callback query ages and rate limits (long-poll timeouts use real timers). */
  now?: () => number;
  /** answerCallbackQuery fails with "query is too old" after this age (default 60 s). */
  callbackQueryMaxAgeMs?: number;
  /** Delay before redelivering to a failing webhook (default 50 ms). */
  webhookRetryMs?: number;
  firstUpdateId?: number;
  /** Enforce Telegram's broadcast limits from the start. */
  rateLimit?: RateLimitOptions;
  /** Default timeout of the waiting helpers (default 5000 ms). */
  defaultTimeoutMs?: number;
  /** Calls kept in `calls()` (default 10 000). */
  maxCallLog?: number;
}

type FaultShortcut = Omit<FaultRule, "error" | "latencyMs">;

export class Emulator {
  readonly state: State;
  readonly faults: {
    inject(rule: FaultRule): FaultHandle;
    tooManyRequests(o?: FaultShortcut & { retryAfter?: number }): FaultHandle;
    serverError(o?: FaultShortcut & { code?: number }): FaultHandle;
    forbidden(o?: FaultShortcut & { description?: string }): FaultHandle;
    latency(ms: number, o?: FaultShortcut): FaultHandle;
    clear(): void;
  };
  private readonly faultsImpl: Faults;
  private readonly queue: UpdateQueue;
  private readonly srv: EmulatorServer;
  private readonly users = new Map<number, ScriptedUser>();
  readonly defaultTimeoutMs: number;
  /** apiRoot for grammY: `new Bot(token, { client: { apiRoot: url } })`. */
  url = "";

  constructor(opts: EmulatorOptions = {}) {
    const token = opts.token ?? "7000000001:AAEmulatorTestTokenForEmhanaBot-xyz_123";
    this.state = new State({
      token,
      ...(opts.botFirstName !== undefined ? { botFirstName: opts.botFirstName } : {}),
      ...(opts.botUsername !== undefined ? { botUsername: opts.botUsername } : {}),
      ...(opts.now !== undefined ? { now: opts.now } : {}),
      ...(opts.callbackQueryMaxAgeMs !== undefined ? { callbackQueryMaxAgeMs: opts.callbackQueryMaxAgeMs } : {}),
    });
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 5000;
    this.faultsImpl = new Faults(this.state.now);
    this.faultsImpl.rateLimit = opts.rateLimit;
    this.queue = new UpdateQueue({
      unixNow: () => this.state.unixNow(),
      ...(opts.firstUpdateId !== undefined ? { firstUpdateId: opts.firstUpdateId } : {}),
      ...(opts.webhookRetryMs !== undefined ? { webhookRetryMs: opts.webhookRetryMs } : {}),
      onWebhookReply: async (method, params) => {
        await this.call(method, params);
      },
      onPollerWaiting: () => this.state.events.emit("polling"),
    });
    this.srv = new EmulatorServer(
      this.state,
      this.queue,
      this.faultsImpl,
      { ...updateMethods, ...botMethods, ...messageMethods, ...editMethods },
      opts.maxCallLog,
    );
    const f = this.faultsImpl;
    this.faults = {
      inject: (rule) => f.inject(rule),
      tooManyRequests: (o = {}) => f.inject({ ...o, error: { code: 429, retryAfter: o.retryAfter ?? 1 } }),
      serverError: (o = {}) => f.inject({ ...o, error: { code: o.code ?? 500 } }),
      forbidden: (o = {}) =>
        f.inject({
          ...o,
          error: { code: 403, description: o.description ?? "Forbidden: bot was blocked by the user" },
        }),
      latency: (ms, o = {}) => f.inject({ ...o, latencyMs: ms }),
      clear: () => f.clear(),
    };
  }

  get token(): string {
    return this.state.token;
  }

  get bot(): User {
    return this.state.bot;
  }

  /** The node http server, e.g. to attach a WebSocket upgrade handler. */
  get server(): Server {
    return this.srv.http;
  }

  async listen(host = "127.0.0.1", port = 0): Promise<this> {
    this.url = await this.srv.listen(host, port);
    return this;
  }

  /** A scripted user in their private chat with the bot (same instance for the same id). */
  user(init: UserInit): ScriptedUser {
    let u = this.users.get(init.id);
    if (!u) {
      u = new ScriptedUser(this.host(), init);
      this.users.set(init.id, u);
    }
    return u;
  }

  /** Registers a group/supergroup/channel chat; then `user.in(chat)` writes there. */
  chat(chat: Chat): Chat {
    this.state.ensureChat(chat);
    return chat;
  }

  /** Queues any update (unknown types, replays with an explicit update_id). Returns its id or undefined if filtered. */
  pushUpdate(update: Record<string, unknown>): number | undefined {
    const id = this.queue.push(update);
    if (id !== undefined) this.state.events.emit("update", { ...update, update_id: id });
    return id;
  }

  on<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): this {
    this.state.events.on(event, listener as never);
    return this;
  }

  off<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): this {
    this.state.events.off(event, listener as never);
    return this;
  }

  /** Recorded API calls, optionally of one method (case-insensitive). */
  calls(method?: string): CallEvent[] {
    const m = method?.toLowerCase();
    return this.state.calls.filter((c) => m === undefined || c.method.toLowerCase() === m);
  }

  /**
   * Resolves with the first call of `method` (seq > since, matching predicate), including calls already
   * made — so a bot that called setMyCommands at start-up is found. Use `since: tg.lastCallSeq()` for "next".
   */
  waitForCall(
    method: string,
    opts: WaitOptions & { since?: number; predicate?: (c: CallEvent) => boolean } = {},
  ): Promise<CallEvent> {
    const since = opts.since ?? 0;
    const find = () => this.calls(method).find((c) => c.seq > since && (opts.predicate?.(c) ?? true));
    const timeoutMs = opts.timeout ?? this.defaultTimeoutMs;
    return waitUntil(this.state, find, {
      timeoutMs,
      what: `waitForCall("${method}")`,
      describe: () =>
        `Last calls: ${
          this.state.calls
            .slice(-10)
            .map((c) => `${c.method}${c.ok ? "" : `(${c.error?.error_code})`}`)
            .join(", ") || "(none)"
        }`,
      events: ["call"],
    });
  }

  /** Resolves once `condition` (over the emulator's state) holds, checked now and after every API call. */
  waitForCondition(what: string, condition: () => boolean, opts: WaitOptions = {}): Promise<true> {
    return waitUntil(this.state, () => (condition() ? true : undefined), {
      timeoutMs: opts.timeout ?? this.defaultTimeoutMs,
      what: `waitForCondition(${what})`,
      describe: () => `Calls so far: ${this.state.calls.length}`,
      events: ["call"],
    });
  }

  /** Resolves once a getUpdates request is held open: the bot is running and has drained the queue. */
  waitForPolling(opts: WaitOptions = {}): Promise<true> {
    return waitUntil(this.state, () => (this.queue.isPolling ? true : undefined), {
      timeoutMs: opts.timeout ?? this.defaultTimeoutMs,
      what: "waitForPolling",
      describe: () => `Pending updates: ${this.queue.pendingCount}; webhook: ${this.queue.webhook?.url ?? "none"}`,
      events: ["polling"],
    });
  }

  lastCallSeq(): number {
    return this.state.calls.at(-1)?.seq ?? 0;
  }

  /** Runs a Bot API method in-process through the same pipeline (faults, limits, events). */
  call(method: string, params: Record<string, unknown> = {}): Promise<ApiAnswer> {
    return this.srv.call(method, new Params(params));
  }

  /** Commands stored by setMyCommands for exactly this scope and language. */
  commands(scope: Record<string, unknown> = { type: "default" }, languageCode = ""): BotCommand[] | undefined {
    return this.state.commands.get(scopeKey(scope, languageCode));
  }

  /** The command menu this person sees in their private chat, as Telegram picks it (see `menuSeen`). */
  menuSeenBy(chatId: number, languageCode?: string): BotCommand[] {
    return menuSeen(this.state.commands, chatId, languageCode);
  }

  file(fileId: string): { info: StoredFile; bytes: Buffer } | undefined {
    const info = this.state.files.get(fileId);
    return info ? { info, bytes: info.bytes() } : undefined;
  }

  block(chatId: number): void {
    this.state.chat(chatId).blocked = true;
  }

  unblock(chatId: number): void {
    this.state.chat(chatId).blocked = false;
  }

  setRateLimit(limits: RateLimitOptions | undefined): void {
    this.faultsImpl.rateLimit = limits;
  }

  stats(): Stats {
    return this.faultsImpl.stats;
  }

  webhookInfo(): { url: string | undefined; pending: number; lastError: string | undefined; deliveries: number } {
    return {
      url: this.queue.webhook?.url,
      pending: this.queue.pendingCount,
      lastError: this.queue.webhookStatus.lastErrorMessage,
      deliveries: this.queue.webhookStatus.deliveries,
    };
  }

  pendingUpdates(): number {
    return this.queue.pendingCount;
  }

  /** Extra HTTP route (exact path or RegExp; method "*" for any), served before the Bot API. */
  route(method: string, path: string | RegExp, handler: RouteHandler): void {
    this.srv.route(method, path, handler);
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.srv.close();
  }

  private host() {
    return {
      state: this.state,
      push: (u: Record<string, unknown>) => this.pushUpdate(u),
      defaultTimeoutMs: this.defaultTimeoutMs,
    };
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(opts).listen(opts.host ?? "127.0.0.1", opts.port ?? 0);
}
