// Telegram formatting from text + entities, built as DOM nodes with textContent only: nothing the bot sends is
// ever parsed as HTML. Offsets are UTF-16 code units, like JavaScript strings.

const TAGS = {
  bold: "b",
  italic: "i",
  underline: "u",
  strikethrough: "s",
  code: "code",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
};

/** Links we follow: web pages, Telegram links and mail; anything else (javascript:, data:…) stays plain text. */
export function safeUrl(raw) {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  try {
    const u = new URL(withScheme);
    return ["http:", "https:", "tg:", "mailto:"].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Renders `text` with its entities into `parent`. `onCommand(cmd)` makes /commands clickable, as Telegram does.
 * Nested entities nest; one that overlaps its parent's end is clipped there.
 */
export function renderFormatted(parent, text, entities, onCommand) {
  const sorted = [...(entities ?? [])]
    .filter((e) => e.length > 0 && e.offset >= 0 && e.offset < text.length)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  renderRange(parent, text, 0, text.length, sorted, onCommand);
}

function renderRange(parent, text, start, end, entities, onCommand) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const e = entities[i];
    const eEnd = Math.min(e.offset + e.length, end);
    if (e.offset < pos || e.offset >= end) {
      i += 1;
      continue;
    }
    plain(parent, text.slice(pos, e.offset), onCommand);
    // Entities starting inside this one are its children.
    let j = i + 1;
    while (j < entities.length && entities[j].offset < eEnd) j += 1;
    const el = element(e, text.slice(e.offset, eEnd), onCommand);
    renderRange(el.inner, text, e.offset, eEnd, entities.slice(i + 1, j), onCommand);
    parent.append(el.outer);
    pos = eEnd;
    i = j;
  }
  plain(parent, text.slice(pos, end), onCommand);
}

function element(e, content, onCommand) {
  if (e.type === "pre") {
    const pre = document.createElement("pre");
    const code = document.createElement("code");
    if (e.language) code.dataset.language = e.language;
    pre.append(code);
    return { outer: pre, inner: code };
  }
  if (e.type === "text_link" || e.type === "url" || e.type === "email") {
    const href = e.type === "email" ? `mailto:${content}` : safeUrl(e.type === "url" ? content : (e.url ?? ""));
    const el = href ? document.createElement("a") : document.createElement("span");
    if (href) {
      el.href = href;
      el.target = "_blank";
      el.rel = "noopener noreferrer";
    }
    return { outer: el, inner: el };
  }
  if (e.type === "spoiler") {
    const el = document.createElement("span");
    el.className = "spoiler";
    el.addEventListener("click", () => el.classList.add("revealed"));
    return { outer: el, inner: el };
  }
  if (e.type === "bot_command" && onCommand) {
    const el = document.createElement("span");
    el.className = "command";
    el.addEventListener("click", () => onCommand(content.split("@")[0]));
    return { outer: el, inner: el };
  }
  const tag = TAGS[e.type];
  const el = document.createElement(tag ?? "span");
  if (e.type === "expandable_blockquote") {
    el.classList.add("expandable");
    el.addEventListener("click", () => el.classList.toggle("open"));
  }
  if (["mention", "hashtag", "cashtag", "phone_number"].includes(e.type)) el.className = "link-like";
  return { outer: el, inner: el };
}

/** Plain text; /commands in it become clickable like in Telegram clients (which detect them themselves). */
function plain(parent, s, onCommand) {
  if (!s) return;
  if (!onCommand) return void parent.append(s);
  const re = /(^|[\s(])(\/[a-z0-9_]{1,32})(?=$|[\s.,;:!?)])/gi;
  let last = 0;
  for (const m of s.matchAll(re)) {
    const at = m.index + m[1].length;
    parent.append(s.slice(last, at));
    const el = document.createElement("span");
    el.className = "command";
    el.textContent = m[2];
    el.addEventListener("click", () => onCommand(m[2]));
    parent.append(el);
    last = at + m[2].length;
  }
  parent.append(s.slice(last));
}
