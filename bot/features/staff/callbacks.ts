import { z } from "zod";
import { DocumentCodeSchema } from "../../../rules/index.js";
import { callbackCodec, zId } from "../../callback-data.js";

/** R14 refusal grounds a reviewer picks from; "other" asks for a written reason. */
export const REJECT_REASONS = [
  "unreliable_data",
  "other_settlement",
  "clinic_full",
  "child_documents_missing",
  "not_eligible",
  "outside_campaign",
  "quota_used",
  "other",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const CARD_ACTIONS = ["open", "back", "approve", "reject", "docs", "iin", "files", "queue"] as const;

export const queueCb = callbackCodec("sq", [zId]);
export const cardCb = callbackCodec("sc", [z.enum(CARD_ACTIONS), zId]);
export const rejectCb = callbackCodec("sr", [z.enum(REJECT_REASONS), zId]);
export const askDocCb = callbackCodec("sd", [DocumentCodeSchema, zId]);
export const roleCb = callbackCodec("sa", [z.enum(["admin", "support", "operator", "cancel"]), zId]);
export const noteCb = callbackCodec("sn", [z.literal("cancel")]);
