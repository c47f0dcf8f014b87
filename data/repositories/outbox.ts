import { sql, type Selectable } from "kysely";
import type { Db } from "../db.js";
import type { OutboxTable } from "../schema/outbox.js";

/**
 * What the bot owes a person after a stored change. Written in the transaction of the change, sent after the commit
 * by the bot's outbox worker (bot/outbox-worker.ts), which renders the text from the kind, the request and the
 * payload's codes in the recipient's language at that moment.
 */
export type OutboxKind =
  /** The applicant: the decision (payload.status: approved, rejected or needs_documents). */
  | "decision"
  /** The applicant: their document was added (payload.back: the request went back to the queue with it). */
  | "documents_received"
  /** The reviewer who asked for the document: it came, the request is in the queue again. */
  | "documents_staff"
  /** The applicant: their request was withdrawn as they asked. */
  | "withdrawn";

export type OutboxRow = Selectable<OutboxTable>;

export interface NewNotice {
  chatId: number;
  kind: OutboxKind;
  requestId: number | null;
  /** Codes only: never names, IINs or free text (the text is rendered from the database when sent). */
  payload?: Record<string, string | number | boolean>;
}

/** Queues a message: call it with the transaction that stores the change it tells of. */
export async function enqueueNotice(db: Db, n: NewNotice, at: string): Promise<number> {
  const row = await db
    .insertInto("outbox")
    .values({
      chat_id: n.chatId,
      kind: n.kind,
      request_id: n.requestId,
      payload: JSON.stringify(n.payload ?? {}),
      created_at: at,
      next_attempt_at: at,
      sending_since: null,
      sent_at: null,
      failed_reason: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * At start-up: rows a previous process was sending when it died go back to the queue (each may have reached its
 * recipient already: the one possible duplicate per crash). Returns how many.
 */
export async function releaseClaims(db: Db): Promise<number> {
  const res = await db
    .updateTable("outbox")
    .set({ sending_since: null })
    .where("sending_since", "is not", null)
    .where("sent_at", "is", null)
    .where("failed_reason", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The oldest open row due by `now` whose chat has no older open row (one person's messages keep their order). */
export function nextDue(db: Db, now: string): Promise<OutboxRow | undefined> {
  return db
    .selectFrom("outbox as o")
    .selectAll("o")
    .where("o.sent_at", "is", null)
    .where("o.failed_reason", "is", null)
    .where("o.sending_since", "is", null)
    .where("o.next_attempt_at", "<=", now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("outbox as e")
            .select("e.id")
            .whereRef("e.chat_id", "=", "o.chat_id")
            .whereRef("e.id", "<", "o.id")
            .where("e.sent_at", "is", null)
            .where("e.failed_reason", "is", null),
        ),
      ),
    )
    .orderBy("o.next_attempt_at")
    .orderBy("o.id")
    .limit(1)
    .executeTakeFirst();
}

/** Takes the row for sending (one attempt more); false when someone else has it or it is closed. */
export async function claimNotice(db: Db, id: number, at: string): Promise<boolean> {
  const res = await db
    .updateTable("outbox")
    .set({ sending_since: at, attempts: sql<number>`attempts + 1` })
    .where("id", "=", id)
    .where("sending_since", "is", null)
    .where("sent_at", "is", null)
    .where("failed_reason", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function markNoticeSent(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable("outbox").set({ sending_since: null, sent_at: at }).where("id", "=", id).execute();
}

/** Back in the queue until `nextAt` (a 429's retry_after, or a back-off after a network error or a 5xx). */
export async function retryNotice(db: Db, id: number, nextAt: string): Promise<void> {
  await db.updateTable("outbox").set({ sending_since: null, next_attempt_at: nextAt }).where("id", "=", id).execute();
}

/** Given up: `reason` is an error class (no text of the message). */
export async function failNotice(db: Db, id: number, reason: string): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ sending_since: null, failed_reason: reason.slice(0, 120) })
    .where("id", "=", id)
    .execute();
}

export function getNotice(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Rows still owed (metrics). */
export async function pendingNotices(db: Db): Promise<number> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("sent_at", "is", null)
    .where("failed_reason", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Closed rows (sent or given up) older than `before` go: the outbox is a queue, not a record. */
export async function pruneNotices(db: Db, before: string): Promise<number> {
  const res = await db
    .deleteFrom("outbox")
    .where((eb) => eb.or([eb("sent_at", "is not", null), eb("failed_reason", "is not", null)]))
    .where("created_at", "<", before)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
