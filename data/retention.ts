import { sql } from "kysely";
import type { Retention } from "../rules/index.js";
import type { Db } from "./db.js";
import { audit } from "./repositories/audit.js";
import { conversationKey } from "./conversation-storage.js";
import { ERASED_FIELDS, keptNote } from "./repositories/personal-data.js";
import { OPEN_STATUSES } from "./repositories/requests.js";

/**
 * Retention (the policy's numbers): unfinished applications left alone, document references after a decision,
 * decided requests' personal fields after some years. Each batch is one transaction with its audit entry (counts
 * only), and what is done no longer matches: a run stopped anywhere (a crash, a restart) loses nothing and the
 * next run finishes the rest.
 */

/** The bot's own acts in the audit log. */
export const SYSTEM_ACTOR = 0;

const BATCH = 500;
const DAY_MS = 24 * 3_600_000;

export interface RetentionCounts {
  drafts: number;
  documents: number;
  requests: number;
}

/** An instant `years` calendar years before `now` (29 February falls to 1 March). */
export function yearsBefore(now: Date, years: number): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString();
}

/** One batch; `found`: rows it changed (0: nothing more is due). */
async function batch(
  db: Db,
  now: Date,
  r: Retention,
  size: number,
): Promise<{ counts: RetentionCounts; found: number }> {
  const at = now.toISOString();
  const draftCutoff = new Date(now.getTime() - r.draftDays * DAY_MS).toISOString();
  const documentCutoff = new Date(now.getTime() - r.documentDays * DAY_MS).toISOString();
  const requestCutoff = yearsBefore(now, r.requestYears);
  return db.transaction().execute(async (trx) => {
    const drafts = await trx
      .selectFrom("drafts")
      .select("user_id")
      .where("updated_at", "<", draftCutoff)
      .limit(size)
      .execute();
    for (const d of drafts) {
      await trx.deleteFrom("drafts").where("user_id", "=", d.user_id).execute();
      await trx.deleteFrom("conversation_state").where("key", "=", conversationKey(d.user_id)).execute();
    }

    const documents = await trx
      .selectFrom("requests")
      .select("id")
      .where("documents_erased_at", "is", null)
      .where("decided_at", "is not", null)
      .where("decided_at", "<", documentCutoff)
      .where("status", "not in", OPEN_STATUSES)
      .limit(size)
      .execute();
    let files = 0;
    for (const q of documents) {
      const gone = await trx.deleteFrom("request_documents").where("request_id", "=", q.id).executeTakeFirst();
      files += Number(gone.numDeletedRows);
      await trx.updateTable("requests").set({ documents_erased_at: at }).where("id", "=", q.id).execute();
    }

    const requests = await trx
      .selectFrom("requests")
      .select(["id", "reject_note", "erasure_requested_at"])
      .where("erased_at", "is", null)
      .where("decided_at", "is not", null)
      .where("decided_at", "<", requestCutoff)
      .where("status", "not in", OPEN_STATUSES)
      .limit(size)
      .execute();
    for (const q of requests) {
      await trx.deleteFrom("request_documents").where("request_id", "=", q.id).execute();
      // The current attachment made by this request goes too: it holds the person's IIN.
      await trx.deleteFrom("attachments").where("request_id", "=", q.id).execute();
      await trx
        .updateTable("requests")
        .set({
          ...ERASED_FIELDS,
          reject_note: keptNote(q.reject_note),
          erased_at: at,
          // Staff see that the applicant asked for it when they did (the retention only waited for the period).
          erased_by: q.erasure_requested_at ? "applicant" : "retention",
          documents_erased_at: sql<string>`coalesce(documents_erased_at, ${at})`,
        })
        .where("id", "=", q.id)
        .execute();
    }

    const counts = { drafts: drafts.length, documents: files, requests: requests.length };
    // A decided request without documents is only marked: it counts as found, not as a file removed.
    const found = drafts.length + documents.length + requests.length;
    if (found > 0) await audit(trx, { actorId: SYSTEM_ACTOR, action: "retention", details: { ...counts } }, at);
    return { counts, found };
  });
}

/** Applies the retention rule as of `now`, batch by batch until nothing is due; the totals. */
export async function applyRetention(db: Db, now: Date, retention: Retention, size = BATCH): Promise<RetentionCounts> {
  const total: RetentionCounts = { drafts: 0, documents: 0, requests: 0 };
  for (;;) {
    const { counts, found } = await batch(db, now, retention, size);
    if (found === 0) return total;
    total.drafts += counts.drafts;
    total.documents += counts.documents;
    total.requests += counts.requests;
  }
}
