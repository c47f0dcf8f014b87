import { almatyDate } from "../../rules/index.js";
import type { Db } from "../db.js";
import type { RequestStatus } from "../schema/requests.js";
import { audit, documentsAskedBy } from "./audit.js";
import { adjustAttachedCount } from "./clinics.js";
import { enqueueNotice } from "./outbox.js";
import { addDocuments, OPEN_STATUSES, type NewDocument, type RequestRow } from "./requests.js";

export type Decision =
  | { kind: "approve" }
  | { kind: "reject"; reason: string; note: string | null }
  | { kind: "needs_documents"; note: string | null };

export type DecideResult =
  | { ok: true; request: RequestRow; previous: RequestStatus; noticeId: number }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "already_decided"; request: RequestRow }
  | { ok: false; reason: "clinic_full"; request: RequestRow };

const NEW_STATUS: Record<Decision["kind"], RequestStatus> = {
  approve: "approved",
  reject: "rejected",
  needs_documents: "needs_documents",
};

/** R8, R17: "on the decision" is the Almaty day of the decision (UTC's date is the day before until 05:00). */
export function decisionDay(at: string): string {
  return almatyDate(new Date(at));
}

/**
 * When a request's attachment takes effect: the date stored with it (R7), else, once approved "on the decision"
 * (R8), the decision day, as the attachment was written. Null: on a decision not (or never) made.
 */
export function effectiveDate(r: Pick<RequestRow, "status" | "effective_from" | "decided_at">): string | null {
  if (r.status !== "approved") return r.effective_from;
  return r.effective_from ?? (r.decided_at ? decisionDay(r.decided_at) : null);
}

/**
 * One transaction: the status changes only if the request is still open (so of two colleagues exactly one wins),
 * and an approval moves the person's attachment (R3: the old clinic is detached) and both clinics' counts (R6).
 * The applicant's notice is queued in the outbox in the same transaction: a decision stored is a notice owed.
 */
export async function decide(
  db: Db,
  requestId: number,
  actorId: number,
  d: Decision,
  at: string,
): Promise<DecideResult> {
  return db.transaction().execute(async (trx): Promise<DecideResult> => {
    // The request's row is locked first (a write that changes nothing; no tally trigger watches decided_by): on
    // PostgreSQL a colleague deciding at the same moment waits here, then reads the decision made and is told who
    // made it, instead of failing the update below. SQLite runs one transaction at a time anyway.
    await trx
      .updateTable("requests")
      .set((eb) => ({ decided_by: eb.ref("decided_by") }))
      .where("id", "=", requestId)
      .execute();
    const before = await trx.selectFrom("requests").selectAll().where("id", "=", requestId).executeTakeFirst();
    if (!before) return { ok: false, reason: "not_found" };
    const status = NEW_STATUS[d.kind];
    if (
      !OPEN_STATUSES.includes(before.status) ||
      (d.kind === "needs_documents" && before.status === "needs_documents")
    ) {
      return { ok: false, reason: "already_decided", request: before };
    }
    // An erased request was withdrawn first: it is never open, so an open one always has its person's index.
    const key = before.iin_index;
    if (d.kind === "approve" && key === null) return { ok: false, reason: "already_decided", request: before };
    if (d.kind === "approve" && key !== null) {
      const current = await trx.selectFrom("attachments").selectAll().where("iin_index", "=", key).executeTakeFirst();
      if (current?.clinic_id !== before.clinic_id) {
        const added = await adjustAttachedCount(trx, before.clinic_id, 1);
        if (!added.ok) return { ok: false, reason: "clinic_full", request: before };
        if (current) await adjustAttachedCount(trx, current.clinic_id, -1);
      }
      const since = before.effective_from ?? decisionDay(at);
      await trx
        .insertInto("attachments")
        .values({
          iin_index: key,
          iin_sealed: before.iin_sealed,
          clinic_id: before.clinic_id,
          since,
          request_id: before.id,
        })
        .onConflict((oc) =>
          oc.column("iin_index").doUpdateSet({
            iin_sealed: before.iin_sealed,
            clinic_id: before.clinic_id,
            since,
            request_id: before.id,
          }),
        )
        .execute();
    }
    const decided = d.kind !== "needs_documents";
    const request = await trx
      .updateTable("requests")
      .set({
        status,
        decided_by: decided ? actorId : before.decided_by,
        decided_at: decided ? at : before.decided_at,
        reject_reason: d.kind === "reject" ? d.reason : null,
        reject_note: d.kind === "approve" ? null : d.note,
      })
      .where("id", "=", requestId)
      .where("status", "in", OPEN_STATUSES)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      {
        actorId,
        action: d.kind,
        requestId,
        oldStatus: before.status,
        newStatus: status,
        details: d.kind === "reject" ? { reason: d.reason } : undefined,
      },
      at,
    );
    const noticeId = await enqueueNotice(
      trx,
      { chatId: request.user_id, kind: "decision", requestId, payload: { status } },
      at,
    );
    return { ok: true, request, previous: before.status, noticeId };
  });
}

export interface DocumentReceipt {
  /** The request went back to the queue with this document. */
  back: boolean;
  /** Outbox rows queued with it: the applicant's acknowledgement, and the asking reviewer's notice when it went back. */
  noticeIds: number[];
}

/**
 * A citizen's upload for a request waiting for documents, in one transaction: the document is added, a request in
 * "needs documents" returns to the queue, and the acknowledgement (and the asking reviewer's notice) are queued.
 */
export async function receiveDocument(
  db: Db,
  requestId: number,
  actorId: number,
  document: NewDocument,
  at: string,
): Promise<DocumentReceipt> {
  return db.transaction().execute(async (trx): Promise<DocumentReceipt> => {
    await addDocuments(trx, requestId, [document]);
    const res = await trx
      .updateTable("requests")
      .set({ status: "pending" })
      .where("id", "=", requestId)
      .where("status", "=", "needs_documents")
      .executeTakeFirst();
    const back = Number(res.numUpdatedRows) === 1;
    const noticeIds = [
      await enqueueNotice(trx, { chatId: actorId, kind: "documents_received", requestId, payload: { back } }, at),
    ];
    if (!back) return { back, noticeIds };
    await audit(
      trx,
      { actorId, action: "documents_received", requestId, oldStatus: "needs_documents", newStatus: "pending" },
      at,
    );
    const asker = await documentsAskedBy(trx, requestId);
    if (asker !== null && asker !== actorId) {
      noticeIds.push(await enqueueNotice(trx, { chatId: asker, kind: "documents_staff", requestId }, at));
    }
    return { back, noticeIds };
  });
}

/**
 * The applicant's request that takes documents now: one in needs_documents, or one that went back to the queue
 * within `graceSince` (several photos sent together belong to the same request).
 */
export async function requestAwaitingDocuments(
  db: Db,
  userId: number,
  graceSince: string,
): Promise<RequestRow | undefined> {
  const waiting = await db
    .selectFrom("requests")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "needs_documents")
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (waiting) return waiting;
  return db
    .selectFrom("requests")
    .selectAll("requests")
    .where("requests.user_id", "=", userId)
    .where("requests.status", "=", "pending")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("audit_log")
          .select("audit_log.id")
          .whereRef("audit_log.request_id", "=", "requests.id")
          .where("audit_log.action", "=", "documents_received")
          .where("audit_log.at", ">=", graceSince),
      ),
    )
    .orderBy("requests.id", "desc")
    .executeTakeFirst();
}
