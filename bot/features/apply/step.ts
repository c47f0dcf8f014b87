import type { z } from "zod";
import type { BaseContext } from "../../context.js";
import type { Question, Reply } from "./ask.js";
import type { Draft } from "../../application/draft.js";

/** What a step did with an answer: move on with answers, go back, stop, or (summary) edit one answer or submit. */
export type StepResult =
  /** `say`: a line (HTML) about the answer, said in the next question's message rather than one of its own. */
  | { kind: "next"; patch: Partial<Draft>; say?: string }
  | { kind: "back" }
  | { kind: "cancel" }
  | { kind: "goto"; step: Draft["step"]; patch?: Partial<Draft> }
  | { kind: "edit"; step: Draft["step"] }
  | { kind: "submitted" };

/** Or stay at the step and ask again: a new view of it (another page, a line before the question), answers kept. */
export type Turn<V> = StepResult | { kind: "again"; view: V; patch?: Partial<Draft> };

export interface StepEnv<V> {
  ctx: BaseContext;
  draft: Draft;
  /** Where the step stands between two answers (a page, a line to say first); stored in the draft. */
  view: V;
}

/**
 * One step of the application. Nothing is kept between updates but the draft: each answer rebuilds the question it
 * answers (to check it), handles it, and the flow asks the next question from the draft that results.
 */
export interface Step<V extends object = object> {
  /** The view's shape; `{}` parses to the step's first view. */
  view: z.ZodType<V>;
  question(env: StepEnv<V>): Promise<Question>;
  answer(env: StepEnv<V>, reply: Reply): Promise<Turn<V>>;
}

/** A step bound to one update's context and draft: its view read from the draft (the first view if unreadable). */
export interface BoundStep {
  question(): Promise<Question>;
  answer(reply: Reply): Promise<Turn<object>>;
}
export type StepRunner = (ctx: BaseContext, draft: Draft) => BoundStep;

export function defineStep<V extends object>(step: Step<V>): StepRunner {
  return (ctx, draft) => {
    // A view from an older version of a step, or none yet: the step starts from its first view.
    const parsed = step.view.safeParse(draft.view ?? {});
    const env: StepEnv<V> = { ctx, draft, view: parsed.success ? parsed.data : step.view.parse({}) };
    return { question: () => step.question(env), answer: (reply) => step.answer(env, reply) };
  };
}
