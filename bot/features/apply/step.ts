import type { BaseContext } from "../../context.js";
import type { ApplyConversation } from "./ask.js";
import type { Draft } from "../../application/draft.js";

/** What a step did: move on with answers, go back, stop, or (summary) edit one answer or submit. */
export type StepResult =
  | { kind: "next"; patch: Partial<Draft>; ctx: BaseContext }
  | { kind: "back"; ctx: BaseContext }
  | { kind: "cancel"; ctx: BaseContext }
  | { kind: "goto"; step: Draft["step"]; patch?: Partial<Draft>; ctx: BaseContext }
  | { kind: "edit"; step: Draft["step"]; ctx: BaseContext }
  | { kind: "submitted"; ctx: BaseContext };

export interface StepEnv {
  conversation: ApplyConversation;
  ctx: BaseContext;
  draft: Draft;
}

export type StepHandler = (env: StepEnv) => Promise<StepResult>;
