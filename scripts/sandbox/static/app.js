// The sandbox page: a Telegram-like private chat with the bot for each sample persona. State comes from the
// sandbox API; live changes arrive as server-sent events and are applied to every persona's chat.
import { removeMessage, renderChat, upsertMessage } from "./chat.js";
import { closePopups, initComposer, showComposer } from "./composer.js";
import { safeUrl } from "./format.js";
import { roleName, s, setLanguage } from "./strings.js";
import { el, formatTime, getJson, initToast, postJson, toast, uploadFile } from "./ui.js";

const $ = (id) => document.getElementById(id);
/** persona id → { messages: Map(id → view), commands, unread, action } */
const chats = new Map();
let personas = [];
let current = null;
let actionTimer;

const handlers = { press, command: (text) => send(text) };

async function boot() {
  initToast();
  const state = await getJson("/api/state");
  personas = state.personas;
  for (const p of personas) chats.set(p.id, { messages: new Map(), commands: [], unread: 0, action: null });
  $("bot-name").textContent = state.bot.name;
  initComposer({ send, tap, location: shareLocation, upload, openLink }, state.presets, state.bot.username);
  document.addEventListener("keydown", (e) => e.key === "Escape" && closePopups());
  $("messages").addEventListener("click", closePopups);
  current = personas.find((p) => `#${p.key}` === window.location.hash) ?? personas[0];
  connect();
}

/** One event stream; on every (re)connection the chats are loaded again, so nothing missed while offline. */
function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    $("offline").hidden = true;
    void reloadAll();
  });
  source.addEventListener("error", () => {
    $("offline").textContent = s("offline");
    $("offline").hidden = false;
  });
  source.addEventListener("message", (e) => apply(JSON.parse(e.data)));
}

async function reloadAll() {
  await Promise.all(
    personas.map(async (p) => {
      const data = await getJson(`/api/chats/${p.id}`);
      const chat = chats.get(p.id);
      chat.messages = new Map(data.messages.map((m) => [m.id, m]));
      chat.commands = data.commands;
    }),
  );
  select(current);
}

function apply(e) {
  if (e.type === "commands") return void reloadCommands();
  const chat = chats.get(e.chatId);
  if (!chat) return;
  const shown = current?.id === e.chatId;
  if (e.type === "message") {
    const isNew = !chat.messages.has(e.message.id);
    chat.messages.set(e.message.id, e.message);
    if (e.message.fromBot) chat.action = null;
    if (shown) upsertMessage($("messages"), e.message, handlers);
    else if (isNew && e.message.fromBot) chat.unread += 1;
  } else if (e.type === "delete") {
    chat.messages.delete(e.id);
    if (shown) removeMessage($("messages"), e.id);
  } else if (e.type === "action") {
    chat.action = e.action;
    clearTimeout(actionTimer);
    // Telegram shows a chat action for five seconds or until the next message.
    actionTimer = setTimeout(() => {
      chat.action = null;
      drawHeader();
    }, 5000);
  }
  if (shown) {
    $("empty").hidden = chat.messages.size > 0;
    showComposer(sorted(chat), chat.commands);
    drawHeader();
  }
  drawPersonas();
}

async function reloadCommands() {
  for (const p of personas) chats.get(p.id).commands = (await getJson(`/api/chats/${p.id}`)).commands;
  if (current) showComposer(sorted(chats.get(current.id)), chats.get(current.id).commands);
}

function sorted(chat) {
  return [...chat.messages.values()].sort((a, b) => a.id - b.id);
}

function select(p) {
  current = p;
  setLanguage(p.languageCode);
  history.replaceState(null, "", `#${p.key}`);
  const chat = chats.get(p.id);
  chat.unread = 0;
  $("app-title").textContent = s("title");
  $("app-subtitle").textContent = s("subtitle");
  $("personas-hint").textContent = s("personas_hint");
  $("empty").textContent = s("empty");
  closePopups();
  const messages = sorted(chat);
  $("empty").hidden = messages.length > 0;
  renderChat($("messages"), messages, handlers);
  showComposer(messages, chat.commands);
  drawHeader();
  drawPersonas();
}

function drawHeader() {
  if (!current) return;
  const action = chats.get(current.id).action;
  const status =
    action === "typing"
      ? s("typing")
      : action === "upload_photo"
        ? s("upload_photo")
        : action?.startsWith("upload")
          ? s("upload_document")
          : s("bot");
  $("bot-status").textContent = status;
  $("bot-status").classList.toggle("active", Boolean(action));
  $("playing-as").textContent = `${s("you_are")} ${fullName(current)} · ${roleName(current.role)}`;
}

function fullName(p) {
  return [p.firstName, p.lastName].filter(Boolean).join(" ");
}

function preview(m) {
  if (!m) return "";
  const kind = m.photo
    ? "🖼 "
    : m.document
      ? "📄 "
      : m.location
        ? "📍 "
        : m.contact
          ? "👤 "
          : m.sticker
            ? `${m.sticker} `
            : "";
  return `${m.fromBot ? "" : "→ "}${kind}${(m.text ?? m.caption ?? "").replace(/\s+/g, " ").slice(0, 80)}`;
}

function drawPersonas() {
  const items = personas.map((p) => {
    const chat = chats.get(p.id);
    const last = sorted(chat).at(-1);
    return el(
      "button",
      {
        type: "button",
        class: `persona${p.id === current?.id ? " selected" : ""}`,
        dataset: { persona: p.key },
        onclick: () => select(p),
      },
      el("span", { class: `avatar role-${p.role}`, text: p.firstName.slice(0, 1) }),
      el(
        "span",
        { class: "persona-text" },
        el(
          "span",
          { class: "persona-top" },
          el("span", { class: "persona-name", text: fullName(p) }),
          el("span", { class: "persona-time", text: last ? formatTime(last.date) : "" }),
        ),
        el("span", { class: "persona-role", text: `${roleName(p.role)} · ${p.languageCode}` }),
        el(
          "span",
          { class: "persona-bottom" },
          el("span", { class: "persona-preview", text: preview(last) }),
          chat.unread ? el("span", { class: "badge", text: String(chat.unread) }) : null,
        ),
      ),
    );
  });
  $("personas").replaceChildren(...items);
}

// ---------- acting as the persona ----------

async function act(fn) {
  try {
    return await fn();
  } catch (e) {
    toast(`${s("failed")}: ${e.message}`, { error: true });
    return undefined;
  }
}

function send(text) {
  return act(() => postJson(`/api/chats/${current.id}/send`, { text }));
}

/** Sends /start with the link's payload, as Telegram does; the reason (a word) when the link is refused, else null. */
async function openLink(link) {
  try {
    await postJson(`/api/chats/${current.id}/open-link`, { link });
    return null;
  } catch (e) {
    if (e.code) return e.code;
    toast(`${s("failed")}: ${e.message}`, { error: true });
    return null;
  }
}

function tap(text) {
  return act(() => postJson(`/api/chats/${current.id}/tap`, { text }));
}

function shareLocation(latitude, longitude) {
  return act(() => postJson(`/api/chats/${current.id}/location`, { latitude, longitude }));
}

function upload(file, as) {
  return act(() => uploadFile(current.id, file, as));
}

async function press(messageId, button, node) {
  if (button.url) {
    const href = safeUrl(button.url);
    if (href) window.open(href, "_blank", "noopener,noreferrer");
    return;
  }
  if (button.copy !== undefined) {
    await navigator.clipboard?.writeText(button.copy).catch(() => undefined);
    return toast(s("copied"));
  }
  if (button.data === undefined) return toast(s("unsupported"));
  node.classList.add("busy");
  node.disabled = true;
  const answer = await act(() => postJson(`/api/chats/${current.id}/press`, { message: messageId, data: button.data }));
  node.classList.remove("busy");
  node.disabled = false;
  if (!answer) return;
  if (!answer.answered) toast(s("no_answer"), { error: true });
  else if (answer.text) toast(answer.text, { alert: answer.alert });
}

boot().catch((e) => {
  document.body.replaceChildren(el("p", { class: "fatal", text: `Sandbox: ${e.message}` }));
});
