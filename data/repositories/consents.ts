import type { Selectable } from "kysely";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { ConsentsTable } from "../schema/core.js";
import { readOnce, type UnitOfWork } from "../unit-of-work.js";
import { audit } from "./audit.js";

export type ConsentRow = Selectable<ConsentsTable>;

// Every step that collects personal data checks it: compiled once.
const consentOf = precompiled({ userId: "number" }, (db: Db, v: { userId: number }) =>
  db.selectFrom("consents").selectAll().where("user_id", "=", v.userId),
);

export async function getConsent(db: Db, userId: number): Promise<ConsentRow | undefined> {
  const [row] = await consentOf(db, { userId });
  return row;
}

// Given by everyone who applies: compiled once.
const consentGiven = precompiled(
  { userId: "number", version: "string", at: "string" },
  (db: Db, v: { userId: number; version: string; at: string }) =>
    db
      .insertInto("consents")
      .values({ user_id: v.userId, version: v.version, given_at: v.at })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ version: v.version, given_at: v.at })),
);

/** The key of a person's consent in an update's unit of work: the update's first read brings it. */
export const consentKey = (userId: number) => `consent:${userId}`;

/** The consent as this update knows it (`uow`: from its first read, or as the update changed it). */
export function knownConsent(db: Db, userId: number, uow?: UnitOfWork): Promise<ConsentRow | undefined> {
  return readOnce(uow, consentKey(userId), () => getConsent(db, userId));
}

/**
 * The person agreed to the notice of this version: stored and recorded in the audit log (the version, no text).
 * Within an update (`uow` open), with the update's other writes, in its one transaction: the consent, the draft it
 * lets the update start and the processed mark are stored together or not at all.
 */
export async function giveConsent(
  db: Db,
  userId: number,
  version: string,
  at: string,
  uow?: UnitOfWork,
): Promise<void> {
  const consent = (trx: Db) => consentGiven(trx, { userId, version, at });
  const audited = (trx: Db) => audit(trx, { actorId: userId, action: "consent_given", details: { version } }, at);
  // Staged as two writes: the unit stores two or more in one transaction, never the consent without its entry.
  if (uow?.open) {
    uow.stage(consentKey(userId), consent);
    uow.stage(`${consentKey(userId)}:audit`, audited);
  } else
    await db.transaction().execute(async (trx) => {
      await consent(trx);
      await audited(trx);
    });
  // The rest of the update (entering the application) sees it.
  uow?.remember(consentKey(userId), { user_id: userId, version, given_at: at });
}

/** The person declined the notice of this version: nothing is stored but the audit entry. */
export async function declineConsent(db: Db, userId: number, version: string, at: string): Promise<void> {
  await audit(db, { actorId: userId, action: "consent_declined", details: { version } }, at);
}
