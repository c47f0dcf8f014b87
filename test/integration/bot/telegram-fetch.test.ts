import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBodyOf, retryingFetch, undiciFetch } from "../../../bot/telegram-fetch.js";

interface Seen {
  method: string;
  url: string;
  type: string | undefined;
  body: string;
}

/** A Bot API stand-in on loopback: records each request, answers by the method named in the path. */
function startServer(seen: Seen[], ports: number[] = []): Promise<{ server: Server; root: string }> {
  const server = createServer((req: IncomingMessage, res) => {
    ports.push(req.socket.remotePort ?? 0);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        type: req.headers["content-type"],
        body: Buffer.concat(chunks).toString(),
      });
      if (req.url?.endsWith("/slow")) return; // never answers: the caller's signal must end it
      if (req.url?.endsWith("/big")) {
        // An answer that comes in many reads, a two-byte letter at every boundary it might be cut on.
        res.writeHead(200, { "content-type": "application/json" });
        res.write(`{"ok":true,"result":"`);
        for (let i = 0; i < 200; i++) res.write("ә".repeat(777));
        return void res.end(`"}`);
      }
      const limited = req.url?.endsWith("/limited");
      res.writeHead(limited ? 429 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          limited ? { ok: false, error_code: 429, parameters: { retry_after: 3 } } : { ok: true, result: "привет" },
        ),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, root: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe("the Bot API client grammY calls (undici on keep-alive connections)", () => {
  const seen: Seen[] = [];
  const ports: number[] = [];
  let server: Server;
  let root: string;
  const fetch = undiciFetch();

  beforeAll(async () => ({ server, root } = await startServer(seen, ports)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts grammY's JSON to the method's path and reads the answer, twice if asked", async () => {
    const body = JSON.stringify({ chat_id: 1, text: "сәлем" });
    const res = await fetch(`${root}/botTOKEN/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "keep-alive" },
      body,
    });
    expect(seen.at(-1)).toEqual({ method: "POST", url: "/botTOKEN/sendMessage", type: "application/json", body });
    expect([res.status, res.ok]).toEqual([200, true]);
    expect(await res.json()).toEqual({ ok: true, result: "привет" });
    expect(await res.clone().json()).toEqual({ ok: true, result: "привет" });
  });

  it("keeps a polled batch's body as it came beside its parsed answer, and no other call's", async () => {
    const polled = await fetch(`${root}/botTOKEN/getUpdates`, { method: "POST", body: "{}" });
    const data = await polled.json();
    expect(data).toEqual({ ok: true, result: "привет" });
    // Not a field of the answer: nothing that walks or prints it sees the bytes.
    expect(Object.keys(data as object)).toEqual(["ok", "result"]);
    expect(Buffer.from(rawBodyOf(data) ?? []).toString("utf8")).toBe(JSON.stringify({ ok: true, result: "привет" }));
    const sent = await fetch(`${root}/botTOKEN/sendMessage`, { method: "POST", body: "{}" });
    expect(rawBodyOf(await sent.json())).toBeUndefined();
    expect(rawBodyOf(undefined)).toBeUndefined();
  });

  it("reads an answer that comes in many pieces whole, its letters intact", async () => {
    const res = await fetch(`${root}/botTOKEN/big`, { method: "POST", body: "{}" });
    expect(await res.json()).toEqual({ ok: true, result: "ә".repeat(777 * 200) });
  });

  it("drains a success its caller reads nothing of, reads any other answer, and keeps its connections", async () => {
    const own = undiciFetch();
    const unread = { method: "POST", body: "{}", resultUnread: true };
    const from = ports.length;
    // Long answers in many pieces, each drained to its end: a connection left unread, or cut, is not used again.
    for (let i = 0; i < 4; i++) {
      const big = await own(`${root}/botTOKEN/big`, unread);
      expect([big.status, big.ok]).toEqual([200, true]);
      expect(await big.json()).toEqual({ ok: true, result: true });
    }
    const limited = await own(`${root}/botTOKEN/limited`, unread);
    expect(await limited.json()).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 3 } });
    const next = await own(`${root}/botTOKEN/sendMessage`, { method: "POST", body: "{}" });
    expect(await next.json()).toEqual({ ok: true, result: "привет" });
    // undici frees a connection a moment after its answer ends: the next call may take a second one, not more.
    expect(new Set(ports.slice(from)).size).toBeLessThanOrEqual(2);
  });

  it("passes a 429 through with its body, so the retries can read retry_after", async () => {
    const res = await fetch(`${root}/botTOKEN/limited`, { method: "POST", body: "{}" });
    expect([res.status, res.ok]).toEqual([429, false]);
    expect(await res.clone().json()).toMatchObject({ parameters: { retry_after: 3 } });
  });

  it("sends an upload's stream body whole", async () => {
    const parts = ["--b\r\n", 'content-disposition: form-data; name="chat_id"\r\n\r\n', "1\r\n", "--b--\r\n"];
    await fetch(`${root}/botTOKEN/sendDocument`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=b" },
      body: Readable.from(parts),
    });
    expect(seen.at(-1)).toMatchObject({ type: "multipart/form-data; boundary=b", body: parts.join("") });
  });

  it("gives up when grammY's signal aborts, and rejects an unreachable server instead of hanging", async () => {
    const controller = new AbortController();
    const pending = fetch(`${root}/botTOKEN/slow`, { method: "POST", body: "{}", signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow();
    // Aborted once the request has reached the server and waits for its answer.
    const later = new AbortController();
    const waiting = fetch(`${root}/botTOKEN/slow`, { method: "POST", body: "{}", signal: later.signal });
    const reached = seen.filter((s) => s.url.endsWith("/slow")).length + 1;
    await expect.poll(() => seen.filter((s) => s.url.endsWith("/slow")).length).toBe(reached);
    later.abort();
    await expect(waiting).rejects.toThrow();
    await expect(fetch("http://127.0.0.1:1/botTOKEN/getMe", { method: "POST", body: "{}" })).rejects.toThrow();
  });

  it("with a bound, gives up on an answer that does not come, and does not send it again", async () => {
    const bounded = undiciFetch(0.2);
    await expect(bounded(`${root}/botTOKEN/slow`, { method: "POST", body: "{}" })).rejects.toThrow(/timeout/i);
    // Retried, it could reach Telegram twice: a message shown twice.
    const before = seen.filter((s) => s.url.endsWith("/slow")).length;
    const retrying = retryingFetch(undiciFetch(0.2), {
      attempts: 3,
      maxDelaySeconds: 5,
      sleep: () => Promise.resolve(),
    });
    await expect(retrying(`${root}/botTOKEN/slow`, { method: "POST", body: "{}" })).rejects.toThrow(/timeout/i);
    expect(seen.filter((s) => s.url.endsWith("/slow")).length - before).toBe(1);
  });
});
