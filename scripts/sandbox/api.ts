// The page's API on the emulator's own HTTP server: read a persona's chat, act as that persona through the
// emulator's scripted users (the bot sees ordinary Telegram updates), fetch stored files, follow live events.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Emulator, ScriptedUser } from "../emulator/index.js";
import { EventHub } from "./events.js";
import { HttpError, checkOrigin, num, readBody, readJson, sendJson, str } from "./http.js";
import type { LocationPreset } from "./locations.js";
import { PERSONAS, type Persona } from "./personas.js";
import { startPayloadOf } from "./start-link.js";
import { chatMessages, commandMenu } from "./views.js";

/** Telegram's limit for files a bot may download. */
const UPLOAD_LIMIT = 20 * 1024 * 1024;
const CALLBACK_WAIT_MS = 15_000;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];

export interface ApiOptions {
  tg: Emulator;
  port: number;
  presets: LocationPreset[];
}

type Handler = (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => Promise<void>;

export function installApi({ tg, port, presets }: ApiOptions): { close(): void } {
  const byId = new Map(PERSONAS.map((p) => [p.id, p]));
  const hub = new EventHub(tg, new Set(byId.keys()));

  const persona = (m: RegExpExecArray): { p: Persona; u: ScriptedUser } => {
    const p = byId.get(Number(m[1]));
    if (!p) throw new HttpError(404, "no such persona");
    return { p, u: tg.user({ id: p.id }) };
  };

  const routes: Array<[string, RegExp, Handler]> = [
    [
      "GET",
      /^\/api\/state$/,
      async (_req, res) => {
        sendJson(res, 200, {
          bot: { name: tg.bot.first_name, username: tg.bot.username },
          personas: PERSONAS,
          presets,
        });
      },
    ],
    [
      "GET",
      /^\/api\/chats\/(\d+)$/,
      async (_req, res, m) => {
        const { p } = persona(m);
        sendJson(res, 200, { messages: chatMessages(tg, p.id), commands: commandMenu(tg, p.id, p.languageCode) });
      },
    ],
    ["GET", /^\/api\/events$/, async (_req, res) => hub.subscribe(res)],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/send$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const text = str(await readJson(req), "text");
        sendJson(res, 200, { id: u.send(text).message_id });
      },
    ],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/tap$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const text = str(await readJson(req), "text");
        sendJson(res, 200, { id: attempt(() => u.tap(text)).message_id });
      },
    ],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/open-link$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const opened = startPayloadOf(str(await readJson(req), "link", 2048), tg.bot.username ?? "");
        if (!opened.ok) throw new HttpError(400, opened.message, opened.problem);
        // As Telegram does when a person opens the link (or presses START under it in a new chat).
        const sent = opened.payload ? u.command("/start", opened.payload) : u.command("/start");
        sendJson(res, 200, { id: sent.message_id, payload: opened.payload });
      },
    ],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/location$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const body = await readJson(req);
        const latitude = num(body, "latitude");
        const longitude = num(body, "longitude");
        if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) throw new HttpError(400, "coordinates out of range");
        sendJson(res, 200, { id: u.sendLocation(latitude, longitude).message_id });
      },
    ],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/press$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const body = await readJson(req);
        const handle = attempt(() => u.press(str(body, "data", 64), { message: num(body, "message") }));
        // Telegram shows the button as busy until the bot answers; so does the page, then shows the text.
        const answer = await handle.answer({ timeout: CALLBACK_WAIT_MS }).catch(() => undefined);
        sendJson(res, 200, {
          answered: answer !== undefined,
          text: answer?.text ?? null,
          alert: answer?.show_alert === true,
        });
      },
    ],
    [
      "POST",
      /^\/api\/chats\/(\d+)\/upload$/,
      async (req, res, m) => {
        const { u } = persona(m);
        const q = new URL(req.url ?? "/", "http://localhost").searchParams;
        const content = await readBody(req, UPLOAD_LIMIT);
        if (content.length === 0) throw new HttpError(400, "the file is empty");
        const caption = q.get("caption") || undefined;
        const extra = caption ? { caption } : {};
        if (q.get("as") === "photo") {
          if (!IMAGE_TYPES.includes(sniffImage(content) ?? ""))
            throw new HttpError(400, "a photo must be a JPEG, PNG, GIF or WebP image");
          return sendJson(res, 200, { id: u.sendPhoto({ content, ...extra }).message_id });
        }
        const name = (q.get("name") || "document").slice(0, 200);
        const mime = (req.headers["content-type"] ?? "").split(";")[0]?.trim() || "application/octet-stream";
        sendJson(res, 200, { id: u.sendDocument({ file_name: name, mime_type: mime, content, ...extra }).message_id });
      },
    ],
    ["GET", /^\/api\/files\/([\w-]{10,200})$/, async (_req, res, m) => serveFile(tg, res, m[1] ?? "")],
  ];

  tg.route("*", /^\/api\//, async (req, res, url) => {
    try {
      checkOrigin(req, port);
      for (const [method, path, handler] of routes) {
        const match = path.exec(url.pathname);
        if (match && method === req.method) return await handler(req, res, match);
      }
      throw new HttpError(404, "not found");
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      req.resume();
      const code = e instanceof HttpError ? e.code : undefined;
      if (!res.headersSent) sendJson(res, status, { error: e instanceof Error ? e.message : String(e), code });
      else res.end();
    }
  });
  return { close: () => hub.close() };
}

/** The scripted user throws plain errors for a button or keyboard that is not there: a 409 for the page. */
function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(409, (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "");
  }
}

/** Stored bytes: images inline by their real type, anything else only as a download (never rendered by us). */
function serveFile(tg: Emulator, res: ServerResponse, fileId: string): void {
  const f = tg.file(fileId);
  if (!f) throw new HttpError(404, "no such file");
  const image = sniffImage(f.bytes);
  const name = f.info.file_name ?? f.info.file_path.split("/").pop() ?? "file";
  res.writeHead(200, {
    "content-type": image ?? "application/octet-stream",
    "content-length": f.bytes.length,
    "x-content-type-options": "nosniff",
    "cache-control": "private, max-age=3600",
    ...(image ? {} : { "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}` }),
  });
  res.end(f.bytes);
}

function sniffImage(b: Buffer): string | undefined {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (b.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP")
    return "image/webp";
  return undefined;
}
