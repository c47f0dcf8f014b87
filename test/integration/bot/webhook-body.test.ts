import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Bot } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotContext } from "../../../bot/context.js";
import { createLogger } from "../../../bot/logger.js";
import { MAX_UPDATE_BYTES, webhookHandler } from "../../../bot/transport.js";

const SECRET = "s3cret-for-the-test";

describe("webhook bodies past the limit", () => {
  let server: Server;
  let url: string;
  const logged: string[] = [];

  beforeAll(async () => {
    // The handler never reaches the bot for these bodies: a bot that was never started is enough.
    const bot = new Bot<BotContext>("1:unused");
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    server = createServer(webhookHandler(bot, "/hook", SECRET, createLogger("warn", sink)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: Buffer | ReadableStream<Uint8Array>) =>
    fetch(url, {
      method: "POST",
      body,
      headers: { "x-telegram-bot-api-secret-token": SECRET },
      // A stream body needs half-duplex in fetch.
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit).then((r) => r.status);

  it("the sender reads its 413 every time rather than a connection reset mid-upload", async () => {
    const big = Buffer.alloc(2 * MAX_UPDATE_BYTES, 0x20);
    // Several at once, as under load, where the race between a reset and the upload showed.
    for (let round = 0; round < 3; round++)
      expect(await Promise.all(Array.from({ length: 4 }, () => post(big)))).toEqual(Array(4).fill(413));
  });

  it("a slow sender declaring too much is read to the end, then answered 413 (a reply mid-upload would reset it)", async () => {
    const { port } = server.address() as AddressInfo;
    const total = 8 * MAX_UPDATE_BYTES;
    const socket = connect(port, "127.0.0.1");
    const reply = new Promise<string>((resolve, reject) => {
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    const write = (data: string | Buffer) =>
      new Promise<void>((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
    await write(
      `POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nx-telegram-bot-api-secret-token: ${SECRET}\r\n` +
        `content-length: ${total}\r\n\r\n`,
    );
    // Each piece waits for the one before to be taken, so the server has long seen the headers.
    const piece = Buffer.alloc(total / 16, 0x20);
    for (let i = 0; i < 16; i++) await write(piece);
    expect((await reply).split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
  });

  it("the same for a body of no declared length, sent in chunks", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * MAX_UPDATE_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    expect(await post(stream)).toBe(413);
    expect(logged.join("")).toContain("webhook body too large");
  });
});
