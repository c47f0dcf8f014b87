/**
 * What a document upload may be, for the application and for documents a reviewer asks for later: one rule, so a
 * file taken at one step is never refused at the other.
 */
// HEIC/HEIF: how an iPhone sends a photo as a file; staff download it like any other document.
export const ACCEPTED_MIME = ["application/pdf", "image/jpeg", "image/png", "image/heic", "image/heif"] as const;
export const MAX_FILE_BYTES = 20 * 1024 * 1024; // what a bot may download later (getFile limit)

// Some phones send a HEIC photo as a nameless type ("application/octet-stream"): its name says what it is.
const HEIC_NAME = /\.(heic|heif)$/i;

export function isAcceptedDocument(mime: string | undefined, size: number | undefined, fileName?: string): boolean {
  const known =
    (ACCEPTED_MIME as readonly string[]).includes(mime ?? "") ||
    (mime === "application/octet-stream" && HEIC_NAME.test(fileName ?? ""));
  return known && (size ?? 0) <= MAX_FILE_BYTES;
}
