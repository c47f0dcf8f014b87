// The whole application flow as a script of steps, in either language, for simulated citizens: each step is an
// action and a test on the bot's reply that shows it has been handled (the next question has arrived).
import { inlineButtons, type ScriptedUser, type StoredMessage } from "../emulator/index.js";
import { L } from "./flow.js";
import { makeIin } from "./people.js";

export type Lang = "ru" | "kk";

export const STEP_NAMES = [
  "start",
  "language",
  "apply",
  "consent",
  "who",
  "category",
  "iin",
  "region",
  "clinic",
  "ground",
  "residence",
  "confirm",
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type Action =
  | { kind: "command"; text: string }
  | { kind: "text"; text: string }
  | { kind: "press"; label: string }
  | { kind: "pickClinic" };

export interface Step {
  name: StepName;
  action: Action;
  ready(m: StoredMessage): boolean;
}

const labels = (m: StoredMessage) => inlineButtons(m).map((b) => b.text);
const hasButton = (label: string) => (m: StoredMessage) => labels(m).includes(label);
const hasText = (re: RegExp) => (m: StoredMessage) => re.test(m.text ?? m.caption ?? "");
/** A text's first line as the chat shows it (no markup), escaped for a RegExp. */
const firstLine = (text: string) =>
  (text.replace(/<[^>]+>/g, "").split("\n")[0] ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A distinct valid IIN per simulated person: birth dates spread over 1960–1998, serial from the index. */
export function personIin(i: number): string {
  const day = new Date(Date.UTC(1960, 0, 1) + (i % 14_000) * 86_400_000);
  const yymmdd = day.toISOString().slice(2, 10).replaceAll("-", "");
  return makeIin(yymmdd, 3 + (i % 2), 1 + Math.floor(i / 14_000) * 60);
}

/** The steps of one citizen's application: for self, registered address, personal choice (inside the campaign). */
export function applicationSteps(lang: Lang, iin: string): Step[] {
  const t = (key: string) => L(lang, key);
  const language = lang === "ru" ? "Русский" : "Қазақша";
  const city = lang === "ru" ? "Алматы" : "Алматы қаласы";
  return [
    { name: "start", action: { kind: "command", text: "/start" }, ready: hasButton(language) },
    { name: "language", action: { kind: "press", label: language }, ready: hasText(/Емхана/) },
    { name: "apply", action: { kind: "command", text: "/apply" }, ready: hasButton(t("privacy.consent.agree")) },
    {
      name: "consent",
      action: { kind: "press", label: t("privacy.consent.agree") },
      ready: hasButton(t("apply.who.self")),
    },
    {
      name: "who",
      action: { kind: "press", label: t("apply.who.self") },
      ready: hasButton(t("apply.category.options.citizen")),
    },
    {
      name: "category",
      action: { kind: "press", label: t("apply.category.options.citizen") },
      ready: hasText(new RegExp(firstLine(t("apply.iin.q_self")))),
    },
    { name: "iin", action: { kind: "text", text: iin }, ready: hasButton(city) },
    { name: "region", action: { kind: "press", label: city }, ready: hasButton(t("apply.clinic.nearest_button")) },
    { name: "clinic", action: { kind: "pickClinic" }, ready: hasButton(t("rules.grounds.free_choice.title")) },
    {
      name: "ground",
      action: { kind: "press", label: t("rules.grounds.free_choice.title") },
      ready: hasButton(t("apply.residence.registered")),
    },
    {
      name: "residence",
      action: { kind: "press", label: t("apply.residence.registered") },
      ready: hasButton(t("apply.summary.confirm")),
    },
    { name: "confirm", action: { kind: "press", label: t("apply.summary.confirm") }, ready: hasText(/A-\d{4}-\d{6}/) },
  ];
}

/** Performs a step's action as the user; `last` is the message the previous step ended on (its buttons are pressed). */
export function act(u: ScriptedUser, step: Step, last: StoredMessage | undefined, lang: Lang, pick: number): void {
  const on = last ? { message: last } : {};
  const a = step.action;
  if (a.kind === "command") u.command(a.text);
  else if (a.kind === "text") u.send(a.text);
  else if (a.kind === "press") u.press(a.label, on);
  else {
    // Spread people over the clinics that take them, as a city would.
    const nav = new Set(
      ["common.back", "common.cancel", "apply.place.more", "apply.place.prev", "apply.clinic.nearest_button"].map((k) =>
        L(lang, k),
      ),
    );
    const open = (last ? labels(last) : []).filter((b) => !b.startsWith("⛔") && !nav.has(b));
    const name = open[pick % Math.max(1, open.length)];
    if (!name) throw new Error(`no clinic to pick in: ${last ? labels(last).join(" | ") : "(no message)"}`);
    u.press(name, on);
  }
}
