// Small node:http helpers for the sandbox's page API: bodies with limits, JSON answers, and the checks that keep
// other web pages (and DNS rebinding) from driving the sandbox through the browser.
import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A word the page may show in its own language instead of the message. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new HttpError(413, `the body is larger than ${Math.round(limit / 1024 / 1024)} MB`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
  if (!(req.headers["content-type"] ?? "").startsWith("application/json")) throw new HttpError(415, "JSON expected");
  const body = await readBody(req, 64 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new HttpError(400, "a JSON object expected");
  return parsed as Record<string, unknown>;
}

/** Only our own page on a loopback name may use the API (the Bot API itself is checked by its token). */
export function checkOrigin(req: IncomingMessage, port: number): void {
  const host = req.headers.host ?? "";
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowed.includes(host)) throw new HttpError(403, "the sandbox answers on 127.0.0.1 only");
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.some((a) => origin === `http://${a}`))
    throw new HttpError(403, "cross-origin request refused");
}

export function str(body: Record<string, unknown>, key: string, max = 4096): string {
  const v = body[key];
  if (typeof v !== "string" || v === "" || v.length > max)
    throw new HttpError(400, `"${key}" must be a non-empty string`);
  return v;
}

export function num(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new HttpError(400, `"${key}" must be a number`);
  return v;
}
