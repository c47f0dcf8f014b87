import { GrammyError, HttpError, type Bot } from "grammy";
import type { BotContext } from "./context.js";

/** A start-up failure the operator can act on: main prints its message as the one line. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface ConnectOptions {
  apiRoot: string;
  /** getMe attempts before giving up; each failure is said in one line with the wait before the next. */
  attempts?: number;
  timeoutMs?: number;
  say?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Why the address could not be reached, in a few words (never the token: grammY's messages hide it). */
function networkCause(err: HttpError): string {
  const cause = err.error as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  if (typeof code === "string") return code;
  if (cause?.name === "AbortError" || /timed? ?out|aborted/i.test(err.message)) return "no answer";
  return typeof cause?.name === "string" ? cause.name : "network error";
}

/**
 * Who the bot is (getMe), with bounded waits: grammY's own init retries a network failure without end, which
 * left a start-up silent for minutes. A refused token says so at once; an unreachable server is tried a few times,
 * each failure said in one line with a countdown, then the start fails with what to check.
 */
export async function connect(bot: Bot<BotContext>, opts: ConnectOptions): Promise<void> {
  const attempts = opts.attempts ?? 5;
  const say = opts.say ?? ((line: string) => console.error(line));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      // grammY types its signal with the abort-controller shim; Node's own signal is what it uses at runtime.
      const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000) as unknown as Parameters<typeof bot.api.getMe>[0];
      bot.botInfo = await bot.api.getMe(signal);
      return;
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404))
        throw new StartupError(`Telegram refused BOT_TOKEN (${err.error_code}): check the token @BotFather gave you`);
      if (err instanceof GrammyError)
        throw new StartupError(`Telegram answered getMe with ${err.error_code}: try again later`);
      if (!(err instanceof HttpError)) throw err;
      const cause = networkCause(err);
      if (attempt >= attempts)
        throw new StartupError(`cannot reach ${opts.apiRoot} (${cause}): check the network or BOT_API_ROOT`);
      const wait = Math.min(2 ** attempt, 30);
      say(`emhana: cannot reach ${opts.apiRoot} (${cause}); retrying in ${wait} s (${attempt}/${attempts - 1})`);
      await sleep(wait * 1000);
    }
  }
}
