import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { DOCUMENTS, GROUNDS, type Policy } from "../../../../rules/index.js";
import { callbackCodec } from "../../../callback-data.js";
import type { T } from "../../../i18n.js";
import { listLabel } from "./describe.js";
import { DOCUMENT_LISTS, type DocumentList } from "./edit.js";

// The buttons of /settings policy. What a button proposes is carried in its data (a field and value, or a set of
// grounds or documents as a bit mask), so nothing is kept between presses; the role is checked at each press.

export const POLICY_ACTIONS = ["v", "f", "set", "g", "gd", "dl", "d", "dd", "ok", "no"] as const;

/** pol:<action>:<year>:<argument> */
export const policyCb = callbackCodec("pol", [
  z.enum(POLICY_ACTIONS),
  z
    .string()
    .regex(/^\d{4}$/)
    .transform(Number),
  z.string().regex(/^[\w.=+-]{0,40}$/),
]);

/** The fields behind the view's buttons; counts and proof are switched at once (their change is shown to confirm). */
export const BUTTON_FIELDS = [
  "status",
  "sources",
  "campaign",
  "effective",
  "quota",
  "counts",
  "grounds",
  "documents",
  "proof",
  "term",
] as const;
export type ButtonField = (typeof BUTTON_FIELDS)[number];

export function viewKeyboard(t: T, year: number, otherYear: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  BUTTON_FIELDS.forEach((f, i) => {
    kb.text(t(`policy.admin.buttons.${f}`), policyCb.data("f", year, f));
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(t("policy.admin.buttons.year", { year: otherYear }), policyCb.data("v", otherYear, ""));
}

/** A set of codes as a bit mask over their list (base 36): short enough for callback data. */
export function toMask(all: readonly string[], chosen: readonly string[]): string {
  return all.reduce((m, c, i) => (chosen.includes(c) ? m | (1 << i) : m), 0).toString(36);
}

export function fromMask<C extends string>(all: readonly C[], mask: string): C[] | null {
  if (!/^[0-9a-z]{1,4}$/.test(mask)) return null;
  const n = parseInt(mask, 36);
  if (n >= 1 << all.length) return null;
  return all.filter((_, i) => (n & (1 << i)) !== 0);
}

/** R8: a button per ground, ticked when the set holds it; "done" proposes the set. */
export function groundsKeyboard(t: T, year: number, chosen: readonly string[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const g of GROUNDS) {
    const next = chosen.includes(g) ? chosen.filter((c) => c !== g) : [...chosen, g];
    kb.text(
      `${chosen.includes(g) ? "✅" : "▫️"} ${t(`rules.grounds.${g}.title`)}`,
      policyCb.data("g", year, toMask(GROUNDS, next)),
    ).row();
  }
  return kb.text(t("policy.admin.buttons.done"), policyCb.data("gd", year, toMask(GROUNDS, chosen)));
}

/** R11–R13: which of the policy's document lists to change. */
export function documentListsKeyboard(t: T, year: number): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const list of DOCUMENT_LISTS) kb.text(listLabel(t, list), policyCb.data("dl", year, list)).row();
  return kb;
}

/** A button per document, ticked when the list holds it; "done" proposes the list. */
export function documentsKeyboard(t: T, year: number, list: DocumentList, chosen: readonly string[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const d of DOCUMENTS) {
    const next = chosen.includes(d) ? chosen.filter((c) => c !== d) : [...chosen, d];
    kb.text(
      `${chosen.includes(d) ? "✅" : "▫️"} ${t(`rules.documents.${d}`)}`,
      policyCb.data("d", year, `${list}.${toMask(DOCUMENTS, next)}`),
    ).row();
  }
  return kb.text(t("policy.admin.buttons.done"), policyCb.data("dd", year, `${list}.${toMask(DOCUMENTS, chosen)}`));
}

/** "field=word.word": a value a button proposes (the same words the command takes). */
export function setData(year: number, field: string, ...words: (string | number)[]): string {
  return policyCb.data("set", year, `${field}=${words.join(".")}`);
}

/** The buttons under a field's question: its usual values, as the command would write them. */
export function fieldKeyboard(t: T, policy: Policy, field: ButtonField): InlineKeyboard | undefined {
  const year = policy.year;
  const kb = new InlineKeyboard();
  switch (field) {
    case "status":
      return kb
        .text(t("policy.admin.buttons.confirmed"), setData(year, "status", "confirmed"))
        .text(t("policy.admin.buttons.provisional"), setData(year, "status", "provisional"));
    case "sources":
      policy.sources.forEach((_, i) => {
        kb.text(t("policy.admin.buttons.remove_source", { n: i + 1 }), setData(year, "source", "remove", i + 1));
        if (i % 3 === 2) kb.row();
      });
      return policy.sources.length > 1 ? kb : undefined;
    case "campaign":
      return policy.campaign
        ? kb.text(t("policy.admin.buttons.no_campaign"), setData(year, "campaign", "off"))
        : undefined;
    case "effective":
      return kb.text(t("policy.admin.buttons.outside_decision"), setData(year, "effective", "outside", "decision"));
    case "quota":
      for (let n = 0; n <= 6; n++) kb.text(String(n), setData(year, "quota", n));
      return kb;
    case "term":
      for (let n = 1; n <= 5; n++) kb.text(String(n), setData(year, "term", n));
      return kb;
    case "grounds":
      return groundsKeyboard(t, year, policy.groundsOutsideCampaign);
    case "documents":
      return documentListsKeyboard(t, year);
    default:
      return undefined;
  }
}
