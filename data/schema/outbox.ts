import type { Generated } from "kysely";

/** A message owed to a person after a stored change, sent after the commit (migration 0015). */
export interface OutboxTable {
  id: Generated<number>;
  chat_id: number;
  /** What to say (see data/repositories/outbox.ts): rendered when sent, in the recipient's language then. */
  kind: string;
  request_id: number | null;
  /** JSON of codes the text needs (a status, a flag): never names, IINs or free text. */
  payload: Generated<string>;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** Set while a worker sends it; left set by a crash (the next start sends it again). */
  sending_since: string | null;
  sent_at: string | null;
  /** Given up on (blocked, a chat Telegram refuses, too many failures): why, as an error class, no text. */
  failed_reason: string | null;
}

export interface OutboxTables {
  outbox: OutboxTable;
}
