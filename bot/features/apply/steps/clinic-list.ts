import type { Db, Store } from "../../../../data/db.js";
import {
  clinicsOfSettlement,
  nearestClinics,
  searchClinics,
  type ClinicView,
} from "../../../../data/repositories/clinics.js";
import { readShared } from "../../../../data/shared-reads.js";
import { freePlaces, type ReasonCode } from "../../../../rules/index.js";
import type { BaseContext } from "../../../context.js";
import { TEXT_LIMIT } from "../../../format.js";
import type { Draft } from "../../../application/draft.js";
import { clinicProblem, type ClinicCheck } from "../../../application/eligibility.js";
import { clinicName } from "../../../ui/clinic-card.js";

export const PAGE = 6;
const MAX_FIELD = 100; // a long registry name or address must not crowd out the other rows

export type Mode =
  { kind: "list"; page: number } | { kind: "nearest"; lat: number; lon: number } | { kind: "search"; query: string };

/** One clinic as the list shows it: plain JSON (it comes out of conversation.external). */
export interface Row {
  id: string;
  name: { ru: string; kk: string };
  address: { ru: string; kk: string };
  problem: ReasonCode | null;
  free: number;
  /** R5: a private practitioner is shown as such. */
  provider?: string;
  distanceMeters?: number;
}

export function toRow(c: ClinicView, check: ClinicCheck, distanceMeters?: number): Row {
  return {
    id: c.id,
    name: c.name,
    address: c.address,
    problem: clinicProblem(c, check),
    free: freePlaces(c),
    provider: c.provider,
    distanceMeters,
  };
}

/** The clinics of the chosen settlement for this mode (R4: never another settlement's). */
export async function rows(
  store: Store,
  draft: Draft,
  mode: Mode,
  check: ClinicCheck,
): Promise<{ rows: Row[]; total: number }> {
  const { db } = store;
  const settlementId = draft.settlementId ?? "";
  if (mode.kind === "nearest") {
    const near = await nearestClinics(db, { lat: mode.lat, lon: mode.lon }, PAGE, { settlementId });
    return { rows: near.map((n) => toRow(n, check, n.distanceMeters)), total: near.length };
  }
  if (mode.kind === "search") {
    const hits = await searchClinics(db, mode.query, { settlementId, limit: PAGE });
    return { rows: hits.map((h) => toRow(h, check)), total: hits.length };
  }
  // Every applicant of a settlement sees the same pages: the bot keeps them until the directory changes.
  const { items, total } = await readShared(store, "directory", `clinics:${settlementId}:${mode.page}`, () =>
    clinicsOfSettlement(db, settlementId, { page: mode.page, pageSize: PAGE }),
  );
  return { rows: items.map((i) => toRow(i, check)), total };
}

/** R15: a few nearest clinics of the same settlement that can take the person. */
export async function suggestions(db: Db, draft: Draft, from: ClinicView, check: ClinicCheck): Promise<Row[]> {
  const near = await nearestClinics(db, { lat: from.lat, lon: from.lon }, 12, { settlementId: draft.settlementId });
  return near
    .filter((n) => n.id !== from.id && clinicProblem(n, check) === null)
    .slice(0, 3)
    .map((n) => toRow(n, check, n.distanceMeters));
}

function km(meters: number): string {
  return (meters / 1000).toFixed(1);
}

function clip(s: string): string {
  return s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD - 1)}…` : s;
}

/** The button: the name, ⛔ when it cannot take the person, the distance when known. */
export function label(ctx: BaseContext, r: Row): string {
  const distance = r.distanceMeters !== undefined ? ` · ${km(r.distanceMeters)} км` : "";
  return `${r.problem ? "⛔ " : ""}${clinicName(ctx, r)}${distance}`;
}

// What clinicReasons (R3–R6) can say about a clinic, each in a few words.
const SHORT_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  "clinic_inactive",
  "clinic_no_licence",
  "clinic_no_contract",
  "clinic_full",
  "other_settlement",
  "already_attached_here",
]);

/** R5, R6: why a clinic cannot take the person, in a few words (the full reason comes when it is tapped). */
export function shortReason(ctx: BaseContext, problem: ReasonCode, year: number): string {
  return SHORT_REASONS.has(problem)
    ? ctx.t(`apply.clinic.why.${problem}`, { year })
    : ctx.t(`rules.reasons.${problem}`);
}

/**
 * One line per clinic under the question: free places or the reason it is unavailable, and for "nearest to me"
 * the address and the distance too. Values are interpolated, so i18next escapes them once for HTML.
 */
export function rowLines(ctx: BaseContext, list: Row[], year: number, offset = 0): string[] {
  return list.map((r, i) => {
    const vars = {
      n: offset + i + 1,
      name: clip(clinicName(ctx, r)),
      address: clip(r.address[ctx.locale]),
      km: r.distanceMeters !== undefined ? km(r.distanceMeters) : "",
      free: r.free,
      why: r.problem ? shortReason(ctx, r.problem, year) : "",
    };
    const near = r.distanceMeters !== undefined ? "_near" : "";
    return ctx.t(`apply.clinic.${r.problem ? "row_unavailable" : "row"}${near}`, vars);
  });
}

/** Joins the parts and drops list lines from the end if Telegram's limit would be passed. */
export function fitText(head: string, lines: string[], tail = ""): string {
  const kept = [...lines];
  const join = () => [head, kept.join("\n"), tail].filter((s) => s.length > 0).join("\n\n");
  while (kept.length > 0 && join().length > TEXT_LIMIT) kept.pop();
  return join().slice(0, TEXT_LIMIT);
}
