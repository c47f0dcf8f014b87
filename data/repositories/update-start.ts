import { sql, type Selectable } from "kysely";
import type { Db } from "../db.js";
import type { DraftsTable } from "../schema/requests.js";
import type { UserRow } from "./users.js";

/** What every update needs before its handlers run, as stored when it began. */
export interface UpdateStart {
  /** The update was handled before (a redelivery). */
  processed: boolean;
  user: UserRow | undefined;
  draft: Omit<Selectable<DraftsTable>, "user_id"> | undefined;
  /** The chat's conversation state as stored (sealed), when there is one. */
  conversation: string | undefined;
}

export interface UpdateStartKeys {
  updateId: number;
  /** The sender: their user row and draft (none when the update has no sender). */
  userId?: number;
  /** The conversation state's key for the chat (none outside private chats). */
  conversationKey?: string;
}

/**
 * The processed mark, the sender's row, their draft and the chat's conversation state in one statement instead of
 * four: each update needs them all, and on PostgreSQL each statement is a round trip. A key that is absent matches
 * nothing (ids and keys are never 0 or empty).
 */
export async function readUpdateStart(db: Db, keys: UpdateStartKeys): Promise<UpdateStart> {
  const userId = keys.userId ?? 0;
  const row = await db
    .selectFrom(sql<{ one: number }>`(select 1 as one)`.as("k"))
    .leftJoin("processed_updates as p", (j) => j.on("p.update_id", "=", keys.updateId))
    .leftJoin("users as u", (j) => j.on("u.id", "=", userId))
    .leftJoin("drafts as d", (j) => j.on("d.user_id", "=", userId))
    .leftJoin("conversation_state as c", (j) => j.on("c.key", "=", keys.conversationKey ?? ""))
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
      "c.value as conversation",
    ])
    .executeTakeFirstOrThrow();
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
  };
}
