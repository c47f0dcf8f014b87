import { sql, type Selectable } from "kysely";
import type { Db } from "../db.js";
import { precompiled } from "../precompiled.js";
import type { DraftsTable } from "../schema/requests.js";
import type { Epochs } from "../shared-reads.js";
import type { ConsentRow } from "./consents.js";
import type { UserRow } from "./users.js";

/** What every update needs before its handlers run, as stored when it began. */
export interface UpdateStart {
  /** The update was handled before (a redelivery). */
  processed: boolean;
  user: UserRow | undefined;
  /** The sender's consent to the privacy notice, as stored. */
  consent: ConsentRow | undefined;
  draft: Omit<Selectable<DraftsTable>, "user_id"> | undefined;
  /** The chat's conversation state as stored (sealed), when there is one. */
  conversation: string | undefined;
  /** The counters of the rarely changed tables (settings, directory): what the bot kept of them serves if equal. */
  epochs: Epochs;
}

export interface UpdateStartKeys {
  updateId: number;
  /** The sender: their user row and draft (none when the update has no sender). */
  userId?: number;
  /** The conversation state's key for the chat (none outside private chats). */
  conversationKey?: string;
}

const startRow = precompiled(
  { updateId: "number", userId: "number", conversationKey: "string" },
  (db: Db, keys: { updateId: number; userId: number; conversationKey: string }) =>
    db
      .selectFrom(sql<{ one: number }>`(select 1 as one)`.as("k"))
      .leftJoin("processed_updates as p", (j) => j.on("p.update_id", "=", keys.updateId))
      .leftJoin("users as u", (j) => j.on("u.id", "=", keys.userId))
      .leftJoin("drafts as d", (j) => j.on("d.user_id", "=", keys.userId))
      .leftJoin("consents as cs", (j) => j.on("cs.user_id", "=", keys.userId))
      .leftJoin("conversation_state as c", (j) => j.on("c.key", "=", keys.conversationKey))
      .leftJoin("cache_epochs as es", (j) => j.on("es.name", "=", "settings"))
      .leftJoin("cache_epochs as ed", (j) => j.on("ed.name", "=", "directory"))
      .select([
        "p.update_id as processedId",
        "u.id",
        "u.language",
        "u.language_code",
        "u.first_seen",
        "u.last_seen",
        "u.blocked",
        "u.subscribed",
        "d.user_id as draftUserId",
        "d.data as draftData",
        "d.revision as draftRevision",
        "d.created_at as draftCreatedAt",
        "d.updated_at as draftUpdatedAt",
        "d.token as draftToken",
        "cs.version as consentVersion",
        "cs.given_at as consentGivenAt",
        "c.value as conversation",
        "es.epoch as settingsEpoch",
        "ed.epoch as directoryEpoch",
      ]),
);

/**
 * The processed mark, the sender's row, their draft and consent, the chat's conversation state and the cache epochs
 * in one statement instead of six: an update needs most of them, and on PostgreSQL each statement is a round trip.
 * Every update runs it, so it is compiled once (data/precompiled.ts). A key that is absent matches nothing (ids and
 * keys are never 0 or empty).
 */
export async function readUpdateStart(db: Db, keys: UpdateStartKeys): Promise<UpdateStart> {
  const [row] = await startRow(db, {
    updateId: keys.updateId,
    userId: keys.userId ?? 0,
    conversationKey: keys.conversationKey ?? "",
  });
  if (!row) throw new Error("the update's first read returned no row");
  return {
    processed: row.processedId !== null,
    user:
      row.id === null
        ? undefined
        : {
            id: row.id,
            language: row.language,
            language_code: row.language_code,
            first_seen: row.first_seen ?? "",
            last_seen: row.last_seen ?? "",
            blocked: row.blocked ?? 0,
            subscribed: row.subscribed ?? 0,
          },
    consent:
      row.consentVersion === null || keys.userId === undefined
        ? undefined
        : { user_id: keys.userId, version: row.consentVersion, given_at: row.consentGivenAt ?? "" },
    draft:
      row.draftUserId === null
        ? undefined
        : {
            data: row.draftData ?? "",
            revision: row.draftRevision ?? 0,
            created_at: row.draftCreatedAt ?? "",
            updated_at: row.draftUpdatedAt ?? "",
            token: row.draftToken,
          },
    conversation: row.conversation ?? undefined,
    epochs: {
      ...(row.settingsEpoch === null ? {} : { settings: Number(row.settingsEpoch) }),
      ...(row.directoryEpoch === null ? {} : { directory: Number(row.directoryEpoch) }),
    },
  };
}
