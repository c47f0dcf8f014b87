// Everything under the messages: the text field with the bot's command menu, attachments (photo, document,
// location), the START button of a new chat, "open by link" (a deep link, as from a clinic's poster) and the bot's
// reply keyboard.
import { language, s } from "./strings.js";
import { el } from "./ui.js";

const $ = (id) => document.getElementById(id);
let actions;
let presets = [];
let botUsername = "";
let commands = [];
let keyboard = null;
/** The reply keyboard the persona folded away (one-time keyboards fold by themselves after a tap). */
let folded = null;

/** actions: { send(text), tap(button), location(lat, lon), upload(file, as), openLink(link) → error code or null } */
export function initComposer(a, locationPresets, username) {
  actions = a;
  presets = locationPresets;
  botUsername = username;
  $("send-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    hide("command-list");
    actions.send(text);
  });
  $("text").addEventListener("input", () => {
    const v = $("text").value;
    if (/^\/\w*$/.test(v)) showCommands(v.slice(1));
    else hide("command-list");
  });
  $("menu-button").addEventListener("click", () =>
    $("command-list").hidden ? showCommands("") : hide("command-list"),
  );
  $("start-button").addEventListener("click", () => actions.send("/start"));
  $("attach-button").addEventListener("click", () => ($("attach-menu").hidden = !$("attach-menu").hidden));
  for (const as of ["photo", "document"]) {
    const input = $(`file-${as}`);
    input.addEventListener("change", () => {
      hide("attach-menu");
      for (const file of input.files) actions.upload(file, as);
      input.value = "";
    });
  }
  $("attach-location").addEventListener("click", () => {
    hide("attach-menu");
    openLocation();
  });
  $("keyboard-toggle").addEventListener("click", () => {
    folded = folded === keyboard ? null : keyboard;
    drawKeyboard();
  });
  initLocationDialog();
  initLinkDialog();
}

/** Redraws for the chat shown: a new chat has only START; otherwise the field, menu and the current keyboard. */
export function showComposer(messages, menu) {
  commands = menu;
  const fresh = messages.length === 0;
  $("start-button").textContent = s("start");
  $("start-button").hidden = !fresh;
  $("send-form").hidden = fresh;
  $("attach-button").hidden = fresh;
  $("menu-button").hidden = fresh || commands.length === 0;
  $("menu-button").textContent = s("menu");
  $("attach-photo-label").textContent = s("photo");
  $("attach-document-label").textContent = s("document");
  $("attach-location").textContent = `📍 ${s("location")}`;
  $("link-button").title = s("link_button");
  $("link-button").setAttribute("aria-label", s("link_button"));
  const next = currentKeyboard(messages);
  // Same keyboard as before (another message came): it stays as folded or open as it was.
  if (JSON.stringify(next) !== JSON.stringify(keyboard)) {
    keyboard = next;
    folded = null;
  }
  $("text").placeholder = keyboard?.placeholder ?? s("message");
  drawKeyboard();
}

export function closePopups() {
  hide("command-list");
  hide("attach-menu");
}

/** The newest bot message that shows or removes a reply keyboard decides, as in Telegram. */
function currentKeyboard(messages) {
  for (let i = messages.length - 1; i >= 0; i--) {
    const k = messages[i].fromBot ? messages[i].keyboard : undefined;
    if (k === "remove") return null;
    // The message id makes a keyboard sent again a new one (it opens again even after a one-time fold).
    if (k) return { ...k, from: messages[i].id };
  }
  return null;
}

function drawKeyboard() {
  const box = $("reply-keyboard");
  $("keyboard-toggle").hidden = !keyboard || !$("start-button").hidden;
  box.hidden = !keyboard || folded === keyboard || !$("start-button").hidden;
  box.replaceChildren();
  if (!keyboard) return;
  for (const row of keyboard.rows) {
    const line = el("div", { class: "key-row" });
    for (const b of row) {
      const icon = b.location ? "📍 " : b.contact ? "📞 " : "";
      line.append(
        el("button", {
          type: "button",
          class: "key",
          text: `${b.text.startsWith(icon.trim()) ? "" : icon}${b.text}`,
          onclick: () => pressKey(b),
        }),
      );
    }
    box.append(line);
  }
}

function pressKey(b) {
  if (keyboard?.oneTime) {
    folded = keyboard;
    drawKeyboard();
  }
  // A location button lets the persona choose where they are; Telegram would ask the phone.
  if (b.location) return openLocation();
  actions.tap(b.text);
}

function showCommands(prefix) {
  const list = $("command-list");
  const shown = commands.filter((c) => c.command.startsWith(prefix.toLowerCase()));
  list.replaceChildren(
    ...shown.map((c) =>
      el(
        "button",
        {
          type: "button",
          class: "command-item",
          onclick: () => (hide("command-list"), ($("text").value = ""), actions.send(`/${c.command}`)),
        },
        el("span", { class: "command-name", text: `/${c.command}` }),
        el("span", { class: "command-description", text: c.description }),
      ),
    ),
  );
  list.hidden = shown.length === 0;
}

function hide(id) {
  $(id).hidden = true;
}

// ---------- location ----------

function initLocationDialog() {
  $("loc-city").addEventListener("change", drawPoints);
  $("loc-cancel").addEventListener("click", () => $("location-dialog").close());
  $("loc-send").addEventListener("click", () => {
    const lat = Number($("loc-lat").value.replace(",", "."));
    const lon = Number($("loc-lon").value.replace(",", "."));
    if (!$("loc-lat").value || !$("loc-lon").value || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
      $("loc-lat").setCustomValidity("?");
      $("loc-lat").reportValidity();
      return;
    }
    $("location-dialog").close();
    actions.location(lat, lon);
  });
  $("loc-lat").addEventListener("input", () => $("loc-lat").setCustomValidity(""));
}

function openLocation() {
  const lang = language();
  const cities = [...new Map(presets.map((p) => [p.city, p.cityName[lang]])).entries()];
  const select = $("loc-city");
  const keep = select.value;
  select.replaceChildren(...cities.map(([id, name]) => el("option", { value: id, text: name })));
  if (cities.some(([id]) => id === keep)) select.value = keep;
  $("loc-title").textContent = s("location_title");
  $("loc-pick").textContent = s("location_pick");
  $("loc-typed").textContent = s("location_typed");
  $("loc-lat").placeholder = s("latitude");
  $("loc-lon").placeholder = s("longitude");
  $("loc-send").textContent = s("send");
  $("loc-cancel").textContent = s("cancel");
  drawPoints();
  $("location-dialog").showModal();
}

function drawPoints() {
  const lang = language();
  const points = presets.filter((p) => p.city === $("loc-city").value);
  $("loc-points").replaceChildren(
    ...points.map((p) =>
      el(
        "button",
        {
          type: "button",
          class: "point",
          onclick: () => {
            $("location-dialog").close();
            actions.location(p.latitude, p.longitude);
          },
        },
        el("span", { text: `📍 ${p.name[lang]}` }),
        el("span", { class: "coords", text: `${p.latitude.toFixed(4)}, ${p.longitude.toFixed(4)}` }),
      ),
    ),
  );
}

// ---------- open by link ----------

function initLinkDialog() {
  $("link-button").addEventListener("click", openLinkDialog);
  $("link-cancel").addEventListener("click", () => $("link-dialog").close());
  $("link-input").addEventListener("input", () => ($("link-error").hidden = true));
  $("link-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const link = $("link-input").value.trim();
    if (!link) return $("link-input").focus();
    const problem = await actions.openLink(link);
    if (problem === null) {
      $("link-dialog").close();
      return;
    }
    $("link-error").textContent = s(`link_${problem}`) ?? problem;
    $("link-error").hidden = false;
  });
}

function openLinkDialog() {
  closePopups();
  const example = `https://t.me/${botUsername}?start=c_almaty-gp-1`;
  $("link-title").textContent = s("link_title");
  $("link-hint").textContent = s("link_hint").replace("{example}", example);
  $("link-input").placeholder = example;
  $("link-input").value = "";
  $("link-open").textContent = s("link_open");
  $("link-cancel").textContent = s("cancel");
  $("link-error").hidden = true;
  $("link-dialog").showModal();
}
