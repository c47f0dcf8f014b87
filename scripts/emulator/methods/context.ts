import type { Params } from "../params.js";
import type { State } from "../state.js";
import type { UpdateQueue } from "../updates.js";

export interface CallContext {
  p: Params;
  state: State;
  queue: UpdateQueue;
  /** Aborted when the HTTP client goes away before the answer (used by long polling). */
  signal: AbortSignal;
}

export type Handler = (c: CallContext) => unknown;
