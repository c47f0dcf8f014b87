import { z } from "zod";
import type { OutboxRow } from "../../../data/repositories/outbox.js";
import { getRequest } from "../../../data/repositories/requests.js";
import { getUser } from "../../../data/repositories/users.js";
import type { Deps } from "../../context.js";
import { localeOr, userLocale } from "../../i18n.js";
import type { NoticeRenderers, RenderedNotice } from "../../outbox.js";
import { cardCb } from "./callbacks.js";
import { applicantLocale, decisionText } from "./notify.js";

// The staff feature's queued messages, rendered when the outbox worker sends them (from the request as stored, in
// the recipient's language then). The payload holds codes only; anything else makes the row's message unsendable.
const DecisionPayload = z.object({ status: z.enum(["approved", "rejected", "needs_documents"]) });
const ReceivedPayload = z.object({ back: z.boolean() });

async function requestOf(deps: Deps, row: OutboxRow) {
  return row.request_id === null ? undefined : getRequest(deps.db, row.request_id);
}

function payload<T>(schema: z.ZodType<T>, row: OutboxRow): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(row.payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The decision as it was taken (a request asked for documents may be back in the queue by the time it is sent). */
async function decision(deps: Deps, row: OutboxRow): Promise<RenderedNotice | null> {
  const r = await requestOf(deps, row);
  const p = payload(DecisionPayload, row);
  if (!r || !p) return null;
  const decided = { ...r, status: p.status };
  const text = await decisionText(deps, decided, await applicantLocale(deps, decided));
  return text === null ? null : { text };
}

/** The applicant's document came: back in the queue, or added to a request already back there. */
async function received(deps: Deps, row: OutboxRow): Promise<RenderedNotice | null> {
  const r = await requestOf(deps, row);
  const p = payload(ReceivedPayload, row);
  if (!r || !p) return null;
  const t = deps.i18n.t(userLocale(await getUser(deps.db, row.chat_id), localeOr(r.locale)));
  return { text: t(p.back ? "staff.upload.thanks" : "staff.upload.more", { number: r.number }) };
}

/**
 * The reviewer who asked for the document learns it came, in their language, with the card one tap away (still
 * only if they may review it then: the card checks the role and scope again when opened).
 */
async function toAsker(deps: Deps, row: OutboxRow): Promise<RenderedNotice | null> {
  const r = await requestOf(deps, row);
  if (!r) return null;
  const t = deps.i18n.t(userLocale(await getUser(deps.db, row.chat_id)));
  return {
    text: t("staff.upload.received_for_staff", { number: r.number }),
    keyboard: [[{ text: t("staff.upload.open_card"), callback_data: cardCb.data("open", r.id) }]],
  };
}

export const staffNotices: NoticeRenderers = {
  decision,
  documents_received: received,
  documents_staff: toAsker,
};
