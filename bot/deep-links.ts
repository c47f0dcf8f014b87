import { createHash } from "node:crypto";
import { z } from "zod";
import { LOCALES } from "./i18n.js";

// Deep links `https://t.me/<bot>?start=<payload>`: Telegram hands the payload to /start. A payload is at most 64
// characters of A-Z a-z 0-9 _ - (Bot API, "Deep linking"); anything else a person may type after /start by hand.

export const START_PAYLOAD_MAX = 64;
const PAYLOAD_CHARS = /^[A-Za-z0-9_-]+$/;

/** A clinic id as the directory stores it: the shipped dataset and the importer both allow only these (≤ 64). */
export const CLINIC_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const CLINIC_PREFIX = "c_";
const DIGEST_PREFIX = "h_";
/** Longest id that fits `c_<id>` in 64 characters. */
export const CLINIC_ID_IN_LINK_MAX = START_PAYLOAD_MAX - CLINIC_PREFIX.length;
/** 22 base64url characters = 132 bits of SHA-256: no two clinic ids of one directory share them. */
const DIGEST_LENGTH = 22;

/**
 * An id longer than 62 characters cannot follow `c_`, and no lossless encoding fits: the id's alphabet is the
 * payload's own. Such a clinic's link carries `h_<digest of the id>` instead; the bot finds the clinic among the
 * few ids that long (clinicIdForDigest).
 */
export function clinicIdDigest(clinicId: string): string {
  return createHash("sha256").update(clinicId, "utf8").digest("base64url").slice(0, DIGEST_LENGTH);
}

export const StartLinkSchema = z.discriminatedUnion("kind", [
  /** Plain /start, nothing after it. */
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("clinic"), clinicId: z.string().regex(CLINIC_ID) }),
  /** A clinic whose id is too long for `c_<id>`: resolve with clinicIdForDigest. */
  z.object({ kind: z.literal("clinic_digest"), digest: z.string().regex(/^[A-Za-z0-9_-]{22}$/) }),
  z.object({ kind: z.literal("apply") }),
  z.object({ kind: z.literal("check") }),
  z.object({ kind: z.literal("language"), locale: z.enum(LOCALES) }),
  /** Anything else: forged, mistyped or from an older bot. The raw text is dropped, it may hold personal data. */
  z.object({ kind: z.literal("unknown") }),
]);

export type StartLink = z.infer<typeof StartLinkSchema>;

const FIXED = { apply: { kind: "apply" }, check: { kind: "check" } } as const;

/** Any text after /start → what it asks for; never throws. */
export function parseStartPayload(payload: string): StartLink {
  const p = payload.trim();
  if (p === "") return { kind: "none" };
  if (p.length > START_PAYLOAD_MAX || !PAYLOAD_CHARS.test(p)) return { kind: "unknown" };
  if (p === "apply" || p === "check") return FIXED[p];
  if (p === "ru" || p === "kk") return { kind: "language", locale: p };
  if (p.startsWith(CLINIC_PREFIX)) {
    const clinicId = p.slice(CLINIC_PREFIX.length);
    return CLINIC_ID.test(clinicId) ? { kind: "clinic", clinicId } : { kind: "unknown" };
  }
  if (p.startsWith(DIGEST_PREFIX)) {
    const digest = p.slice(DIGEST_PREFIX.length);
    return digest.length === DIGEST_LENGTH ? { kind: "clinic_digest", digest } : { kind: "unknown" };
  }
  return { kind: "unknown" };
}

/** The payload of a link; "none" and "unknown" give "" (a plain /start). Throws on an id the directory cannot hold. */
export function formatStartPayload(link: StartLink): string {
  switch (link.kind) {
    case "none":
    case "unknown":
      return "";
    case "apply":
    case "check":
      return link.kind;
    case "language":
      return link.locale;
    case "clinic":
      if (!CLINIC_ID.test(link.clinicId)) throw new Error(`not a clinic id: ${JSON.stringify(link.clinicId)}`);
      return link.clinicId.length <= CLINIC_ID_IN_LINK_MAX
        ? `${CLINIC_PREFIX}${link.clinicId}`
        : `${DIGEST_PREFIX}${clinicIdDigest(link.clinicId)}`;
    case "clinic_digest":
      return `${DIGEST_PREFIX}${link.digest}`;
  }
}

/**
 * The start payload as a zod codec: `decode` takes any text after /start (never fails: unknown text is
 * `{ kind: "unknown" }`), `encode` gives the payload of a link.
 */
export const StartPayload = z.codec(z.string(), StartLinkSchema, {
  decode: (text) => parseStartPayload(text),
  encode: (link) => formatStartPayload(link),
});

/** A clinic's link payload: `c_<id>`, or `h_<digest>` for an id over 62 characters. */
export function clinicPayload(clinicId: string): string {
  return formatStartPayload({ kind: "clinic", clinicId });
}

/** A bot's public username (5–32 of A-Z a-z 0-9 _), with or without the leading @. */
export const BotUsername = z
  .string()
  .trim()
  .transform((s) => s.replace(/^@/, ""))
  .pipe(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "is not a Telegram username (5–32 of A-Z a-z 0-9 _)"));

/** `https://t.me/<bot>?start=<payload>`; a plain `https://t.me/<bot>` for an empty payload. */
export function startLink(botUsername: string, link: StartLink): string {
  const username = BotUsername.parse(botUsername);
  const payload = formatStartPayload(link);
  return payload ? `https://t.me/${username}?start=${payload}` : `https://t.me/${username}`;
}

export function clinicLink(botUsername: string, clinicId: string): string {
  return startLink(botUsername, { kind: "clinic", clinicId });
}

/** Which of the given long ids (over 62 characters: only those get digests) a digest stands for. */
export function clinicIdForDigest(digest: string, longIds: Iterable<string>): string | undefined {
  for (const id of longIds) if (id.length > CLINIC_ID_IN_LINK_MAX && clinicIdDigest(id) === digest) return id;
  return undefined;
}
