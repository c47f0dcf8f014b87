import type { Insertable, Selectable } from "kysely";
import { almatyDate } from "../../rules/index.js";
import type { Db, Store } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { RequestDocumentsTable, RequestsTable, RequestStatus } from "../schema/requests.js";
import type { IinKey, Vault } from "../vault.js";
import { enqueueNotice } from "./outbox.js";

export type RequestRow = Selectable<RequestsTable>;
export type DocumentRow = Selectable<RequestDocumentsTable>;
/** A request as the flow makes it: the IIN in clear here, sealed and indexed when stored. */
export type NewRequest = Omit<
  Insertable<RequestsTable>,
  | "id"
  | "number"
  | "iin_sealed"
  | "iin_index"
  | "erasure_requested_at"
  | "erased_at"
  | "erased_by"
  | "documents_erased_at"
> & { iin: string };
export type NewDocument = Omit<Insertable<RequestDocumentsTable>, "id" | "request_id">;

export const OPEN_STATUSES: RequestStatus[] = ["pending", "needs_documents"];

/** R17: the year of a request number is the Almaty calendar year of submission (00:00–05:00 on 1 January is UTC's old year). */
export function requestYear(submittedAt: string): number {
  return Number(almatyDate(new Date(submittedAt)).slice(0, 4));
}

/** A-2026-000123: the year of submission and a per-year counter, allocated in the caller's transaction. */
const counted = precompiled({ year: "number" }, (db: Db, v: { year: number }) =>
  db
    .insertInto("request_counters")
    .values({ year: v.year, last: 1 })
    .onConflict((oc) => oc.column("year").doUpdateSet((eb) => ({ last: eb("request_counters.last", "+", 1) })))
    .returning("last"),
);

export async function nextRequestNumber(db: Db, year: number): Promise<string> {
  const [row] = await counted(db, { year });
  if (!row) throw new Error("no request counter");
  return `A-${year}-${String(row.last).padStart(6, "0")}`;
}

// Asked with every request stored: a replayed update or a double press finds the first.
const bySourceKey = precompiled({ key: "string" }, (db: Db, v: { key: string }) =>
  db.selectFrom("requests").selectAll().where("source_key", "=", v.key),
);

export type CreateResult =
  | { ok: true; request: RequestRow; created: boolean }
  | { ok: false; reason: "open_request_exists"; existing: RequestRow };

/**
 * Stores a request and its documents in one transaction. The same source_key twice returns the first request
 * (a replayed update or a double press); an open request for the same person is refused with its number.
 *
 * With SQLite's group commit, the transaction is the one of the units that end beside it: requests confirmed together
 * (a campaign's morning) change the same pages (the requests' last leaf, their indexes, the counter, the tallies), and
 * a transaction of their own each appended those pages to the WAL once per request. Resolves once committed.
 */
export async function createRequest(store: Store, input: NewRequest, documents: NewDocument[]): Promise<CreateResult> {
  const { iin, ...fields } = input;
  const key = store.vault.index(iin);
  const iinSealed = store.vault.seal(iin, "iin");
  // In the transaction it is given, or one of its own (a batch of one runs its write outside any transaction).
  const stored = (db: Db) => {
    const write = (trx: Db) => storeRequest(trx, fields, { key, sealed: iinSealed }, documents);
    return db.isTransaction ? write(db) : db.transaction().execute(write);
  };
  // A caller's own transaction holds the one connection: the group commit would wait for it forever.
  if (store.db.isTransaction || !store.groupCommit) return stored(store.db);
  let result: CreateResult | undefined;
  // A batch that fails is stored again unit by unit: the result is the last run's, the one committed.
  await store.groupCommit.commit([
    async (db) => {
      result = await stored(db);
    },
  ]);
  if (!result) throw new Error("a request committed without its result");
  return result;
}

/** A request's row as stored: every column the flow sets, a missing one null. */
type RequestValues = Omit<NewRequest, "iin"> & { number: string; iin_sealed: string; iin_index: IinKey };

// Built and compiled once: a request's insert names two dozen columns, and it runs while the group commit holds the
// connection for every update that ends beside it.
const insertRequest = precompiled(
  {
    user_id: "number",
    number: "string",
    iin_sealed: "string",
    iin_index: "string",
    person_birth_date: "string",
    for_child: "number",
    applicant_category: "string",
    special_category: "string",
    region_id: "string",
    settlement_id: "string",
    clinic_id: "string",
    ground: "string",
    residence_kind: "string",
    status: "string",
    submitted_at: "string",
    decision_due: "string",
    effective_from: "string",
    outcome_at_submission: "string",
    locale: "string",
    decided_by: "number",
    decided_at: "string",
    reject_reason: "string",
    reject_note: "string",
    source_key: "string",
    insurance_kind: "string",
    insurance_valid_until: "string",
  },
  (db: Db, v: RequestValues) => db.insertInto("requests").values(v).returningAll(),
);

/** The request's statements, in the caller's transaction: its number is allocated there. */
async function storeRequest(
  trx: Db,
  fields: Omit<NewRequest, "iin">,
  iin: { key: IinKey; sealed: string },
  documents: NewDocument[],
): Promise<CreateResult> {
  const [same] = await bySourceKey(trx, { key: fields.source_key });
  if (same) return { ok: true, request: same, created: false };
  const open = await findOpenRequestByIin(trx, iin.key);
  if (open) return { ok: false, reason: "open_request_exists", existing: open };
  const number = await nextRequestNumber(trx, requestYear(fields.submitted_at));
  const [request] = await insertRequest(trx, { ...fields, number, iin_sealed: iin.sealed, iin_index: iin.key });
  if (!request) throw new Error("a request insert returned no row");
  if (documents.length) {
    await trx
      .insertInto("request_documents")
      .values(documents.map((d) => ({ ...d, request_id: request.id })))
      .execute();
  }
  return { ok: true, request, created: true };
}

// Asked at the IIN step and again when the request is stored.
const openOf = precompiled({ key: "string" }, (db: Db, v: { key: string }) =>
  db.selectFrom("requests").selectAll().where("iin_index", "=", v.key).where("status", "in", OPEN_STATUSES),
);

export async function findOpenRequestByIin(db: Db, key: IinKey): Promise<RequestRow | undefined> {
  const [row] = await openOf(db, { key });
  return row;
}

export function getRequest(db: Db, id: number): Promise<RequestRow | undefined> {
  return db.selectFrom("requests").selectAll().where("id", "=", id).executeTakeFirst();
}

export function getRequestByNumber(db: Db, number: string): Promise<RequestRow | undefined> {
  return db.selectFrom("requests").selectAll().where("number", "=", number.toUpperCase()).executeTakeFirst();
}

export function listUserRequests(db: Db, userId: number, limit = 10): Promise<RequestRow[]> {
  return db
    .selectFrom("requests")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("submitted_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export function listDocuments(db: Db, requestId: number): Promise<DocumentRow[]> {
  return db.selectFrom("request_documents").selectAll().where("request_id", "=", requestId).orderBy("id").execute();
}

export async function addDocuments(db: Db, requestId: number, documents: NewDocument[]): Promise<void> {
  if (!documents.length) return;
  await db
    .insertInto("request_documents")
    .values(documents.map((d) => ({ ...d, request_id: requestId })))
    .execute();
}

/**
 * Withdraws the applicant's own open request and queues its confirmation in the same transaction; the outbox row's
 * id, or null when it is no longer open or not theirs.
 */
export async function withdrawRequest(db: Db, id: number, userId: number, at: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("requests")
      .set({ status: "withdrawn", decided_at: at })
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .where("status", "in", OPEN_STATUSES)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return null;
    return enqueueNotice(trx, { chatId: userId, kind: "withdrawn", requestId: id }, at);
  });
}

// The eligibility check reads these on most steps of an application: compiled once.
const approvedOf = precompiled({ key: "string" }, (db: Db, v: { key: string }) =>
  db
    .selectFrom("requests")
    .select(["decided_at", "ground"])
    .where("iin_index", "=", v.key)
    .where("status", "=", "approved"),
);
const attachmentOf = precompiled({ key: "string" }, (db: Db, v: { key: string }) =>
  db.selectFrom("attachments").selectAll().where("iin_index", "=", v.key),
);

/** Accepted changes of a person, for the yearly quota (R9). */
export function approvedHistory(db: Db, key: IinKey): Promise<{ decided_at: string | null; ground: string }[]> {
  return approvedOf(db, { key });
}

export async function currentAttachment(db: Db, key: IinKey) {
  const [row] = await attachmentOf(db, { key });
  return row;
}

/** The request's IIN in clear, or null once erased. Whoever shows it in full records that in the audit log. */
export function requestIin(vault: Vault, r: Pick<RequestRow, "iin_sealed">): string | null {
  return r.iin_sealed === "" ? null : vault.open(r.iin_sealed, "iin");
}

/** The stored index of a request's person, for lookups (null once erased). */
export function requestKey(r: Pick<RequestRow, "iin_index">): IinKey | null {
  return r.iin_index as IinKey | null;
}
