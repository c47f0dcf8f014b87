import { randomBytes } from "node:crypto";
import { z } from "zod";
import { audit } from "../../../../data/repositories/audit.js";
import { deleteSetting, getSetting, putSetting } from "../../../../data/repositories/settings.js";
import { HolidayYearSchema, PolicySchema, type HolidayYear, type Policy } from "../../../../rules/index.js";
import type { Deps } from "../../../context.js";
import { holidaysKey, policyKey } from "../../../rules-service.js";

// A change an admin has seen as before/after and not yet confirmed: one per admin, kept in settings (a restart
// loses nothing), named by a nonce the confirm button carries. It is applied only if what it was computed from is
// still in force, so two admins (or two windows) never overwrite each other's change unseen.

const Via = z.enum(["command", "button", "file"]);
export type Via = z.infer<typeof Via>;

const PendingSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("policy"),
    nonce: z.string(),
    year: z.number().int(),
    /** The policy in force when the change was shown (JSON), to detect a change made since. */
    before: z.string(),
    /** null: back to the shipped data (the override is removed). */
    after: PolicySchema.nullable(),
    via: Via,
    /** What changes, as codes for the audit log. */
    fields: z.string(),
  }),
  z.object({
    kind: z.literal("holidays"),
    nonce: z.string(),
    year: z.number().int(),
    before: z.string(),
    after: HolidayYearSchema.nullable(),
    via: Via,
    fields: z.string(),
  }),
]);
export type Pending = z.infer<typeof PendingSchema>;
export type Proposal =
  | { kind: "policy"; year: number; after: Policy | null; via: Via; fields: string }
  | { kind: "holidays"; year: number; after: HolidayYear | null; via: Via; fields: string };

const pendingKey = (adminId: number) => `policy_pending:${adminId}`;

/** What a change is checked against: the year's policy or holiday table in force now. */
async function inForce(deps: Pick<Deps, "rules">, kind: Pending["kind"], year: number): Promise<string> {
  const current = kind === "policy" ? await deps.rules.policyOf(year) : await deps.rules.holidayTable(year);
  return JSON.stringify(current ?? null);
}

/** Keeps the change for the admin's confirmation (replacing an older one); returns its nonce. */
export async function propose(
  deps: Pick<Deps, "db" | "rules">,
  adminId: number,
  p: Proposal,
  at: string,
): Promise<string> {
  const nonce = randomBytes(6).toString("base64url");
  const pending = { ...p, nonce, before: await inForce(deps, p.kind, p.year) } as Pending;
  await putSetting(deps.db, pendingKey(adminId), pending, at, adminId);
  return nonce;
}

export type Outcome = { kind: "applied"; pending: Pending } | { kind: "stale" } | { kind: "changed"; year: number };

/**
 * The admin's confirmation: writes the change (or removes the override), audits it with codes only, and forgets
 * the proposal. `stale`: no such proposal (a newer one, or already applied or cancelled); `changed`: the year's
 * data changed since it was shown, nothing is written.
 */
export async function confirm(
  deps: Pick<Deps, "db" | "rules">,
  adminId: number,
  nonce: string,
  at: string,
): Promise<Outcome> {
  const pending = await getSetting(deps.db, pendingKey(adminId), PendingSchema);
  if (!pending || pending.nonce !== nonce) return { kind: "stale" };
  if ((await inForce(deps, pending.kind, pending.year)) !== pending.before) {
    await deleteSetting(deps.db, pendingKey(adminId));
    return { kind: "changed", year: pending.year };
  }
  const key = pending.kind === "policy" ? policyKey(pending.year) : holidaysKey(pending.year);
  await deps.db.transaction().execute(async (trx) => {
    if (pending.after === null) await deleteSetting(trx, key);
    else await putSetting(trx, key, pending.after, at, adminId);
    await audit(
      trx,
      {
        actorId: adminId,
        action: "settings",
        details: { key, via: pending.via, fields: pending.after === null ? "reset" : pending.fields },
      },
      at,
    );
    await deleteSetting(trx, pendingKey(adminId));
  });
  return { kind: "applied", pending };
}

/** Cancels the admin's proposal if it is this one; false when it was not (stale). */
export async function cancel(deps: Pick<Deps, "db">, adminId: number, nonce: string): Promise<boolean> {
  const pending = await getSetting(deps.db, pendingKey(adminId), PendingSchema);
  if (!pending || pending.nonce !== nonce) return false;
  await deleteSetting(deps.db, pendingKey(adminId));
  return true;
}

/** The admin's proposal, if any (its summary is shown again on confirmation). */
export function pendingOf(deps: Pick<Deps, "db">, adminId: number): Promise<Pending | undefined> {
  return getSetting(deps.db, pendingKey(adminId), PendingSchema);
}
