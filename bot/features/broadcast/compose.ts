import { deleteComposeDraft, loadComposeDraft, saveComposeDraft } from "../../../data/repositories/broadcasts.js";
import type { BaseContext } from "../../context.js";
import type { ComposeConversation, Step } from "./compose-ask.js";
import { languageStep, audienceStep, settlementStep } from "./compose-audience.js";
import { parseDraft, type StepName } from "./compose-draft.js";
import { summaryStep } from "./compose-send.js";
import { textStep } from "./compose-text.js";
import { nightStep, whenStep } from "./compose-when.js";

export { parseWhen } from "./when.js";
export type { ComposeConversation } from "./compose-ask.js";

export const COMPOSE_ID = "broadcast-compose";

// Step 1 the audience (an audience by language needs one text), then its texts, then the summary; scheduling and
// the night warning belong to the summary's step.
const STEPS: Record<StepName, Step> = {
  audience: audienceStep,
  settlement: settlementStep,
  language: languageStep,
  ru: textStep("ru"),
  kk: textStep("kk"),
  summary: summaryStep,
  when: whenStep,
  night: nightStep,
};

/** /broadcast: each answer is saved to broadcast_drafts, so a restart or an expired wait resumes at the same step. */
export async function composeConversation(conversation: ComposeConversation, ctx: BaseContext): Promise<void> {
  let draft = parseDraft(await conversation.external((o) => loadComposeDraft(o.deps.db, o.from?.id ?? 0)));
  let c = ctx;
  for (;;) {
    const r = await STEPS[draft.step](conversation, c, draft);
    c = r.ctx;
    const next = r.draft;
    if (!next) {
      await conversation.external((o) => deleteComposeDraft(o.deps.db, o.from?.id ?? 0));
      return;
    }
    draft = next;
    await conversation.external((o) =>
      saveComposeDraft(o.deps.db, o.from?.id ?? 0, next, o.deps.clock.now().toISOString()),
    );
  }
}
