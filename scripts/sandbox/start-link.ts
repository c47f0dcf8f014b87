// "Open by link": what Telegram does when a person opens `https://t.me/<bot>?start=<payload>` (a clinic's poster, the
// QR of /qr) is send `/start <payload>` to the bot. The sandbox takes such a link, or the payload alone, and sends
// the same; a link to another bot, or a payload Telegram would not pass on, is refused with the reason.

/** Telegram passes a start parameter of 1–64 characters of A-Z a-z 0-9 _ - (Bot API, "Deep linking"). */
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;
const HOSTS = new Set(["t.me", "www.t.me", "telegram.me", "www.telegram.me", "telegram.dog"]);

export type StartLinkProblem = "not_a_link" | "other_bot" | "bad_payload";

export type OpenedLink = { ok: true; payload: string } | { ok: false; problem: StartLinkProblem; message: string };

function refused(problem: StartLinkProblem, message: string): OpenedLink {
  return { ok: false, problem, message };
}

/**
 * The payload a link carries for this bot ("" for a link without one: a plain /start). Accepts `https://t.me/…`
 * (also without the scheme, telegram.me and telegram.dog), `tg://resolve?domain=…&start=…`, or a bare payload.
 */
export function startPayloadOf(input: string, botUsername: string): OpenedLink {
  const text = input.trim();
  if (PAYLOAD.test(text)) return { ok: true, payload: text };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return refused("not_a_link", "not a link to a Telegram bot nor a start payload");
  }
  let bot: string;
  if (url.protocol === "tg:" && url.hostname === "resolve") bot = url.searchParams.get("domain") ?? "";
  else if ((url.protocol === "https:" || url.protocol === "http:") && HOSTS.has(url.hostname.toLowerCase()))
    bot = url.pathname.split("/")[1] ?? "";
  else return refused("not_a_link", "not a link to a Telegram bot nor a start payload");
  if (bot.toLowerCase() !== botUsername.toLowerCase())
    return refused("other_bot", `the link opens @${bot || "?"}, not @${botUsername}`);
  const start = url.searchParams.get("start");
  if (start === null || start === "") return { ok: true, payload: "" };
  if (!PAYLOAD.test(start))
    return refused("bad_payload", "Telegram passes only 1–64 characters of A-Z a-z 0-9 _ - after start=");
  return { ok: true, payload: start };
}
