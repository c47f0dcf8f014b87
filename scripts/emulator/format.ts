// Loose parse_mode handling: produce plain text plus entities the way Telegram does, and reject the
// markup mistakes Telegram rejects (unknown/unmatched tags, unescaped MarkdownV2 characters).
import type { MessageEntity } from "grammy/types";
import { badRequest } from "./errors.js";

export interface Formatted {
  text: string;
  entities: MessageEntity[];
}

const SIMPLE_TAGS: Record<string, MessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  a: "text_link",
  span: "spoiler",
  "tg-emoji": "custom_emoji",
};

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

const cantParse = (why: string) => badRequest(`can't parse entities: ${why}`);

export function parseHtml(src: string): Formatted {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: Array<{ tag: string; start: number; attrs: Map<string, string> }> = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "&") {
      const m = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(src.slice(i, i + 12));
      const name = m?.[1];
      if (m && name !== undefined) {
        const lower = name.toLowerCase();
        if (lower.startsWith("#x")) text += String.fromCodePoint(parseInt(lower.slice(2), 16));
        else if (lower.startsWith("#")) text += String.fromCodePoint(parseInt(lower.slice(1), 10));
        else if (NAMED[lower] !== undefined) text += NAMED[lower];
        else throw cantParse(`Unsupported HTML entity "&${name};" at byte offset ${byteOffset(src, i)}`);
        i += m[0].length;
      } else {
        text += "&"; // Telegram tolerates a bare ampersand
        i += 1;
      }
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i += 1;
      continue;
    }
    const close = src.indexOf(">", i);
    if (close < 0) throw cantParse(`Unexpected end of name token at byte offset ${byteOffset(src, i)}`);
    const inner = src.slice(i + 1, close).trim();
    if (inner.startsWith("/")) {
      const tag = inner.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top || top.tag !== tag) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(src, i)}, expected "</${top?.tag ?? ""}>", found "</${tag}>"`,
        );
      }
      pushEntity(entities, top, text.length);
    } else {
      const m = /^([a-z][a-z0-9-]*)(.*)$/is.exec(inner);
      const tag = m?.[1]?.toLowerCase() ?? inner;
      const attrs = parseAttrs(m?.[2] ?? "");
      const known = SIMPLE_TAGS[tag] !== undefined && (tag !== "span" || attrs.get("class") === "tg-spoiler");
      if (!known) throw cantParse(`Unsupported start tag "${tag}" at byte offset ${byteOffset(src, i)}`);
      if (tag === "a" && !attrs.has("href")) throw cantParse(`Can't find href attribute for tag "a"`);
      open.push({ tag, start: text.length, attrs });
    }
    i = close + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function pushEntity(out: MessageEntity[], o: { tag: string; start: number; attrs: Map<string, string> }, end: number) {
  const type = SIMPLE_TAGS[o.tag];
  if (type === undefined || end === o.start) return;
  const base = { offset: o.start, length: end - o.start };
  if (type === "text_link") out.push({ ...base, type, url: o.attrs.get("href") ?? "" });
  else if (type === "custom_emoji") out.push({ ...base, type, custom_emoji_id: o.attrs.get("emoji-id") ?? "" });
  else if (type === "pre") out.push({ ...base, type });
  else if (type === "blockquote" && o.attrs.has("expandable")) out.push({ ...base, type: "expandable_blockquote" });
  else out.push({ ...base, type } as MessageEntity);
}

function parseAttrs(s: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([a-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/gi;
  for (const m of s.matchAll(re)) {
    const key = m[1];
    if (key !== undefined) attrs.set(key.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attrs;
}

const byteOffset = (s: string, i: number) => Buffer.byteLength(s.slice(0, i));

const MD2_PAIRS: Record<string, MessageEntity["type"]> = {
  "*": "bold",
  _: "italic",
  "~": "strikethrough",
  "`": "code",
  "||": "spoiler",
  __: "underline",
};
const MD2_RESERVED = new Set([..."_*[]()~`>#+-=|{}.!"]);

/**
 * MarkdownV2, loosely: paired markers become entities, links `[t](u)` become text_link, and any other
 * reserved character must be escaped — the mistake bots most often make with MarkdownV2.
 */
export function parseMarkdownV2(src: string): Formatted {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: Array<{ marker: string; start: number; at: number }> = [];
  let link: { start: number; at: number } | undefined;
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (ch === "\\" && i + 1 < src.length) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    const two = src.slice(i, i + 2);
    const marker = two === "||" || two === "__" ? two : ch in MD2_PAIRS ? ch : undefined;
    if (marker !== undefined) {
      const top = open[open.length - 1];
      if (top?.marker === marker) {
        open.pop();
        const type = MD2_PAIRS[marker];
        if (type !== undefined && text.length > top.start) {
          entities.push({ type, offset: top.start, length: text.length - top.start } as MessageEntity);
        }
      } else {
        open.push({ marker, start: text.length, at: i });
      }
      i += marker.length;
      continue;
    }
    if (ch === "[" && !link) {
      link = { start: text.length, at: i };
      i += 1;
      continue;
    }
    if (ch === "]" && link && src[i + 1] === "(") {
      const end = src.indexOf(")", i + 2);
      if (end < 0) throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
      entities.push({
        type: "text_link",
        offset: link.start,
        length: text.length - link.start,
        url: src.slice(i + 2, end),
      });
      link = undefined;
      i = end + 1;
      continue;
    }
    if (ch === ">" && (i === 0 || src[i - 1] === "\n")) {
      i += 1; // line-leading '>' starts a quote
      continue;
    }
    if (MD2_RESERVED.has(ch)) {
      throw cantParse(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    }
    text += ch;
    i += 1;
  }
  const unclosed = open[0] ?? link;
  if (unclosed) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(src, unclosed.at)}`);
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };
}

/** Applies parse_mode (or explicit entities) to a text or caption. */
export function format(raw: string, parseMode: unknown, entities: unknown): Formatted {
  if (Array.isArray(entities)) return { text: raw, entities: entities as MessageEntity[] };
  const mode = typeof parseMode === "string" ? parseMode : "";
  if (mode === "HTML") return parseHtml(raw);
  if (mode === "MarkdownV2") return parseMarkdownV2(raw);
  if (mode === "" || mode === "Markdown") return { text: raw, entities: [] };
  throw badRequest(`unsupported parse_mode`);
}
