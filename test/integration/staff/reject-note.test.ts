import type { Conversation } from "@grammyjs/conversations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseContext, BotContext, Deps } from "../../../bot/context.js";
import { rejectNoteConversation } from "../../../bot/features/staff/decide.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { upsertStaff } from "../../../data/repositories/staff.js";
import { freshDb, type TestDb } from "../directory/helpers.js";
import { addRequest, staffDeps } from "./helpers.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

const NOW = new Date(IN_CAMPAIGN_UTC);
const REVIEWER = 9101;
let t: TestDb;
let deps: Deps;

beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, NOW);
  deps = await staffDeps(t.db, NOW);
  await upsertStaff(
    t.db,
    { userId: REVIEWER, role: "support", clinicIds: null, settlementId: null },
    1,
    NOW.toISOString(),
  );
});
afterAll(async () => {
  await t.dispose();
});

type Call = { method: string; chat?: number; text: string };

/** A context as a conversation hands it to its builder; its database must not be touched (only externals may). */
function insideContext(calls: Call[], text: string): BaseContext {
  const record = (method: string, chat: number | undefined, body: string) => {
    calls.push({ method, chat, text: body });
    return Promise.resolve({ message_id: calls.length });
  };
  const forbidden = new Proxy(
    {},
    {
      get: () => {
        throw new Error("database used outside conversation.external");
      },
    },
  );
  return {
    update: { update_id: 1 },
    from: { id: REVIEWER, is_bot: false, first_name: "Сауле" },
    chat: { id: REVIEWER, type: "private", first_name: "Сауле" },
    message: { message_id: 1, date: 0, chat: { id: REVIEWER, type: "private" }, text },
    callbackQuery: undefined,
    deps: { ...deps, db: forbidden },
    log: deps.log,
    locale: "ru",
    t: deps.i18n.t("ru"),
    user: undefined,
    reply: (body: string) => record("sendMessage", REVIEWER, body),
    api: {
      sendMessage: (chat: number, body: string) => record("sendMessage", chat, body),
      editMessageText: (chat: number, id: number, body: string) => record(`editMessageText:${id}`, chat, body),
      editMessageReplyMarkup: (chat: number, id: number) => record(`editMessageReplyMarkup:${id}`, chat, ""),
    },
  } as unknown as BaseContext;
}

/** The outside context `external` gets: the real database. */
function outsideContext(): BotContext {
  return {
    from: { id: REVIEWER, is_bot: false, first_name: "Сауле" },
    chat: { id: REVIEWER, type: "private" },
    deps,
    log: deps.log,
    locale: "ru",
    t: deps.i18n.t("ru"),
  } as unknown as BotContext;
}

/**
 * The replay engine's contract in miniature: the first run executes externals and logs their results, a replay
 * (the builder re-run from the top for a later update) is served from that log.
 */
function conversation(log: unknown[], replaying: boolean, answer: BaseContext): Conversation<BotContext, BaseContext> {
  let i = 0;
  return {
    waitUntil: () => Promise.resolve(answer),
    external: async (work: (c: BotContext) => unknown) => {
      if (replaying) return log[i++];
      const value: unknown = JSON.parse(JSON.stringify(await work(outsideContext())));
      log.push(value);
      i += 1;
      return value;
    },
  } as unknown as Conversation<BotContext, BaseContext>;
}

describe("the 'other reason' conversation", () => {
  it("does its database work inside conversation.external only, so a replay repeats no decision and no message changes", async () => {
    const r = await addRequest(t.db, { user_id: 7301 });
    const note = "Адрес в заявке не совпадает с документами";
    const log: unknown[] = [];
    const live: Call[] = [];
    await rejectNoteConversation(conversation(log, false, insideContext(live, note)), insideContext([], "-"), r.id);
    const row = await t.db
      .selectFrom("requests")
      .select(["status", "reject_reason", "reject_note", "decided_by"])
      .where("id", "=", r.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "rejected", reject_reason: "other", reject_note: note, decided_by: REVIEWER });
    // The applicant's notice is owed in the outbox, queued with the decision (the worker sends it, with the note).
    expect(live.some((c) => c.chat === 7301)).toBe(false);
    const owed = () => t.db.selectFrom("outbox").selectAll().where("request_id", "=", r.id).execute();
    const [notice] = await owed();
    expect(notice).toMatchObject({ chat_id: 7301, kind: "decision", sent_at: null });
    if (notice) expect((await deps.notices.get("decision")?.(deps, notice))?.text).toContain(note);
    expect(live.at(-1)?.text).toContain(`${r.number}</b> отклонена`);

    const replayed: Call[] = [];
    await rejectNoteConversation(conversation(log, true, insideContext(replayed, note)), insideContext([], "-"), r.id);
    // The same calls in the same order (the engine serves them from its log), and still one decision.
    expect(replayed).toEqual(live);
    const audit = await t.db.selectFrom("audit_log").select("action").where("request_id", "=", r.id).execute();
    expect(audit).toEqual([{ action: "reject" }]);
    expect(await owed()).toHaveLength(1);
  });

  it("R14: the card the reason was typed for is redrawn as decided, as a pressed reason does, and the prompt loses 'Cancel'", async () => {
    const r = await addRequest(t.db, { user_id: 7303 });
    const calls: Call[] = [];
    await rejectNoteConversation(
      conversation([], false, insideContext(calls, "Нет справки")),
      insideContext([], "-"),
      r.id,
      41,
      42,
    );
    const card = calls.find((c) => c.method === "editMessageText:41");
    expect(card?.chat).toBe(REVIEWER);
    expect(card?.text).toContain(`${r.number}</b> — ${deps.i18n.t("ru")("requests.status.rejected")}`);
    expect(card?.text).toContain("Нет справки");
    expect(calls.some((c) => c.method === "editMessageReplyMarkup:42")).toBe(true);
  });

  it("a reviewer whose role was taken away meanwhile decides nothing", async () => {
    const r = await addRequest(t.db, { user_id: 7302 });
    await t.db.deleteFrom("staff").where("user_id", "=", REVIEWER).execute();
    const calls: Call[] = [];
    await rejectNoteConversation(
      conversation([], false, insideContext(calls, "причина")),
      insideContext([], "-"),
      r.id,
    );
    expect(calls).toEqual([{ method: "sendMessage", chat: REVIEWER, text: deps.i18n.t("ru")("staff.no_access") }]);
    expect(
      (await t.db.selectFrom("requests").select("status").where("id", "=", r.id).executeTakeFirstOrThrow()).status,
    ).toBe("pending");
    await upsertStaff(
      t.db,
      { userId: REVIEWER, role: "support", clinicIds: null, settlementId: null },
      1,
      NOW.toISOString(),
    );
  });
});
