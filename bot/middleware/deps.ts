import type { MiddlewareFn } from "grammy";
import type { BaseContext, Deps } from "../context.js";
import { lazyChild } from "../logger.js";

export function injectDeps<C extends BaseContext>(deps: Deps): MiddlewareFn<C> {
  return (ctx, next) => {
    ctx.deps = deps;
    // Only ids go to logs: never text, names or IINs.
    ctx.log = lazyChild(deps.log, { update_id: ctx.update.update_id });
    return next();
  };
}
