import type { ReasonCode } from "./codes.js";
import { atuAllowed, type Policy } from "./policy.js";
import type { ClinicFacts } from "./schemas.js";

export interface ClinicCheckContext {
  /** The ATU of the address the person attaches by; omitted → the settlement check is skipped. */
  residenceAtu?: string;
  /** R5: the year the attachment takes effect (see effectiveYear). */
  year: number;
  /** R3: the person's current clinic, if known. */
  currentClinicId?: string;
  policy: Policy;
}

/**
 * R3–R6: every reason this clinic cannot take the person, most fundamental first (the clinic list shows the first).
 */
export function clinicReasons(clinic: ClinicFacts, ctx: ClinicCheckContext): ReasonCode[] {
  const reasons: ReasonCode[] = [];
  if (!clinic.active) reasons.push("clinic_inactive"); // closed or reorganised
  if (!clinic.licensed) reasons.push("clinic_no_licence"); // R5: PMSP licence
  if (!clinic.contractYears.includes(ctx.year)) reasons.push("clinic_no_contract"); // R5: Fund contract that year
  if (clinic.attached >= clinic.capacity) reasons.push("clinic_full"); // R6: one more would exceed the limit
  // R4: same ATU as the address, or a policy border-territory pair.
  if (ctx.residenceAtu !== undefined && !atuAllowed(ctx.residenceAtu, clinic.atuCode, ctx.policy))
    reasons.push("other_settlement");
  // R3: one person, one clinic: already attached here, nothing to do.
  if (ctx.currentClinicId !== undefined && ctx.currentClinicId === clinic.id) reasons.push("already_attached_here");
  return reasons;
}

/** R6: places left, never negative (the clinic list shows it). */
export function freePlaces(clinic: Pick<ClinicFacts, "capacity" | "attached">): number {
  return Math.max(0, clinic.capacity - clinic.attached);
}
