// The page itself: a handful of files from ./static, with a strict content security policy (only our own
// scripts, styles, images and API; nothing from the network, no inline code).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Emulator } from "../emulator/index.js";

const DIR = resolve(import.meta.dirname, "static");
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function installStatic(tg: Emulator): void {
  tg.route("GET", /^\/(static\/[a-z0-9-]+\.(?:js|css|svg))?$/, async (_req, res, url) => {
    const name = url.pathname === "/" ? "index.html" : url.pathname.slice("/static/".length);
    const ext = name.split(".").pop() ?? "";
    let body: Buffer;
    try {
      body = await readFile(resolve(DIR, name));
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[ext] ?? "application/octet-stream",
      "content-length": body.length,
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      // The page is small and changes with the code: always fresh.
      "cache-control": "no-cache",
    });
    res.end(body);
  });
}
