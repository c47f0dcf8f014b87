// Small DOM helpers shared by the page's modules, and the API calls they make.

/** `el("div", { class: "x", text: "…" }, child…)`: text always goes in as text, never as markup. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

let toastTimer;

/** A short note over the chat, like Telegram's callback answers; alerts stay until clicked. */
export function toast(text, { alert = false, error = false } = {}) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.className = `toast${alert ? " alert" : ""}${error ? " error" : ""}`;
  box.hidden = false;
  clearTimeout(toastTimer);
  if (!alert) toastTimer = setTimeout(() => (box.hidden = true), 2500);
}

export function initToast() {
  const box = document.getElementById("toast");
  box.addEventListener("click", () => (box.hidden = true));
}

async function answer(res) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error ?? res.statusText), { code: body.code });
  return body;
}

export async function getJson(path) {
  return answer(await fetch(path, { cache: "no-store" }));
}

export async function postJson(path, body) {
  return answer(
    await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  );
}

/** The file's bytes as the body; how to send it (photo or document) and its name go in the query. */
export async function uploadFile(chatId, file, as) {
  const q = new URLSearchParams({ as, name: file.name });
  const type = file.type || "application/octet-stream";
  return answer(
    await fetch(`/api/chats/${chatId}/upload?${q}`, { method: "POST", headers: { "content-type": type }, body: file }),
  );
}

export function formatTime(unix) {
  return new Date(unix * 1000).toLocaleTimeString("ru-RU", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Asia/Almaty",
  });
}

// Month names of our own: a browser's ICU data may lack Kazakh ones.
const MONTHS = {
  ru: [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
  ],
  kk: [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
  ],
};
const ALMATY_DAY = new Intl.DateTimeFormat("en-CA", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  timeZone: "Asia/Almaty",
});

export function formatDay(unix, lang) {
  const [y, m, d] = ALMATY_DAY.format(new Date(unix * 1000))
    .split("-")
    .map(Number);
  const month = (MONTHS[lang] ?? MONTHS.ru)[m - 1];
  return lang === "kk" ? `${y} жылғы ${d} ${month}` : `${d} ${month} ${y}`;
}

export function formatSize(bytes) {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
