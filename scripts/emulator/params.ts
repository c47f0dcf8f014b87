// Uniform access to call parameters whatever the transport: JSON keeps types, while query strings,
// urlencoded and multipart bodies carry strings (objects as JSON text), exactly as Telegram accepts.
import { badRequest } from "./errors.js";
import type { UploadedFile } from "./multipart.js";

export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly uploads: ReadonlyMap<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  string(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n)) throw badRequest(`invalid ${name} specified`);
    return n;
  }

  float(name: string): number | undefined {
    return this.int(name);
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    return v === true || v === "true" || v === "1" || v === 1;
  }

  /** Objects and arrays: given as-is in JSON bodies, as JSON text elsewhere. */
  json(name: string, onError = `can't parse ${name} JSON object`): unknown {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw badRequest(onError);
    }
  }

  /** chat_id may be a number, a numeric string or "@username". */
  chatId(name = "chat_id"): number | string {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") throw badRequest(`${name} is empty`);
    if (typeof v === "number") return v;
    const s = String(v);
    return /^-?\d+$/.test(s) ? Number(s) : s;
  }

  /**
   * An InputFile-ish parameter: an uploaded part (directly under this name or via "attach://x"),
   * or a string (file_id or URL) left for the caller to resolve.
   */
  file(name: string): UploadedFile | string | undefined {
    const direct = this.uploads.get(name);
    if (direct) return direct;
    const v = this.string(name);
    if (v === undefined) return undefined;
    return this.resolveAttach(v);
  }

  resolveAttach(v: string): UploadedFile | string {
    if (!v.startsWith("attach://")) return v;
    const part = this.uploads.get(v.slice("attach://".length));
    if (!part) throw badRequest(`wrong file identifier/HTTP URL specified`);
    return part;
  }
}

/** Objects as they appear in the call log: uploads summarised, never dumped as bytes. */
export function loggableParams(p: Params): Record<string, unknown> {
  const out: Record<string, unknown> = { ...p.raw };
  for (const [name, f] of p.uploads) {
    out[name] = { upload: f.filename, size: f.data.length, content_type: f.contentType };
  }
  return out;
}
