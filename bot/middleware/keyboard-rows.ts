import type { Transformer } from "grammy";

type Markup = { inline_keyboard?: unknown[][]; keyboard?: unknown[][] };

/**
 * Builders leave an empty row where a row break meets nothing (optional buttons, pagination at the edges); the
 * Bot API may refuse such keyboards. Every outgoing keyboard is compacted here, once, for all features.
 */
export const dropEmptyKeyboardRows: Transformer = (prev, method, payload, signal) => {
  const p = payload as { reply_markup?: Markup } | undefined;
  const rm = p?.reply_markup;
  if (rm && (rm.inline_keyboard || rm.keyboard)) {
    const compact = (rows: unknown[][] | undefined) => rows?.filter((r) => r.length > 0);
    const reply_markup = { ...rm, inline_keyboard: compact(rm.inline_keyboard), keyboard: compact(rm.keyboard) };
    if (!reply_markup.inline_keyboard) delete reply_markup.inline_keyboard;
    if (!reply_markup.keyboard) delete reply_markup.keyboard;
    return prev(method, { ...payload, reply_markup } as typeof payload, signal);
  }
  return prev(method, payload, signal);
};
