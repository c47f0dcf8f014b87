import { DocumentCodeSchema } from "../../rules/index.js";
import { conversationKey } from "../conversation-storage.js";
import type { Db, Store } from "../db.js";
import { isSealed } from "../vault.js";
import { audit } from "./audit.js";
import { OPEN_STATUSES } from "./requests.js";

/**
 * The person's rights (Law № 94-V): everything stored about a person, for a copy; and the erasure when they withdraw
 * consent. A person's conversation state is keyed by their private chat, whose id is their Telegram id.
 */

/** The personal fields of a request as they are after erasure: the number, status and dates stay. */
export const ERASED_FIELDS = {
  iin_sealed: "",
  iin_index: null,
  person_birth_date: "",
} as const;

/** What a decided request keeps of its note: a document code (what was asked for) stays, a reviewer's words go. */
export function keptNote(note: string | null): string | null {
  return DocumentCodeSchema.safeParse(note).success ? note : null;
}

export interface PersonalDataCopy {
  format: "emhana-personal-data/1";
  /** When the copy was made (ISO). */
  made_at: string;
  telegram_user_id: number;
  profile: { language: string | null; first_seen: string; last_seen: string; subscribed: boolean } | null;
  consent: { version: string; given_at: string } | null;
  /** The unfinished application, its answers as stored (the IIN and document references included). */
  draft: { updated_at: string; answers: unknown } | null;
  /** Whether a conversation's state is stored (it holds the messages of a flow in progress). */
  conversation_in_progress: boolean;
  requests: {
    number: string;
    status: string;
    for_child: boolean;
    iin: string | null;
    birth_date: string | null;
    applicant_category: string;
    region_id: string;
    settlement_id: string;
    clinic_id: string;
    ground: string;
    residence_kind: string;
    insurance_kind: string | null;
    insurance_valid_until: string | null;
    submitted_at: string;
    decision_due: string;
    effective_from: string | null;
    decided_at: string | null;
    reject_reason: string | null;
    reject_note: string | null;
    erasure_requested_at: string | null;
    erased_at: string | null;
    documents: {
      kind: string;
      file_id: string;
      file_name: string | null;
      mime_type: string | null;
      file_size: number | null;
      added_at: string;
    }[];
  }[];
  /** The person's own recorded acts (consent given, declined, withdrawn; copies asked for): no staff identities. */
  events: { at: string; action: string }[];
  /** Broadcasts and reminders the bot sent or is to send them. */
  messages_received: number;
}

/** Everything stored about one person, opened: only their rows, nobody else's (staff ids are left out). */
export async function personalData(store: Store, userId: number, at: string): Promise<PersonalDataCopy> {
  const { db, vault } = store;
  const [user, consent, draft, conversation, requests, events, received] = await Promise.all([
    db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst(),
    db.selectFrom("consents").selectAll().where("user_id", "=", userId).executeTakeFirst(),
    db.selectFrom("drafts").selectAll().where("user_id", "=", userId).executeTakeFirst(),
    db.selectFrom("conversation_state").select("key").where("key", "=", conversationKey(userId)).executeTakeFirst(),
    db.selectFrom("requests").selectAll().where("user_id", "=", userId).orderBy("id").execute(),
    db
      .selectFrom("audit_log")
      .select(["at", "action"])
      .where("actor_id", "=", userId)
      .where("action", "in", ["consent_given", "consent_declined", "consent_withdrawn", "privacy_copy"])
      .orderBy("id")
      .execute(),
    db
      .selectFrom("broadcast_recipients")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirst(),
  ]);
  const documents = requests.length
    ? await db
        .selectFrom("request_documents")
        .selectAll()
        .where(
          "request_id",
          "in",
          requests.map((r) => r.id),
        )
        .orderBy("id")
        .execute()
    : [];
  let answers: unknown = null;
  if (draft) {
    try {
      answers = JSON.parse(isSealed(draft.data) ? vault.open(draft.data, "draft") : draft.data) as unknown;
    } catch {
      answers = null;
    }
  }
  return {
    format: "emhana-personal-data/1",
    made_at: at,
    telegram_user_id: userId,
    profile: user
      ? {
          language: user.language,
          first_seen: user.first_seen,
          last_seen: user.last_seen,
          subscribed: user.subscribed === 1,
        }
      : null,
    consent: consent ? { version: consent.version, given_at: consent.given_at } : null,
    draft: draft ? { updated_at: draft.updated_at, answers } : null,
    conversation_in_progress: conversation !== undefined,
    requests: requests.map((r) => ({
      number: r.number,
      status: r.status,
      for_child: r.for_child === 1,
      iin: r.iin_sealed === "" ? null : vault.open(r.iin_sealed, "iin"),
      birth_date: r.person_birth_date === "" ? null : r.person_birth_date,
      applicant_category: r.applicant_category,
      region_id: r.region_id,
      settlement_id: r.settlement_id,
      clinic_id: r.clinic_id,
      ground: r.ground,
      residence_kind: r.residence_kind,
      insurance_kind: r.insurance_kind,
      insurance_valid_until: r.insurance_valid_until,
      submitted_at: r.submitted_at,
      decision_due: r.decision_due,
      effective_from: r.effective_from,
      decided_at: r.decided_at,
      reject_reason: r.reject_reason,
      reject_note: r.reject_note,
      erasure_requested_at: r.erasure_requested_at,
      erased_at: r.erased_at,
      documents: documents
        .filter((d) => d.request_id === r.id)
        .map((d) => ({
          kind: d.kind,
          file_id: d.file_id,
          file_name: d.file_name,
          mime_type: d.mime_type,
          file_size: d.file_size,
          added_at: d.added_at,
        })),
    })),
    events: events.map((e) => ({ at: e.at, action: e.action })),
    messages_received: Number(received?.n ?? 0),
  };
}

export interface ErasureResult {
  /** Open requests withdrawn and erased now. */
  withdrawn: string[];
  /** Decided requests kept until their retention ends (then erased as the applicant asked). */
  kept: string[];
  draftDeleted: boolean;
}

/**
 * Consent withdrawn, data deleted, in one transaction: the draft, the conversation state and the consent go at once,
 * the subscription ends, an open request is withdrawn and loses its personal fields and documents now; a decided
 * request is marked so the retention job erases it (as the applicant asked) when its period ends.
 */
export async function erasePerson(db: Db, userId: number, at: string): Promise<ErasureResult> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx.deleteFrom("drafts").where("user_id", "=", userId).executeTakeFirst();
    await trx.deleteFrom("conversation_state").where("key", "=", conversationKey(userId)).execute();
    await trx.deleteFrom("consents").where("user_id", "=", userId).execute();
    await trx.updateTable("users").set({ subscribed: 0 }).where("id", "=", userId).execute();
    const mine = await trx
      .selectFrom("requests")
      .select(["id", "number", "status", "reject_note"])
      .where("user_id", "=", userId)
      .where("erased_at", "is", null)
      .execute();
    const withdrawn: string[] = [];
    const kept: string[] = [];
    for (const r of mine) {
      if (OPEN_STATUSES.includes(r.status)) {
        await trx.deleteFrom("request_documents").where("request_id", "=", r.id).execute();
        await trx
          .updateTable("requests")
          .set({
            ...ERASED_FIELDS,
            status: "withdrawn",
            decided_at: at,
            reject_note: keptNote(r.reject_note),
            erasure_requested_at: at,
            erased_at: at,
            erased_by: "applicant",
            documents_erased_at: at,
          })
          .where("id", "=", r.id)
          .execute();
        await audit(
          trx,
          {
            actorId: userId,
            action: "privacy_erase",
            requestId: r.id,
            oldStatus: r.status,
            newStatus: "withdrawn",
          },
          at,
        );
        withdrawn.push(r.number);
      } else {
        await trx
          .updateTable("requests")
          .set({ erasure_requested_at: at })
          .where("id", "=", r.id)
          .where("erasure_requested_at", "is", null)
          .execute();
        kept.push(r.number);
      }
    }
    await audit(
      trx,
      {
        actorId: userId,
        action: "consent_withdrawn",
        details: { withdrawn: withdrawn.length, kept: kept.length, draft: Number(draft.numDeletedRows) > 0 },
      },
      at,
    );
    return { withdrawn, kept, draftDeleted: Number(draft.numDeletedRows) > 0 };
  });
}
