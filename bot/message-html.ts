import { escapers, parse_html, serialiseWith, serialisers } from "@telegraf/entity";
import type { MessageEntity } from "grammy/types";

// A link's address sits in an attribute: escaped as well (the library leaves it as it came).
const serialise = serialiseWith((match, node) => {
  if (node?.type !== "text_link") return serialisers.HTML(match, node);
  return `<a href="${escapers.HTML(node.url).replaceAll('"', "&quot;")}">${match}</a>`;
}, escapers.HTML);
type LibEntity = NonNullable<Extract<Parameters<typeof serialise>[0], { text: string }>["entities"]>[number];

// The entities HTML writes as tags. Links, mentions and the like that Telegram finds by itself need none, and
// entity kinds newer than the library's types (a date, say) are left as their text.
const TAGGED: ReadonlySet<string> = new Set([
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "code",
  "pre",
  "text_link",
  "blockquote",
]);

/**
 * A message's text as HTML again, from the plain text and entities Telegram sends back, so that the text can be
 * edited with more after it. Entities reaching past `text` (cut from a longer one) are cut with it.
 */
export function messageHtml(text: string, entities: readonly MessageEntity[] = []): string {
  const within = entities
    .filter((e) => TAGGED.has(e.type) && e.offset < text.length)
    // Of the kinds kept, the library's entity type and grammY's agree field for field.
    .map((e) => ({ ...e, length: Math.min(e.length, text.length - e.offset) }) as LibEntity);
  // The library hands an entity-less text through unescaped, and sorts the array it is given.
  if (within.length === 0) return escapers.HTML(text);
  return serialise({ text, entities: within });
}

/** The length of an HTML text once Telegram has parsed it: what its limits and entity offsets count. */
export function plainLength(html: string): number {
  return parse_html(html).text.length;
}
