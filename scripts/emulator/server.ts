// HTTP front: Telegram's URL shapes, every body encoding grammY (or curl) may use, the call pipeline
// (faults → blocked chat → rate limits → method), file downloads, and extra routes for a sandbox.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, BLOCKED } from "./errors.js";
import type { Faults } from "./faults.js";
import type { Handler } from "./methods/context.js";
import { boundaryOf, parseMultipart } from "./multipart.js";
import { Params, loggableParams } from "./params.js";
import type { State } from "./state.js";
import type { UpdateQueue } from "./updates.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface ApiAnswer {
  status: number;
  body:
    | { ok: true; result: unknown }
    | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };
}

const BODY_LIMIT = 60 * 1024 * 1024;
/** Methods that work on a blocked chat (they don't reach the user). */
const IGNORE_BLOCK = new Set(["getchat", "getchatmenubutton", "setchatmenubutton"]);

export class EmulatorServer {
  readonly http: Server;
  private readonly methods = new Map<string, { name: string; handler: Handler }>();
  private readonly routes: Array<{ method: string; path: string | RegExp; handler: RouteHandler }> = [];
  private callSeq = 0;

  constructor(
    private readonly state: State,
    private readonly queue: UpdateQueue,
    private readonly faults: Faults,
    methods: Record<string, Handler>,
    private readonly maxCallLog = 10_000,
  ) {
    for (const [name, handler] of Object.entries(methods)) this.methods.set(name.toLowerCase(), { name, handler });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(e instanceof Error ? e.message : String(e));
      });
    });
  }

  /** Registers an extra route (exact path or RegExp), checked before the Bot API routes. */
  route(method: string, path: string | RegExp, handler: RouteHandler): void {
    this.routes.push({ method: method.toUpperCase(), path, handler });
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => resolve());
    });
    const addr = this.http.address() as AddressInfo;
    return `http://${host}:${addr.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = (req.method ?? "GET").toUpperCase();
    for (const r of this.routes) {
      const hit = typeof r.path === "string" ? r.path === url.pathname : r.path.test(url.pathname);
      if (hit && (r.method === "*" || r.method === method)) return r.handler(req, res, url);
    }
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(res, file[1] ?? "", decodeURIComponent(file[2] ?? ""));
    const api = /^\/bot([^/]+)\/([A-Za-z0-9_]*)$/.exec(url.pathname);
    if (!api) return send(res, { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
    if (api[1] !== this.state.token) {
      req.resume();
      return send(res, { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    }
    let params: Params;
    try {
      params = await readParams(req, url);
    } catch (e) {
      const description = `Bad Request: ${e instanceof Error ? e.message : "can't parse request"}`;
      return send(res, { status: 400, body: { ok: false, error_code: 400, description } });
    }
    const ac = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) ac.abort();
    });
    const answer = await this.call(api[2] ?? "", params, ac.signal);
    if (!ac.signal.aborted) send(res, answer);
  }

  /** The call pipeline, also used for webhook replies and in-process calls. */
  async call(method: string, params: Params, signal: AbortSignal = new AbortController().signal): Promise<ApiAnswer> {
    const entry = this.methods.get(method.toLowerCase());
    const name = entry?.name ?? method;
    let answer: ApiAnswer;
    try {
      if (!entry) throw new ApiError(404, "Not Found");
      const rawChat = params.raw["chat_id"];
      const chatId = typeof rawChat === "number" || typeof rawChat === "string" ? rawChat : undefined;
      await this.faults.apply(name, chatId);
      if (chatId !== undefined && !IGNORE_BLOCK.has(name.toLowerCase())) {
        const target = this.state.chats.get(Number(chatId));
        if (target?.blocked) throw new ApiError(403, BLOCKED);
      }
      this.faults.checkRate(name, chatId);
      const result = await entry.handler({ p: params, state: this.state, queue: this.queue, signal });
      answer = { status: 200, body: { ok: true, result } };
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : new ApiError(500, `Internal Server Error: ${e instanceof Error ? e.message : String(e)}`);
      answer = {
        status: err.code,
        body: {
          ok: false,
          error_code: err.code,
          description: err.description,
          ...(err.parameters ? { parameters: err.parameters } : {}),
        },
      };
    }
    this.record(name, params, answer);
    return answer;
  }

  private record(method: string, params: Params, answer: ApiAnswer): void {
    const b = answer.body;
    this.faults.count(method, b.ok ? undefined : b.error_code);
    const event = {
      seq: ++this.callSeq,
      method,
      params: loggableParams(params),
      ok: b.ok,
      at: this.state.now(),
      ...(b.ok
        ? { result: b.result }
        : {
            error: {
              error_code: b.error_code,
              description: b.description,
              ...(b.parameters ? { parameters: b.parameters } : {}),
            },
          }),
    };
    this.state.calls.push(event);
    if (this.state.calls.length > this.maxCallLog) this.state.calls.shift();
    this.state.events.emit("call", event);
  }

  private download(res: ServerResponse, token: string, path: string): void {
    const f = token === this.state.token ? this.state.files.byFilePath(path) : undefined;
    if (!f) return send(res, { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
    const bytes = f.bytes();
    res.writeHead(200, { "content-type": f.mime_type ?? "application/octet-stream", "content-length": bytes.length });
    res.end(bytes);
  }
}

function send(res: ServerResponse, a: ApiAnswer): void {
  const body = JSON.stringify(a.body);
  res.writeHead(a.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > BODY_LIMIT) throw new Error("request entity too large");
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Query string, then the body (JSON, urlencoded or multipart) on top. */
async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const raw: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return new Params(raw);
  if (type.startsWith("application/json")) {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("JSON object expected");
    return new Params({ ...raw, ...(parsed as Record<string, unknown>) });
  }
  if (type.startsWith("multipart/form-data")) {
    const boundary = boundaryOf(req.headers["content-type"] ?? "");
    if (!boundary) throw new Error("multipart boundary is missing");
    const { fields, files } = parseMultipart(body, boundary);
    return new Params({ ...raw, ...fields }, files);
  }
  return new Params({ ...raw, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) });
}
