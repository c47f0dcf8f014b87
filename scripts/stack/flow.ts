import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ScriptedUser, StoredMessage } from "../emulator/index.js";

type Lang = "ru" | "kk";
const cache = new Map<string, unknown>();

/** A locale string by key ("apply.who.child"), so tests follow the texts instead of copying them. */
export function L(lang: Lang, key: string): string {
  const [file, ...path] = key.split(".");
  const cacheKey = `${lang}/${file}`;
  if (!cache.has(cacheKey)) {
    cache.set(
      cacheKey,
      JSON.parse(readFileSync(resolve(import.meta.dirname, `../../locales/${lang}/${file}.json`), "utf8")),
    );
  }
  let node = cache.get(cacheKey);
  for (const p of path) node = (node as Record<string, unknown>)[p];
  if (typeof node !== "string") throw new Error(`no string at ${lang}:${key}`);
  return node;
}

/** The part of a locale string before its first {{variable}} or tag: what a bot message will contain. */
export function head(lang: Lang, key: string): string {
  return (
    L(lang, key)
      .split(/\{\{|<|\n/)
      .find((s) => s.trim().length > 0)
      ?.trim() ?? ""
  );
}

export async function chooseLanguage(u: ScriptedUser, lang: Lang): Promise<void> {
  u.command("/start");
  await u.nextMessage();
  await u.press(lang === "ru" ? "Русский" : "Қазақша").answer();
  await u.waitFor((m) => m.text?.includes("Емхана") ?? false);
  u.skip();
}

/** How far a test has read the chat: the messages before `index`; of the last, `read` characters of `text`. */
const marks = new WeakMap<ScriptedUser, { index: number; read: number; text: string }>();
const textOf = (m: StoredMessage) => m.text ?? m.caption ?? "";

/** The next bot message (after those already matched) containing the fragment. */
export async function until(u: ScriptedUser, fragment: string): Promise<StoredMessage> {
  return untilMatch(
    u,
    (m) => textOf(m).includes(fragment),
    (text) => text.indexOf(fragment) + fragment.length,
  );
}

/**
 * The next bot message the predicate accepts, after those already matched. The bot edits a question into its answer
 * and the next question, so the last message matched counts again once edited: what follows the part already read
 * (`readTo`: how much of the text a match read, the whole by default), the predicate seeing that and the buttons.
 */
export async function untilMatch(
  u: ScriptedUser,
  accepts: (m: StoredMessage) => boolean,
  readTo: (text: string) => number = (text) => text.length,
): Promise<StoredMessage> {
  const mark = marks.get(u) ?? { index: 0, read: 0, text: "" };
  let start = 0;
  const found = await u.waitFor((m) => {
    const at = u.messages().indexOf(m);
    start = 0;
    if (at >= mark.index) return accepts(m);
    const text = textOf(m);
    if (at !== mark.index - 1 || text === mark.text || text.length <= mark.read) return false;
    start = mark.read;
    return accepts({ ...m, text: text.slice(start), caption: undefined });
  });
  const text = textOf(found);
  marks.set(u, { index: u.messages().indexOf(found) + 1, read: start + readTo(text.slice(start)), text });
  return found;
}

/** The next bot message containing any of the fragments; returns which one matched. */
export async function untilAny(u: ScriptedUser, fragments: string[]): Promise<string> {
  let which = "";
  await untilMatch(u, (m) => {
    which = fragments.find((f) => textOf(m).includes(f)) ?? "";
    return which !== "";
  });
  return which;
}

/** Waits until a live inline button with this label is shown (answered questions lose theirs), then presses it. */
export async function tap(u: ScriptedUser, label: string): Promise<void> {
  await u.waitFor((m) => buttons(m).includes(label));
  await u.press(label).answer();
}

/**
 * /apply as a person types it: the privacy notice, when the bot shows it (a first application, or a notice changed
 * since), is agreed to. Waits for the first answer without consuming it, so `until` still finds what follows.
 */
export async function apply(u: ScriptedUser, lang: Lang): Promise<void> {
  await agreeing(u, lang, () => u.command("/apply"));
}

/**
 * Does what starts an application (/apply, "Apply here" on a clinic's card, a link that applies) and agrees to the
 * privacy notice when the bot shows it first.
 */
export async function agreeing(u: ScriptedUser, lang: Lang, act: () => unknown): Promise<void> {
  const before = u.messages().length;
  await act();
  const agree = L(lang, "privacy.consent.agree");
  const intro = (
    L(lang, "check.intro_title")
      .replace(/<[^>]+>/g, "")
      .split("{{")[0] ?? ""
  ).trim();
  const first = await u.waitFor(
    (m) =>
      u.messages().indexOf(m) >= before &&
      (buttons(m).includes(agree) ||
        (m.text ?? "").includes(intro) ||
        buttons(m).includes(L(lang, "apply.resume_continue"))),
  );
  if (buttons(first).includes(agree)) await u.press(agree, { message: first }).answer();
}

export function buttons(m: StoredMessage | undefined): string[] {
  const kb = m?.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined;
  return (kb?.inline_keyboard ?? []).flat().map((b) => b.text);
}

/** Presses the first clinic button that is not marked unavailable (⛔) nor navigation. */
export async function pressFirstAvailableClinic(u: ScriptedUser, lang: Lang): Promise<string> {
  await u.waitFor((x) => buttons(x).includes(L(lang, "apply.clinic.nearest_button")));
  const m = u
    .messages()
    .filter((x) => buttons(x).some((b) => b.startsWith("⛔") || /поликлиник|емхана|центр|орталығы|амбулатор/i.test(b)))
    .at(-1);
  const nav = new Set([
    L(lang, "common.back"),
    L(lang, "common.cancel"),
    L(lang, "apply.place.more"),
    L(lang, "apply.clinic.nearest_button"),
  ]);
  const name = buttons(m).find((b) => !b.startsWith("⛔") && !nav.has(b));
  if (!name) throw new Error(`no available clinic in: ${buttons(m).join(" | ")}`);
  await u.press(name).answer();
  return name;
}
