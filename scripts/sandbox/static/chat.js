// The message list of one chat: bubbles (left: the bot, right: the persona), media, inline keyboards under the
// bot's messages, day separators. Edits replace a bubble in place.
import { renderFormatted } from "./format.js";
import { language, s } from "./strings.js";
import { el, formatDay, formatSize, formatTime } from "./ui.js";

/** handlers: { press(messageId, button, node), command(text) } */
export function renderChat(list, messages, handlers) {
  list.replaceChildren();
  for (const m of messages) appendMessage(list, m, handlers);
  list.scrollTop = list.scrollHeight;
}

/** A new message goes at its place by id; a known one (edited) is redrawn where it is. */
export function upsertMessage(list, m, handlers) {
  const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const old = list.querySelector(`.row[data-id="${m.id}"]`);
  if (old) old.replaceWith(messageRow(m, handlers));
  else appendMessage(list, m, handlers);
  if (stick) list.scrollTop = list.scrollHeight;
}

export function removeMessage(list, id) {
  list.querySelector(`.row[data-id="${id}"]`)?.remove();
}

function appendMessage(list, m, handlers) {
  const rows = [...list.querySelectorAll(".row")];
  const row = messageRow(m, handlers);
  const day = row.dataset.day;
  const after = rows.find((r) => Number(r.dataset.id) > m.id);
  if (after) return void after.before(row);
  if (rows.at(-1)?.dataset.day !== day) list.append(el("div", { class: "day", text: day }));
  list.append(row);
}

function messageRow(m, handlers) {
  const bubble = el("div", { class: "bubble" });
  if (m.forwardedFrom) bubble.append(el("div", { class: "forwarded", text: `↪ ${m.forwardedFrom}` }));
  if (m.photo) bubble.append(photo(m.photo));
  if (m.document) bubble.append(documentCard(m.document));
  if (m.location)
    bubble.append(
      el("div", {
        class: "card location",
        text: `📍 ${m.location.latitude.toFixed(5)}, ${m.location.longitude.toFixed(5)}`,
      }),
    );
  if (m.contact)
    bubble.append(el("div", { class: "card", text: `👤 ${s("contact")}: ${m.contact.name} ${m.contact.phone}` }));
  if (m.sticker) bubble.append(el("div", { class: "sticker", text: m.sticker }));
  if (m.voice) bubble.append(el("div", { class: "card", text: `🎤 0:${String(m.voice.duration).padStart(2, "0")}` }));
  const text = m.text ?? m.caption;
  if (text !== undefined) {
    const body = el("div", { class: "text" });
    renderFormatted(body, text, m.text !== undefined ? m.entities : m.captionEntities, handlers.command);
    bubble.append(body);
  }
  if (m.sticker || (m.photo && text === undefined)) bubble.classList.add("media-only");
  bubble.append(
    el("span", {
      class: "meta",
      text: `${m.edited ? `${s("edited")} ` : ""}${formatTime(m.date)}${m.fromBot ? "" : " ✓✓"}`,
    }),
  );
  const row = el(
    "div",
    { class: `row ${m.fromBot ? "in" : "out"}`, dataset: { id: String(m.id), day: formatDay(m.date, language()) } },
    bubble,
  );
  if (m.inline?.length) row.append(inlineKeyboard(m, handlers));
  return row;
}

function photo(p) {
  const img = el("img", { src: `/api/files/${p.fileId}`, alt: s("photo"), loading: "lazy" });
  // Files that only declared a size have filler bytes: show a placeholder instead of a broken image.
  img.addEventListener("error", () =>
    img.replaceWith(el("div", { class: "card", text: `🖼 ${s("photo")} · ${formatSize(p.size)}` })),
  );
  // A picture that loads after the chat was scrolled down would push the newest messages out of sight.
  img.addEventListener("load", () => {
    const list = img.closest(".messages");
    if (list && img.closest(".row") === list.querySelector(".row:last-of-type")) list.scrollTop = list.scrollHeight;
  });
  return el("div", { class: "photo" }, img);
}

function documentCard(d) {
  const ext = (d.name ?? "").split(".").pop()?.slice(0, 4).toUpperCase() || "FILE";
  return el(
    "a",
    { class: "card document", href: `/api/files/${d.fileId}`, download: d.name ?? "file" },
    el("span", { class: "doc-icon", text: ext }),
    el(
      "span",
      { class: "doc-text" },
      el("span", { class: "doc-name", text: d.name ?? s("document") }),
      el("span", { class: "doc-size", text: formatSize(d.size) }),
    ),
  );
}

function inlineKeyboard(m, handlers) {
  const box = el("div", { class: "inline" });
  for (const row of m.inline) {
    const line = el("div", { class: "inline-row" });
    for (const b of row) {
      const button = el("button", { type: "button", class: `inline-button${b.url ? " url" : ""}`, text: b.text });
      button.addEventListener("click", () => handlers.press(m.id, b, button));
      line.append(button);
    }
    box.append(line);
  }
  return box;
}
