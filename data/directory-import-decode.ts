import { TextDecoder } from "node:util";
import { ImportFileError } from "./directory-import-files.js";

// The registry file's bytes to text. Excel on Russian Windows saves "CSV" in Windows-1251, everything else sends
// UTF-8: read either, and refuse the rest (UTF-16, binary) rather than import mojibake into the directory.

export type FileEncoding = "utf-8" | "windows-1251";
export const NOT_TEXT = "the file is not UTF-8 or Windows-1251";

/** Where decodeFile says which encoding it read (known once the first non-ASCII byte is seen). */
export interface DecodedAs {
  encoding?: FileEncoding;
}

const BOM = [0xef, 0xbb, 0xbf];
const CYRILLIC_LETTER = /[\u0400-\u04ff]/u;
// Control characters other than tab, CR and LF never occur in a registry file; cp1251 maps none of its letters there.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

function isUtf8(bytes: Uint8Array): boolean {
  try {
    // stream: a character cut at the chunk's end is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Bytes that are not UTF-8 read as cp1251 when most of their non-ASCII characters are Cyrillic letters. */
function looksCp1251(bytes: Uint8Array): boolean {
  const text = new TextDecoder("windows-1251").decode(bytes);
  if (CONTROL.test(text)) return false;
  let high = 0;
  let cyrillic = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) continue;
    high++;
    if (CYRILLIC_LETTER.test(ch)) cyrillic++;
  }
  return high > 0 && cyrillic / high >= 0.8;
}

function decide(bytes: Uint8Array): FileEncoding {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportFileError(NOT_TEXT); // UTF-16's byte order mark
  }
  if (isUtf8(bytes)) return "utf-8";
  if (looksCp1251(bytes)) return "windows-1251";
  throw new ImportFileError(NOT_TEXT);
}

/**
 * The file's text, chunk by chunk, without holding it whole. Until the first non-ASCII byte the text is the same in
 * both encodings; that chunk decides. Strings pass through as they are (UTF-8 already). Throws NOT_TEXT on a NUL
 * byte (UTF-16, binary) or bytes that are neither encoding.
 */
export async function* decodeFile(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  found: DecodedAs,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let first = true;
  for await (const chunk of source) {
    if (typeof chunk === "string") {
      found.encoding = "utf-8";
      yield chunk;
      continue;
    }
    let bytes = chunk;
    if (first && bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b)) {
      found.encoding = "utf-8";
      decoder = new TextDecoder("utf-8", { fatal: true });
      bytes = bytes.subarray(3);
    }
    first = false;
    if (bytes.includes(0)) throw new ImportFileError(NOT_TEXT);
    if (!decoder) {
      if (bytes.every((b) => b < 0x80)) {
        yield Buffer.from(bytes).toString("latin1");
        continue;
      }
      found.encoding = decide(bytes);
      decoder = new TextDecoder(found.encoding, { fatal: found.encoding === "utf-8" });
    }
    try {
      yield decoder.decode(bytes, { stream: true });
    } catch {
      throw new ImportFileError(NOT_TEXT); // UTF-8 at first, something else further on
    }
  }
  try {
    const rest = decoder?.decode() ?? "";
    if (rest) yield rest;
  } catch {
    throw new ImportFileError(NOT_TEXT);
  }
  found.encoding ??= "utf-8";
}
