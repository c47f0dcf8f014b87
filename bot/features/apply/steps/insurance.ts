import { InlineKeyboard } from "grammy";
import { z } from "zod";
import { almatyDate, IsoDateSchema, type IsoDate } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { pickData, withNav } from "../ask.js";
import { defineStep } from "../step.js";
import { matchTyped, type TypedOption } from "../typed.js";

export const INSURANCE_KINDS = ["voluntary", "compulsory"] as const;
export type InsuranceKind = (typeof INSURANCE_KINDS)[number];
const KIND = z.tuple([z.enum(INSURANCE_KINDS)]);

// R2 (locales/glossary): добровольное / вменённое → ерікті / есептелген медициналық сақтандыру; the obvious typed words.
const KIND_OPTIONS: TypedOption[] = [
  {
    parts: ["voluntary"],
    label: "apply.insurance.kinds.voluntary",
    words: /^(дмс|добровольн\S*( \S+)*|ерікті( \S+)*|ерiктi|voluntary)$/,
  },
  {
    parts: ["compulsory"],
    label: "apply.insurance.kinds.compulsory",
    words: /^(вмен[её]нн\S*( \S+)*|обязательн\S*( \S+)*|есептелген( \S+)*|міндетті( \S+)*|compulsory|imputed)$/,
  },
];

/** A typed last day: DD.MM.YYYY (also with / or -, a two-digit year, or YYYY-MM-DD), anywhere in the text. */
export type ContractDate =
  | { ok: true; date: IsoDate }
  | { ok: false; error: "format" | "no_such_day" }
  | { ok: false; error: "expired"; date: IsoDate };

const DMY = /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)/;
const YMD = /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/;

/** R2: the contract's last day as typed; a contract valid through `today` (Almaty) is still valid. */
export function parseContractDate(text: string, today: IsoDate): ContractDate {
  const ymd = YMD.exec(text);
  const dmy = ymd ? null : DMY.exec(text);
  const parts = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : null;
  if (!parts) return { ok: false, error: "format" };
  const [y = "", m = "", d = ""] = parts;
  const iso = `${y.length === 2 ? `20${y}` : y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
  if (!IsoDateSchema.safeParse(iso).success) return { ok: false, error: "no_such_day" };
  if (iso < today) return { ok: false, error: "expired", date: iso };
  return { ok: true, date: iso };
}

/** Why the typed day cannot be taken, with the question again (already localized); null when it can. */
function dateProblem(ctx: BaseContext, text: string, today: IsoDate): string | null {
  const parsed = parseContractDate(text, today);
  if (parsed.ok) return null;
  // An ended contract's day in words; an impossible one as it was typed.
  const typed = parsed.error === "expired" ? parsed.date : (DMY.exec(text)?.[0] ?? YMD.exec(text)?.[0] ?? "");
  return `${ctx.t(`apply.insurance.errors.${parsed.error}`, { date: typed, today })}\n\n${ctx.t("apply.insurance.until_q")}`;
}

/**
 * R2: EAEU labour migrants, their families and temporarily staying foreigners attach on a voluntary (ДМС) or
 * imputed (вменённое) contract, and only while it runs: its kind, then its last day (not before today). Back on the
 * date goes to the kind.
 */
export const insuranceStep = defineStep({
  view: z.object({ kind: z.enum(INSURANCE_KINDS).optional() }),
  async question({ ctx, view }) {
    if (!view.kind) {
      const kb = new InlineKeyboard();
      for (const k of INSURANCE_KINDS) kb.text(ctx.t(`apply.insurance.kinds.${k}`), pickData("insurance", k)).row();
      return {
        step: "insurance",
        text: ctx.t("apply.insurance.kind_q"),
        keyboard: withNav(kb, ctx),
        pick: KIND,
        parseText: (t) => matchTyped(ctx, t, KIND_OPTIONS),
        hint: "apply.hints.use_buttons",
      };
    }
    const today = almatyDate(ctx.deps.clock.now());
    return {
      step: "insurance",
      text: ctx.t("apply.insurance.until_q"),
      keyboard: withNav(new InlineKeyboard(), ctx),
      accept: { text: true },
      // A wrong date is explained with the question again; only a valid one reaches answer().
      textError: (t) => dateProblem(ctx, t, today),
      hint: "apply.hints.date_text",
    };
  },
  async answer({ ctx, view }, reply) {
    const kind = view.kind;
    if (!kind) {
      if (reply.kind === "nav") return { kind: reply.to };
      return { kind: "again", view: { kind: reply.kind === "pick" ? (reply.parts[0] as InsuranceKind) : undefined } };
    }
    if (reply.kind === "nav") return reply.to === "back" ? { kind: "again", view: {} } : { kind: "cancel" };
    const parsed = reply.kind === "text" ? parseContractDate(reply.text, almatyDate(ctx.deps.clock.now())) : null;
    if (!parsed?.ok) return { kind: "again", view }; // textError let nothing else through
    await ctx.reply(
      ctx.t("apply.insurance.accepted", { kind: ctx.t(`apply.insurance.kinds.${kind}`), date: parsed.date }),
      { parse_mode: "HTML" },
    );
    return { kind: "next", patch: { insurance: { kind, validUntil: parsed.date } } };
  },
});

/** The summary's and the cards' line: "voluntary (ДМС), until 31.12.2027". */
export function insuranceText(ctx: Pick<BaseContext, "t">, insurance: { kind: string; validUntil: string }): string {
  return ctx.t("apply.insurance.value", {
    kind: ctx.t(`apply.insurance.kinds.${insurance.kind}`),
    date: insurance.validUntil,
  });
}
