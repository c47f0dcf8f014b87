import type { InlineKeyboard } from "grammy";
import type { BaseContext } from "../context.js";
import { TEXT_LIMIT } from "../format.js";

// Lists a person can grow (staff, audit entries, requests, clinics in statistics) may pass Telegram's 4096
// characters: they go out as several messages, each within the limit, split between lines where possible.

/** A tag, an entity, or one character (a whole code point: an emoji is never split). */
const TOKEN = /<[^>]*>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});|[\s\S]/giu;
const NAMED: Record<string, number> = { lt: 1, gt: 1, amp: 1, quot: 1, apos: 1, nbsp: 1 };

/** What a token adds to the length Telegram counts (UTF-16 units after entities parsing): a tag nothing. */
function visible(token: string): number {
  if (token.length > 1 && token.startsWith("<")) return 0;
  if (token.length > 2 && token.startsWith("&") && token.endsWith(";")) {
    const body = token.slice(1, -1).toLowerCase();
    if (!body.startsWith("#")) return NAMED[body] ?? token.length;
    const code = body.startsWith("#x") ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0xffff ? 2 : 1;
  }
  return token.length;
}

/** The text's length as Telegram measures it against the limit: after its HTML tags and entities are parsed. */
export function visibleLength(html: string): number {
  let n = 0;
  for (const t of html.match(TOKEN) ?? []) n += visible(t);
  return n;
}

const tagName = (tag: string) => /^<\/?\s*([a-z][\w-]*)/i.exec(tag)?.[1]?.toLowerCase() ?? "";
const closing = (open: readonly string[]) => [...open].reverse().map((t) => `</${tagName(t)}>`);

/**
 * HTML text in pieces of at most `limit` visible characters: cut at the last line break that fits, else at a space,
 * else between characters; never inside a tag or an entity. Tags open at a cut are closed before it and opened
 * again after it, so every piece parses on its own.
 */
export function splitHtml(text: string, limit = TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let tokens: string[] = text.match(TOKEN) ?? [];
  while (tokens.length > 0) {
    let count = 0;
    let open: string[] = [];
    let lineCut: { at: number; open: string[] } | null = null;
    let spaceCut: { at: number; open: string[] } | null = null;
    let end = tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] ?? "";
      const n = visible(t);
      if (count + n > limit) {
        end = i;
        break;
      }
      count += n;
      if (n === 0) {
        if (t.startsWith("</")) {
          const name = tagName(t);
          const at = open.map(tagName).lastIndexOf(name);
          if (at >= 0) open = open.slice(0, at);
        } else open = [...open, t];
      } else if (i > 0 && t === "\n") lineCut = { at: i, open };
      else if (i > 0 && /^\s$/u.test(t)) spaceCut = { at: i, open };
    }
    if (end === tokens.length) {
      pieces.push(tokens.join(""));
      break;
    }
    const cut = lineCut ?? spaceCut;
    const at = cut?.at ?? Math.max(1, end);
    const stillOpen = cut ? cut.open : open;
    pieces.push([...tokens.slice(0, at), ...closing(stillOpen)].join(""));
    // The line break or space cut at goes; the next piece starts with the tags still open.
    tokens = [...stillOpen, ...tokens.slice(cut ? at + 1 : at)];
  }
  // Telegram refuses a message with nothing to show.
  return pieces.filter((p) => visibleLength(p.replace(/\s+/g, "")) > 0);
}

/** Sends HTML text as one message, or as several when it is too long; a keyboard goes with the last. */
export async function replyLong(
  ctx: BaseContext,
  text: string,
  extra: { reply_markup?: InlineKeyboard } = {},
): Promise<void> {
  const pieces = splitHtml(text);
  for (const [i, piece] of pieces.entries())
    await ctx.reply(piece, { parse_mode: "HTML", ...(i === pieces.length - 1 ? extra : {}) });
}
