import type { Update } from "grammy/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseDraft } from "../../../bot/application/draft.js";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { UnitOfWork } from "../../../data/unit-of-work.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../../dates.js";
import { inProcessBot } from "./bot-fixture.js";

type Bot = Awaited<ReturnType<typeof inProcessBot>>;
type Body = Omit<Update, "update_id">;

const ID = 5151;
const from = { id: ID, is_bot: false, first_name: "Айгерим", language_code: "ru" };
const chat = { id: ID, type: "private" as const, first_name: "Айгерим" };
let seq = 1;
const text = (t: string): Body =>
  ({
    message: {
      message_id: seq++,
      date: 1_790_000_000,
      chat,
      from,
      text: t,
      ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.length }] } : {}),
    },
  }) as Body;
const press = (data: string): Body =>
  ({
    callback_query: {
      id: String(seq++),
      from,
      chat_instance: "1",
      data,
      message: { message_id: seq++, date: 1_790_000_000, chat, from: { ...from, id: 7000000001 }, text: "q" },
    },
  }) as Body;

let bot: Bot | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await bot?.close();
  bot = undefined;
});

async function processed(b: Bot, updateId: number): Promise<boolean> {
  const row = await b.deps.db
    .selectFrom("processed_updates")
    .select("update_id")
    .where("update_id", "=", updateId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The stored draft row as it is (sealed answers, revision): the flow's whole state. */
async function draftRow(b: Bot): Promise<string | undefined> {
  const row = await b.deps.db
    .selectFrom("drafts")
    .select(["data", "revision"])
    .where("user_id", "=", ID)
    .executeTakeFirst();
  return row ? `${row.revision}:${row.data}` : undefined;
}

const step = async (b: Bot) => parseDraft((await loadDraft(b.deps, ID))?.data ?? null).step;

describe("one update, one transaction", () => {
  it("an answered step stores its mark and the draft (the flow's whole state) together, in one transaction after the replies", async () => {
    const seenDuringReply: { processed: boolean; step: string }[] = [];
    let b: Bot | undefined;
    let watching = false;
    const updateId = 900;
    bot = b = await inProcessBot({
      clockStart: IN_CAMPAIGN,
      // The next question goes out before anything of this update is stored.
      onCall: async (method) => {
        if (method === "sendMessage" && b && watching)
          seenDuringReply.push({ processed: await processed(b, updateId), step: await step(b) });
      },
    });
    await bot.send(text("/apply"));
    const before = await draftRow(bot);
    expect(before).toBeDefined();
    const spy = vi.spyOn(bot.deps.db, "transaction");
    watching = true;
    await bot.send({ update_id: updateId, ...press("a:who:self") });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(seenDuringReply[0]).toEqual({ processed: false, step: "who" });
    expect(await processed(bot, updateId)).toBe(true);
    expect(await step(bot)).toBe("category");
    expect(await draftRow(bot)).not.toBe(before);
  });

  it("an update that throws stores neither its mark nor the draft; its redelivery is handled again", async () => {
    let fail = false;
    bot = await inProcessBot({
      clockStart: IN_CAMPAIGN,
      fault: (method) => {
        if (!fail || method !== "sendMessage") return undefined;
        fail = false;
        return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: simulated" } };
      },
    });
    await bot.send(text("/apply"));
    const state = await draftRow(bot);
    const update = { update_id: 901, ...press("a:who:self") };
    fail = true; // the next question fails to go out, after the answer was taken and the draft saved (staged)
    await bot.send(update).catch(() => undefined);
    expect(await processed(bot, 901)).toBe(false);
    expect(await step(bot)).toBe("who");
    expect(await draftRow(bot)).toBe(state);
    await bot.send(update);
    expect(await processed(bot, 901)).toBe(true);
    expect(await step(bot)).toBe("category");
  });

  it("a crash before the commit of the confirmation: the redelivered update is handled again and ends with one request", async () => {
    bot = await inProcessBot({ clockStart: IN_CAMPAIGN });
    for (const body of [
      text("/apply"),
      press("a:who:self"),
      press("a:category:citizen"),
      text(makeIin("900101", 3, 77)),
      press("a:region:abai"),
      press("a:settlement:semey"),
      press("a:clinic:sample-semey-01"),
      press("a:ground:free_choice"),
      press("a:residence:registered"),
    ])
      await bot.send(body);
    expect(await step(bot)).toBe("summary");
    const confirm = { update_id: 902, ...press("a:summary:confirm") };
    vi.spyOn(UnitOfWork.prototype, "commit").mockRejectedValueOnce(new Error("simulated crash before the commit"));
    await bot.send(confirm).catch(() => undefined);
    const requests = () => bot?.deps.db.selectFrom("requests").select(["id", "number"]).execute();
    expect(await requests()).toHaveLength(1);
    expect(await processed(bot, 902)).toBe(false);
    // The draft's deletion was not stored either: the redelivery finds the same draft, so the same submission key.
    expect(await step(bot)).toBe("summary");
    const sentBefore = bot.calls.length;
    await bot.send(confirm);
    expect(await requests()).toHaveLength(1);
    expect(await processed(bot, 902)).toBe(true);
    expect(await loadDraft(bot.deps, ID)).toBeUndefined();
    const [request] = (await requests()) ?? [];
    const texts = bot.calls.slice(sentBefore).map((c) => String(c.payload.text ?? ""));
    expect(texts.some((t) => request && t.includes(request.number))).toBe(true);
  });
});
