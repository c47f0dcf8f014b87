import { crc32, inflateSync } from "node:zlib";
import { PNG } from "pngjs";

// Just enough of PDF (ISO 32000) to check a poster by its structure: objects through the xref table, dictionaries
// by key, Flate streams, images, fonts with their ToUnicode maps, and the text a content stream shows.

export interface PdfObject {
  dict: string;
  /** Decoded (inflated) stream data. */
  stream?: Buffer;
  /** The stream as stored. */
  raw?: Buffer;
}

export interface Pdf {
  objects: Map<number, PdfObject>;
  trailer: string;
  get(ref: string | undefined): PdfObject;
}

const REF = /^(\d+) 0 R$/;

/** Reads every object through the cross-reference table; throws when the file is not a whole, consistent PDF. */
export function readPdf(bytes: Buffer): Pdf {
  const text = bytes.toString("latin1");
  if (!text.startsWith("%PDF-1.")) throw new Error("no %PDF- header");
  if (!/%%EOF\s*$/.test(text)) throw new Error("no %%EOF at the end");
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!startxref) throw new Error("no startxref");
  const xrefAt = Number(startxref[1]);
  if (text.slice(xrefAt, xrefAt + 4) !== "xref") throw new Error("startxref does not point at the xref table");
  const section = /^xref\s+(\d+) (\d+)\s+/.exec(text.slice(xrefAt));
  if (!section) throw new Error("bad xref table");
  const first = Number(section[1]);
  const count = Number(section[2]);
  const entries = text.slice(xrefAt + section[0].length).split(/\r?\n/);
  const objects = new Map<number, PdfObject>();
  for (let i = 0; i < count; i++) {
    const [offset, , kind] = (entries[i] ?? "").trim().split(" ");
    if (kind !== "n") continue;
    const n = first + i;
    const at = Number(offset);
    const head = new RegExp(`^${n} 0 obj\\s*`).exec(text.slice(at, at + 32));
    if (!head) throw new Error(`xref entry ${n} does not point at object ${n}`);
    const end = text.indexOf("endobj", at);
    const body = text.slice(at + head[0].length, end);
    const s = /\bstream\r?\n/.exec(body);
    if (!s) {
      objects.set(n, { dict: body.trim() });
      continue;
    }
    const dict = body.slice(0, s.index).trim();
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const start = at + head[0].length + s.index + s[0].length;
    const raw = bytes.subarray(start, start + length);
    objects.set(n, { dict, raw, stream: /\/Filter \/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  const trailer = text.slice(text.indexOf("trailer", xrefAt));
  return {
    objects,
    trailer,
    get(ref) {
      const n = REF.exec((ref ?? "").trim())?.[1];
      const o = n === undefined ? undefined : objects.get(Number(n));
      if (!o) throw new Error(`no object ${ref}`);
      return o;
    },
  };
}

/** A direct value (`/Key 12`, `/Key /Name`, `/Key 7 0 R`, `/Key [..]`) of a dictionary's text. */
export function value(dict: string, key: string): string | undefined {
  const m = new RegExp(`/${key}\\s+(\\d+ 0 R|\\[[^\\]]*\\]|/[\\w+.-]+|[\\d.-]+|\\([^)]*\\))`).exec(dict);
  return m?.[1];
}

/** Names to references of a sub-dictionary such as `/Font << /F1 5 0 R >>`. */
export function namedRefs(dict: string, key: string): Map<string, string> {
  const inner = new RegExp(`/${key}\\s*<<([^>]*)>>`).exec(dict)?.[1] ?? "";
  return new Map([...inner.matchAll(/\/(\w+)\s+(\d+ 0 R)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

export function pages(pdf: Pdf): PdfObject[] {
  return [...pdf.objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o.dict));
}

/** An image XObject as 8-bit gray pixels; Flate data with PNG predictors is undone by a PNG decoder. */
export function grayImage(pdf: Pdf, image: PdfObject): { width: number; height: number; gray: Uint8Array } {
  const width = Number(value(image.dict, "Width"));
  const height = Number(value(image.dict, "Height"));
  if (value(image.dict, "ColorSpace") !== "/DeviceGray" || value(image.dict, "BitsPerComponent") !== "8") {
    throw new Error(`expected an 8-bit gray image: ${image.dict}`);
  }
  const parmsRef = value(image.dict, "DecodeParms");
  const parms = parmsRef?.endsWith(" R") ? pdf.get(parmsRef).dict : image.dict; // by reference or inline
  const predictor = Number(value(parms, "Predictor") ?? 1);
  const data = image.stream ?? Buffer.alloc(0);
  if (predictor < 10) return { width, height, gray: data };
  // The stream holds PNG rows (a filter byte each): wrap them as a PNG file and let pngjs unfilter them.
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", image.raw ?? Buffer.alloc(0)), // a Flate stream is a zlib stream, as IDAT's
    chunk("IEND", Buffer.alloc(0)),
  ]);
  const decoded = PNG.sync.read(png);
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = decoded.data[i * 4] ?? 0;
  return { width, height, gray };
}

/** A font's ToUnicode CMap as code → text (bfchar and both bfrange forms). */
export function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (h: string) => parseInt(h, 16);
  const str = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map(hex));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? "").matchAll(/<(\w+)>\s*<(\w+)>/g)) map.set(hex(m[1] ?? ""), str(m[2] ?? ""));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? "").matchAll(/<(\w+)>\s*<(\w+)>\s*(\[[^\]]*\]|<\w+>)/g)) {
      const [lo, hi, dst] = [hex(m[1] ?? ""), hex(m[2] ?? ""), m[3] ?? ""];
      if (dst.startsWith("[")) {
        [...dst.matchAll(/<(\w+)>/g)].forEach((d, i) => map.set(lo + i, str(d[1] ?? "")));
      } else {
        const base = hex(dst.slice(1, -1));
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCodePoint(base + c - lo));
      }
    }
  }
  return map;
}

/** The text a content stream shows, a line per text object, through each font's ToUnicode (2-byte codes). */
export function showText(content: string, fonts: Map<string, Map<number, string>>): string[] {
  const lines: string[] = [];
  for (const bt of content.matchAll(/BT([\s\S]*?)ET/g)) {
    let font: Map<number, string> | undefined;
    let line = "";
    for (const op of (bt[1] ?? "").matchAll(/\/(\w+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ|<(\w*)>\s*Tj/g)) {
      if (op[1]) {
        font = fonts.get(op[1]);
        continue;
      }
      const hexes = op[2] !== undefined ? [...op[2].matchAll(/<(\w*)>/g)].map((m) => m[1] ?? "") : [op[3] ?? ""];
      for (const h of hexes) {
        for (const code of h.match(/.{4}/g) ?? []) line += font?.get(parseInt(code, 16)) ?? "\uFFFD";
      }
    }
    lines.push(line);
  }
  return lines;
}
