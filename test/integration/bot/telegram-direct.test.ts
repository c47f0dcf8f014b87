import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { describe, expect, it } from "vitest";
import { postingDirectly, resultUnread } from "../../../bot/telegram-direct.js";
import type { Fetch } from "../../../bot/telegram-fetch.js";

interface Posted {
  url: string;
  headers: unknown;
  body: unknown;
  signal: unknown;
  resultUnread: unknown;
}

/** A Bot API stand-in: records what is posted and answers with `reply`. */
function recording(reply: (url: string) => unknown = () => ({ ok: true, result: true })) {
  const posted: Posted[] = [];
  const fetch: Fetch = (
    url: string,
    init?: { headers?: unknown; body?: unknown; signal?: unknown; resultUnread?: unknown },
  ) => {
    posted.push({
      url,
      headers: init?.headers,
      body: init?.body,
      signal: init?.signal,
      resultUnread: init?.resultUnread,
    });
    const text = JSON.stringify(reply(url));
    return Promise.resolve({ status: 200, ok: true, json: () => Promise.resolve(JSON.parse(text)) });
  };
  return { posted, fetch };
}

const ROOT = "http://127.0.0.1:9";

function apis(fetch: Fetch, timeoutSeconds?: number) {
  const viaGrammy = new Api("TOKEN", { apiRoot: ROOT, fetch });
  const direct = new Api("TOKEN", { apiRoot: ROOT, fetch });
  direct.config.use(postingDirectly({ apiRoot: ROOT, token: "TOKEN", fetch, timeoutSeconds }));
  return { viaGrammy, direct };
}

describe("the calls posted without grammY's client", () => {
  it("post to the same URL exactly what grammY's client posts, and hand back the same answers", async () => {
    const grammy = recording((url) => ({ ok: true, result: { url: url.slice(-20), text: "Сәлем" } }));
    const ours = recording((url) => ({ ok: true, result: { url: url.slice(-20), text: "Сәлем" } }));
    const calls = async (api: Api) => [
      await api.sendMessage(5, "<b>Шаг 1</b> — «кто»", {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [[{ text: "Я", callback_data: "a:who:self" }]] },
        link_preview_options: { is_disabled: true },
      }),
      await api.editMessageText(5, 7, "ЖСН қабылданды", { parse_mode: "HTML", reply_markup: undefined }),
      await api.editMessageReplyMarkup(5, 7),
      await api.answerCallbackQuery("cb1", { text: "Тіл сақталды" }),
      await api.setMyCommands([{ command: "help", description: "Анықтама" }], { scope: { type: "chat", chat_id: 5 } }),
      await api.deleteMessage(5, 8),
      // Not posted directly: a null grammY drops, and a method outside the list.
      await api.sendMessage(5, "x", { reply_to_message_id: null as unknown as number }),
      await api.getChat(5),
    ];
    expect(await calls(apis(ours.fetch).direct)).toEqual(await calls(apis(grammy.fetch).viaGrammy));
    expect(ours.posted.map((p) => [p.url, p.body])).toEqual(grammy.posted.map((p) => [p.url, p.body]));
    expect(ours.posted.every((p) => JSON.stringify(p.headers).includes("application/json"))).toBe(true);
  });

  it("a refusal is grammY's error, a lost connection grammY's HttpError, a file goes through grammY", async () => {
    const refused = recording(() => ({
      ok: false,
      error_code: 400,
      description: "Bad Request: message is not modified",
    }));
    const { direct } = apis(refused.fetch);
    const err = await direct.editMessageText(5, 7, "same").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).description).toBe("Bad Request: message is not modified");

    const down: Fetch = () => Promise.reject(new Error("ECONNREFUSED"));
    await expect(apis(down).direct.sendMessage(5, "x")).rejects.toBeInstanceOf(HttpError);

    const uploads = recording(() => ({ ok: true, result: true }));
    await apis(uploads.fetch)
      .direct.sendDocument(5, new InputFile(Buffer.from("pdf"), "a.pdf"))
      .catch(() => undefined);
    // grammY's client posts a file as multipart, never as JSON.
    expect(typeof uploads.posted[0]?.body).not.toBe("string");
  });

  it("tell the fetch when the caller reads nothing of a success, and send the same body", async () => {
    const ours = recording();
    const { direct } = apis(ours.fetch);
    await direct.editMessageText(5, 7, "<b>ЖСН</b>", resultUnread({ parse_mode: "HTML" as const }));
    await direct.editMessageReplyMarkup(5, 7, resultUnread());
    await direct.editMessageText(5, 7, "<b>ЖСН</b>", { parse_mode: "HTML" });
    expect(ours.posted.map((p) => p.resultUnread)).toEqual([true, true, undefined]);
    expect(ours.posted[0]?.body).toBe(ours.posted[2]?.body);
    expect(ours.posted[1]?.body).toBe(JSON.stringify({ chat_id: 5, message_id: 7 }));
  });

  it("bound each call when the fetch sets no bound of its own, and leave it to the fetch otherwise", async () => {
    const bounded = recording();
    await apis(bounded.fetch, 40).direct.sendMessage(5, "x");
    expect(bounded.posted[0]?.signal).toBeInstanceOf(AbortSignal);
    const unbounded = recording();
    await apis(unbounded.fetch).direct.sendMessage(5, "x");
    expect(unbounded.posted[0]?.signal).toBeUndefined();
  });
});
