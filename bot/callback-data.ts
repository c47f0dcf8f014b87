import { z } from "zod";

const MAX_BYTES = 64; // Telegram's limit for callback_data

function hasPrefix(data: string, prefix: string): boolean {
  return data === prefix || data.startsWith(`${prefix}:`);
}

/**
 * The prefixes the features declared (each answers its own buttons, valid or forged): a waiting conversation passes
 * those buttons on and answers every other button itself. One per bot, built from the features' lists.
 */
export class CallbackRegistry {
  private readonly prefixes: readonly string[];

  constructor(codecs: readonly { prefix: string }[]) {
    this.prefixes = [...new Set(codecs.map((c) => c.prefix))];
  }

  /** True when a feature declared this callback's prefix, so its handler answers it. */
  isDeclared(data: string | undefined): boolean {
    return data !== undefined && this.prefixes.some((p) => hasPrefix(data, p));
  }
}

export interface CallbackCodec<T extends unknown[]> {
  readonly prefix: string;
  /** Matches every callback of this kind, valid or forged, so none falls through to other handlers. */
  readonly filter: RegExp;
  data(...parts: T): string;
  /** The validated parts, or null for forged, stale or malformed data. */
  parse(data: string | undefined): T | null;
}

/** Callback data as `prefix:part:part`, validated with zod at the edge. */
export function callbackCodec<const S extends readonly [z.ZodType, ...z.ZodType[]] | readonly []>(
  prefix: string,
  parts: S,
): CallbackCodec<{ -readonly [K in keyof S]: z.output<S[K]> } & unknown[]> {
  type Parts = { -readonly [K in keyof S]: z.output<S[K]> } & unknown[];
  const schema = z.tuple(parts as unknown as [z.ZodType, ...z.ZodType[]]);
  return {
    prefix,
    filter: new RegExp(`^${prefix}(:|$)`),
    data(...values: Parts) {
      const s = [prefix, ...values.map(String)].join(":");
      if (Buffer.byteLength(s) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${prefix}`);
      return s;
    },
    parse(data) {
      if (data === undefined || Buffer.byteLength(data) > MAX_BYTES) return null;
      const [head, ...rest] = data.split(":");
      if (head !== prefix) return null;
      const r = schema.safeParse(rest);
      return r.success ? (r.data as Parts) : null;
    },
  };
}

/** Decimal ids in callback data. */
export const zId = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** The parts after `prefix:` in shape (a zod schema over the parts), or null: the parse of `callbackUnion`. */
export function parseParts<T extends string[]>(
  prefix: string,
  schema: z.ZodType<T>,
  data: string | undefined,
): T | null {
  if (data === undefined || Buffer.byteLength(data) > MAX_BYTES || !data.startsWith(`${prefix}:`)) return null;
  const r = schema.safeParse(data.slice(prefix.length + 1).split(":"));
  return r.success ? r.data : null;
}

/**
 * Callback data `prefix:part:…` whose parts take one of several shapes (a zod schema over the parts, e.g. a union of
 * tuples): the buttons of one question. The prefix may itself hold colons ("a:region"). Not declared: whoever asks
 * the question answers its buttons.
 */
export function callbackUnion<T extends string[]>(prefix: string, schema: z.ZodType<T>): CallbackCodec<T> {
  return {
    prefix,
    filter: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:|$)`),
    data(...values: T) {
      const s = [prefix, ...values].join(":");
      if (Buffer.byteLength(s) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${prefix}`);
      return s;
    },
    parse: (data) => parseParts(prefix, schema, data),
  };
}
