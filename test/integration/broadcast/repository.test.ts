import { afterEach, describe, expect, it } from "vitest";
import {
  audienceSettlements,
  countAudience,
  countAudienceByLanguage,
  createBroadcast,
  markRecipient,
  markSending,
  nextRecipient,
  type Audience,
  type CampaignWindow,
} from "../../../data/repositories/broadcasts.js";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { addRequest, addUsers, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { CAMPAIGN_2026_UTC, IN_CAMPAIGN_UTC } from "../../dates.js";

const NOW = IN_CAMPAIGN_UTC; // 10:00 Almaty, inside the 2026 campaign
const WINDOW: CampaignWindow = CAMPAIGN_2026_UTC;
const TEXT = { text: "Hello", entities: [] };

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function make(audience: Audience) {
  if (!s) throw new Error("no setup");
  return createBroadcast(
    s.db,
    { createdBy: 1, at: NOW, sendAt: NOW, audience, ru: TEXT, kk: TEXT, photoFileId: null },
    WINDOW,
    new Date(NOW),
  );
}

async function recipients(id: number): Promise<{ user_id: number; language: string; status: string }[]> {
  if (!s) throw new Error("no setup");
  return s.db
    .selectFrom("broadcast_recipients")
    .select(["user_id", "language", "status"])
    .where("broadcast_id", "=", id)
    .orderBy("user_id")
    .execute();
}

describe("broadcast repository", () => {
  it("materialises the audience at confirm time: subscribed, not blocked, each with their language", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [1, 2, 3], { language: "ru" });
    await addUsers(s.db, [4, 5], { language: "kk" });
    await addUsers(s.db, [6], { language: null });
    await addUsers(s.db, [7], { subscribed: 0 });
    await addUsers(s.db, [8], { blocked: 1 });
    const b = await make({ kind: "all" });
    expect(b.total).toBe(6);
    expect(b.status).toBe("sending");
    const rows = await recipients(b.id);
    expect(rows.map((r) => r.user_id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.map((r) => r.language)).toEqual(["ru", "ru", "ru", "kk", "kk", "ru"]);
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    // The audience does not shift during sending: someone who subscribes later is not added.
    await addUsers(s.db, [9]);
    expect(await recipients(b.id)).toHaveLength(6);
  });

  it("audiences: no request this campaign, pending request, settlement of the latest request, language", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const places = await s.db.selectFrom("settlements").select("id").orderBy("id").limit(2).execute();
    const [a, b] = places.map((p) => p.id);
    if (!a || !b) throw new Error("no settlements in the shipped directory");
    await addUsers(s.db, [1, 2, 3, 4, 5, 6], { language: "ru" });
    await addUsers(s.db, [7], { language: "kk" });
    await addRequest(s.db, 1, { status: "pending", settlementId: a, submittedAt: "2026-09-02T05:00:00.000Z" });
    await addRequest(s.db, 2, { status: "approved", settlementId: a, submittedAt: "2026-09-03T05:00:00.000Z" });
    await addRequest(s.db, 3, { status: "rejected", settlementId: b, submittedAt: "2026-09-03T05:00:00.000Z" }); // may apply again
    await addRequest(s.db, 4, { status: "approved", settlementId: a, submittedAt: "2025-09-03T05:00:00.000Z" }); // last campaign
    await addRequest(s.db, 4, { status: "needs_documents", settlementId: b, submittedAt: "2026-09-10T05:00:00.000Z" }); // latest: b
    const count = (x: Audience) => countAudience(s?.db ?? (undefined as never), x, WINDOW);
    expect(await count({ kind: "all" })).toBe(7);
    expect(await count({ kind: "no_request" })).toBe(4); // 3, 5, 6, 7
    expect(await count({ kind: "pending" })).toBe(2); // 1, 4
    expect(await count({ kind: "settlement", settlementId: a })).toBe(2); // 1, 2
    expect(await count({ kind: "settlement", settlementId: b })).toBe(2); // 3, 4 (latest request)
    expect(await count({ kind: "language", language: "kk" })).toBe(1);
    // What the operator confirms: the same audiences by the language each person gets.
    const split = (x: Audience) => countAudienceByLanguage(s?.db ?? (undefined as never), x, WINDOW);
    expect(await split({ kind: "all" })).toEqual({ ru: 6, kk: 1 });
    expect(await split({ kind: "pending" })).toEqual({ ru: 2, kk: 0 });
    expect(await split({ kind: "language", language: "kk" })).toEqual({ ru: 0, kk: 1 });
    const choices = await audienceSettlements(s.db);
    expect(choices.map((c) => [c.id, c.n]).sort()).toEqual(
      [
        [a, 2],
        [b, 2],
      ].sort(),
    );
    const made = await make({ kind: "no_request" });
    expect((await recipients(made.id)).map((r) => r.user_id)).toEqual([3, 5, 6, 7]);
  });

  it("a scheduled broadcast waits for its time", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [1]);
    const later = await createBroadcast(
      s.db,
      {
        createdBy: 1,
        at: NOW,
        sendAt: "2026-09-16T05:00:00.000Z",
        audience: { kind: "all" },
        ru: TEXT,
        kk: TEXT,
        photoFileId: null,
      },
      WINDOW,
      new Date(NOW),
    );
    expect(later.status).toBe("scheduled");
  });

  it("resume after a crash: the row left 'sending' is sent once more (the one duplicate), sent rows never, the rest once", async () => {
    s = await setup({ now: NOW });
    const ids = Array.from({ length: 20 }, (_, i) => 100 + i);
    await addUsers(s.db, ids);
    knownChats(s.tg, [1, ...ids]);
    const b = await make({ kind: "all" });
    const at = new Date(NOW).toISOString();
    // As if the process sent five, marked the sixth "sending", and was killed during the call.
    for (let i = 0; i < 5; i++) {
      const r = await nextRecipient(s.db, b.id);
      if (!r) throw new Error("no recipient");
      await markSending(s.db, r.id, at);
      await markRecipient(s.db, r.id, "sent", at);
    }
    const inFlight = await nextRecipient(s.db, b.id);
    if (!inFlight) throw new Error("no recipient");
    await markSending(s.db, inFlight.id, at);
    expect(inFlight.user_id).toBe(105);

    const idle = idleSignal();
    const worker = startBroadcastWorker(s.deps, s.api, { onIdle: idle.onIdle });
    await idle.next();
    await worker.stop();

    const sent = s.tg.calls("sendMessage").map((c) => Number(c.params["chat_id"]));
    const author = sent.filter((id) => id === 1);
    expect(author).toHaveLength(1); // the "finished" note to the author
    expect(sent.filter((id) => id !== 1).sort()).toEqual(ids.slice(5));
    expect(sent[0]).toBe(105); // the interrupted one goes first
    const rows = await recipients(b.id);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const done = await s.db
      .selectFrom("broadcasts")
      .select(["status", "finished_at"])
      .where("id", "=", b.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe("done");
  });
});
