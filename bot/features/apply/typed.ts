import type { BaseContext } from "../../context.js";
import { LOCALES } from "../../i18n.js";

/** Lower case letters and digits only, so "✅ Готово!" and "готово" read the same. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface TypedOption {
  /** The parts of the button this option stands for. */
  parts: string[];
  /** Locale key of its label; matched in both languages (people mix them). */
  label: string;
  /** Other obvious words for it, over the normalised text. */
  words?: RegExp;
}

/**
 * The option a typed answer names: its number in the list as shown, its label in either language, one of its own
 * words, or the start (3 letters or more) of exactly one label. Null when it names none or several.
 */
export function matchTyped(ctx: BaseContext, text: string, options: TypedOption[]): string[] | null {
  const typed = normalise(text);
  if (!typed) return null;
  // A number only as written alone ("2", "2."), not digits fished out of other text.
  const number = /^(\d{1,2})\.?$/.exec(text.trim());
  if (number) return options[Number(number[1]) - 1]?.parts ?? null;
  const labels = options.map((o) => LOCALES.map((l) => normalise(ctx.deps.i18n.t(l)(o.label))));
  const exact = options.find((_, i) => labels[i]?.includes(typed));
  if (exact) return exact.parts;
  const byWord = options.find((o) => o.words?.test(typed));
  if (byWord) return byWord.parts;
  if (typed.length < 3) return null;
  const starts = options.filter((_, i) => labels[i]?.some((l) => l.startsWith(typed)));
  return starts.length === 1 ? (starts[0]?.parts ?? null) : null;
}
