import { shippedClinicFacts, type RealFact } from "../../data/datasets/load-directory.js";
import { clinicFacts, type Clinic, type ClinicView } from "../../data/repositories/clinics.js";
import {
  clinicReasons,
  decisionDueBy,
  effectiveYear,
  type ClinicCheckContext,
  type ReasonCode,
} from "../../rules/index.js";
import type { BaseContext } from "../context.js";

/**
 * R5: a private practitioner (from 2027, Order № 109) is named as such wherever a clinic is listed: the name and
 * a short mark.
 */
export function clinicName(ctx: BaseContext, c: { name: { ru: string; kk: string }; provider?: string }): string {
  const name = c.name[ctx.locale];
  return c.provider === "private_practitioner" ? `${name} · ${ctx.t("clinics.private_mark")}` : name;
}

/**
 * A clinic's card: name, town and address, phone and hours when known, free places (R6); /clinics and the
 * application both show it. Values go in as variables: i18next escapes them for HTML.
 */
export function clinicCard(ctx: BaseContext, c: ClinicView): string {
  const hours = c.hours[ctx.locale];
  return [
    ctx.t("apply.clinic.card_head", {
      name: c.name[ctx.locale],
      settlement: c.settlementName[ctx.locale],
      address: c.address[ctx.locale],
    }),
    c.provider === "private_practitioner" ? ctx.t("clinics.private_practitioner") : "",
    c.phone ? ctx.t("apply.clinic.card_phone", { phone: c.phone }) : "",
    hours ? ctx.t("apply.clinic.card_hours", { hours }) : "",
    ctx.t("apply.clinic.card_free", { free: c.freeCapacity }),
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * R5, R7: the clinic checks an application made now would face, without a ground or an address yet — the engine's
 * own pre-check: inside the campaign the Fund contract must cover the year the attachment takes effect (next year),
 * outside it the year of the decision. The settlement check waits for the address (the application asks it).
 */
export async function clinicCheckNow(ctx: BaseContext): Promise<ClinicCheckContext> {
  const now = ctx.deps.clock.now();
  const policy = await ctx.deps.rules.policyFor(now);
  const decisionDue = decisionDueBy(now, policy, await ctx.deps.rules.calendar());
  return { policy, year: effectiveYear(now, policy, { decisionDue }) };
}

/** R3–R6: why this clinic cannot be chosen now (empty = it can); the list's ⛔ and the card use the same answer. */
export function clinicProblems(clinic: Clinic, check: ClinicCheckContext): ReasonCode[] {
  return clinicReasons(clinicFacts(clinic), check);
}

/** What a card may show of a clinic whose figures are illustrative. */
const ILLUSTRATIVE: readonly string[] = ["capacity", "attached", "contract", "licence", "location"];

/**
 * Honesty about the data: a clinic from the registry needs no note; an invented sample says so; a real clinic from
 * the shipped dataset says which facts are real (name, address, district…) and which figures are illustrative.
 */
export function figuresNote(ctx: BaseContext, clinic: Clinic): string | null {
  if (clinic.figures === "registry") return null;
  const shipped = shippedClinicFacts().get(clinic.id);
  if (!shipped || shipped.sample) return ctx.t("clinics.sample");
  const real: readonly RealFact[] = shipped.realFacts;
  const facts = (list: readonly string[]) => list.map((f) => ctx.t(`clinics.facts.${f}`)).join(", ");
  return [
    ctx.t("clinics.figures_real", { facts: facts(real) }),
    ctx.t("clinics.figures_illustrative", {
      facts: facts(ILLUSTRATIVE.filter((f) => !(real as readonly string[]).includes(f))),
    }),
  ].join(" ");
}

/** The /clinics card: address, phone, places, every reason it is unavailable now, and the note on the figures. */
export function clinicCardText(ctx: BaseContext, clinic: Clinic, problems: readonly ReasonCode[]): string {
  const parts = [clinicCard(ctx, clinic)];
  if (problems.length) parts.push(problems.map((r) => `⛔ ${ctx.t(`rules.reasons.${r}`)}`).join("\n"));
  const note = figuresNote(ctx, clinic);
  if (note) parts.push(`<i>${note}</i>`);
  return parts.join("\n\n");
}
