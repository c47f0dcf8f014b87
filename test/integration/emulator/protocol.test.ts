// Wire-level behaviour of the emulator (raw HTTP, parsers) and the scripted-user helpers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseHtml, parseMarkdownV2 } from "../../../scripts/emulator/format.js";
import { type Emulator, startEmulator } from "../../../scripts/emulator/index.js";
import { parseMultipart } from "../../../scripts/emulator/multipart.js";

let tg: Emulator;
beforeEach(async () => {
  tg = await startEmulator();
});
afterEach(async () => {
  await tg.close();
});

type Answer = { ok: boolean; result?: unknown; error_code?: number; description?: string };

async function api(method: string, body?: Record<string, unknown>, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${tg.url}/bot${tg.token}/${method}`, {
    method: "POST",
    ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    ...init,
  });
  const json = (await res.json()) as Answer;
  if (!json.ok) expect(res.status).toBe(json.error_code);
  return json;
}

const ids = (a: Answer) => (a.result as Array<{ update_id: number }>).map((u) => u.update_id);

describe("HTTP surface", () => {
  it("answers Telegram-shaped 404 and 401", async () => {
    expect(await api("noSuchMethod", {})).toEqual({ ok: false, error_code: 404, description: "Not Found" });
    const res = await fetch(`${tg.url}/bot123:wrong/getMe`);
    expect(await res.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
  });

  it("accepts query strings, urlencoded bodies and curl-style multipart", async () => {
    const u = tg.user({ id: 1 });
    const q = await api("sendMessage?chat_id=1&text=from%20query", undefined, { method: "GET" });
    expect(q.ok).toBe(true);
    const form = new URLSearchParams({
      chat_id: "1",
      text: "urlencoded",
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] }),
    });
    expect((await api("sendMessage", undefined, { body: form })).ok).toBe(true);
    const fd = new FormData();
    fd.set("chat_id", "1");
    fd.set("document", new Blob([Buffer.from("abc")]), 'naïve "x".txt');
    const doc = await api("sendDocument", undefined, { body: fd });
    expect(doc.result).toMatchObject({ document: { file_name: 'naïve "x".txt', file_size: 3 } });
    expect(u.messages().map((m) => m.text ?? m.document?.file_name)).toEqual([
      "from query",
      "urlencoded",
      'naïve "x".txt',
    ]);
    expect(u.messages()[1]?.reply_markup).toEqual({ inline_keyboard: [[{ text: "A", callback_data: "a" }]] });
  });

  it("getUpdates honours limit, offset (positive and negative) and allowed_updates", async () => {
    const u = tg.user({ id: 2 });
    for (const t of ["a", "b", "c"]) u.send(t);
    const first = await api("getUpdates", { limit: 2 });
    const [a, b] = ids(first);
    expect(ids(first)).toHaveLength(2);
    expect(ids(await api("getUpdates", { offset: (a ?? 0) + 1 }))).toEqual([b, (b ?? 0) + 1]);
    expect(ids(await api("getUpdates", { offset: -1 }))).toEqual([(b ?? 0) + 1]);
    expect(tg.pendingUpdates()).toBe(1);
    await api("getUpdates", { offset: (b ?? 0) + 2, allowed_updates: ["callback_query"] });
    expect(u.send("filtered out")).toBeDefined();
    expect(tg.pendingUpdates()).toBe(0);
    expect(tg.pushUpdate({ future_update_type: { x: 1 } })).toBeUndefined();
    await api("getUpdates", { allowed_updates: [] });
    expect(tg.pushUpdate({ future_update_type: { x: 1 } })).toBeGreaterThan(0);
  });

  it("holds a long poll until an update arrives, and 409s the older of two pollers", async () => {
    const u = tg.user({ id: 3 });
    const held = api("getUpdates", { timeout: 10 });
    await tg.waitForPolling();
    u.send("wake up");
    const got = await held;
    expect((got.result as Array<{ message: { text: string } }>)[0]?.message.text).toBe("wake up");

    const older = api("getUpdates", { offset: (ids(got)[0] ?? 0) + 1, timeout: 10 });
    await tg.waitForPolling();
    const newer = api("getUpdates", { timeout: 10 });
    expect(await older).toMatchObject({ ok: false, error_code: 409 });
    await tg.waitForPolling();
    u.send("to the newer one");
    expect((await newer).ok).toBe(true);
  });

  it("serves a webhook reply (method in the response body) and extra routes", async () => {
    tg.route("GET", "/sandbox", (_req, res) => {
      res.end("sandbox page");
    });
    expect(await (await fetch(`${tg.url}/sandbox`)).text()).toBe("sandbox page");
    const { createServer } = await import("node:http");
    const hook = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: "sendMessage", chat_id: 4, text: "webhook reply" }));
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const port = (hook.address() as { port: number }).port;
    await api("setWebhook", { url: `http://127.0.0.1:${port}/` });
    const u = tg.user({ id: 4 });
    u.send("hello");
    expect((await u.nextMessage()).text).toBe("webhook reply");
    await new Promise((r) => hook.close(r));
  });
});

describe("scripted users", () => {
  it("times out with a transcript of what the chat received", async () => {
    const u = tg.user({ id: 5 });
    await tg.call("sendMessage", {
      chat_id: 5,
      text: "Выберите поликлинику",
      reply_markup: { inline_keyboard: [[{ text: "№1", callback_data: "c:1" }]] },
    });
    await u.nextMessage();
    await expect(u.nextMessage({ timeout: 20 })).rejects.toThrow(
      /nextMessage \(chat 5\) timed out[\s\S]*Выберите поликлинику[\s\S]*inline\[№1\]/,
    );
    expect(() => u.press("№2")).toThrow(/No inline button "№2"/);
  });

  it("taps reply keyboard buttons (contact requests share the contact) and forwards messages", async () => {
    const u = tg.user({ id: 6, first_name: "Dana" });
    await tg.call("sendMessage", {
      chat_id: 6,
      text: "Phone?",
      reply_markup: { keyboard: [[{ text: "Share", request_contact: true }]], resize_keyboard: true },
    });
    expect(u.replyKeyboard()?.keyboard[0]?.[0]).toMatchObject({ text: "Share" });
    const shared = u.tap("Share");
    expect(shared.contact).toMatchObject({ user_id: 6, first_name: "Dana" });
    const fwd = u.forward({ from: { id: 99, first_name: "Mother" }, text: "her message" });
    expect(fwd.forward_origin).toMatchObject({ type: "user", sender_user: { id: 99 } });
    const calls: string[] = [];
    tg.on("update", (upd) => calls.push(Object.keys(upd).join(",")));
    u.sendSticker();
    u.sendVoice();
    u.sendPhoto({ caption: "справка" });
    u.sendLocation(43.25, 76.95);
    expect(calls).toEqual(["message,update_id", "message,update_id", "message,update_id", "message,update_id"]);
  });
});

describe("parsers", () => {
  it("parses grammY's compact multipart headers with unquoted filenames", () => {
    const body = Buffer.from(
      '--XyZ\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--XyZ\r\n' +
        'content-disposition:form-data;name="abc";filename=my; file.pdf\r\ncontent-type:application/octet-stream\r\n\r\n\r\nbin\r\n\r\n--XyZ--\r\n',
    );
    const { fields, files } = parseMultipart(body, "XyZ");
    expect(fields).toEqual({ chat_id: "42" });
    expect(files.get("abc")?.filename).toBe("my; file.pdf");
    expect(files.get("abc")?.data.toString()).toBe("\r\nbin\r\n");
  });

  it("parses HTML and MarkdownV2 entities", () => {
    expect(parseHtml("<b>a<i>b</i></b> &lt;3 <tg-spoiler>s</tg-spoiler>")).toEqual({
      text: "ab <3 s",
      entities: [
        { type: "bold", offset: 0, length: 2 },
        { type: "italic", offset: 1, length: 1 },
        { type: "spoiler", offset: 6, length: 1 },
      ],
    });
    expect(() => parseHtml("<b>x</i>")).toThrow(/can't parse entities/);
    expect(parseMarkdownV2("*Hi* \\. [egov](https://egov.kz)").entities).toEqual([
      { type: "bold", offset: 0, length: 2 },
      { type: "text_link", offset: 5, length: 4, url: "https://egov.kz" },
    ]);
    expect(() => parseMarkdownV2("*open")).toThrow(/Can't find end of the entity/);
  });
});
