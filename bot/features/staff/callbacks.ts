import { z } from "zod";
import { DocumentCodeSchema, REFUSAL_GROUNDS, type RefusalGround } from "../../../rules/index.js";
import { callbackCodec, zId } from "../../callback-data.js";

/**
 * R14: the refusal grounds a reviewer picks from are the rules' own (REFUSAL_GROUNDS, one list to keep), then
 * "other", which asks for a written reason. Each has staff.reject_buttons / reject_reasons / reject_next texts.
 */
export type RejectReason = RefusalGround | "other";
export const REJECT_REASONS = [
  ...(Object.keys(REFUSAL_GROUNDS) as RefusalGround[]),
  "other",
] as readonly RejectReason[];

export const CARD_ACTIONS = ["open", "back", "approve", "reject", "docs", "iin", "files", "queue"] as const;

export const queueCb = callbackCodec("sq", [zId]);
export const cardCb = callbackCodec("sc", [z.enum(CARD_ACTIONS), zId]);
export const rejectCb = callbackCodec("sr", [z.enum(REJECT_REASONS), zId]);
export const askDocCb = callbackCodec("sd", [DocumentCodeSchema, zId]);
export const roleCb = callbackCodec("sa", [z.enum(["admin", "support", "operator", "cancel"]), zId]);
export const noteCb = callbackCodec("sn", [z.literal("cancel")]);
