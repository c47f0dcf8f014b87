import { Api, GrammyError, HttpError } from "grammy";
import { BotApiRootSchema, BotTokenSchema } from "../../bot/config.js";
import { BotUsername } from "../../bot/deep-links.js";

export type UsernameResult = { ok: true; username: string; from: "getMe" | "--bot" } | { ok: false; problem: string };

/**
 * The bot the links open: getMe's answer when BOT_TOKEN is set (the bot that will answer them), else --bot. Both
 * given and different is refused: a poster printed for the wrong bot would send a lobby to it.
 */
export async function botUsername(
  env: NodeJS.ProcessEnv,
  flag: string | undefined,
  getMe: (token: string, apiRoot: string) => Promise<{ username?: string }> = askTelegram,
): Promise<UsernameResult> {
  let fromFlag: string | undefined;
  if (flag !== undefined) {
    const parsed = BotUsername.safeParse(flag);
    if (!parsed.success)
      return { ok: false, problem: `--bot: "${flag}" is not a Telegram username (5–32 of A-Z a-z 0-9 _)` };
    fromFlag = parsed.data;
  }
  if (!env.BOT_TOKEN) {
    return fromFlag
      ? { ok: true, username: fromFlag, from: "--bot" }
      : {
          ok: false,
          problem: "the bot's username is unknown: pass --bot <username> or set BOT_TOKEN (the links open that bot)",
        };
  }
  const token = BotTokenSchema.safeParse(env.BOT_TOKEN);
  if (!token.success) return { ok: false, problem: `BOT_TOKEN: ${token.error.issues[0]?.message ?? "is not valid"}` };
  const apiRoot = BotApiRootSchema.safeParse(env.BOT_API_ROOT || undefined);
  if (!apiRoot.success)
    return { ok: false, problem: `BOT_API_ROOT: ${apiRoot.error.issues[0]?.message ?? "is not valid"}` };
  let me: { username?: string };
  try {
    me = await getMe(token.data, apiRoot.data);
  } catch (err) {
    const why = err instanceof GrammyError ? err.description : err instanceof HttpError ? "network error" : String(err);
    return { ok: false, problem: `getMe failed (${why}): check BOT_TOKEN, or unset it and pass --bot <username>` };
  }
  if (!me.username)
    return { ok: false, problem: "getMe returned no username: pass --bot <username> without BOT_TOKEN" };
  if (fromFlag && fromFlag.toLowerCase() !== me.username.toLowerCase()) {
    return {
      ok: false,
      problem: `--bot ${fromFlag} is not the bot of BOT_TOKEN (@${me.username}): drop one of the two`,
    };
  }
  return { ok: true, username: me.username, from: "getMe" };
}

async function askTelegram(token: string, apiRoot: string): Promise<{ username?: string }> {
  return new Api(token, { apiRoot, timeoutSeconds: 20 }).getMe();
}
