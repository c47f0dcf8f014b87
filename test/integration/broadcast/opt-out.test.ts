import { afterEach, describe, expect, it } from "vitest";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { createBroadcast, progress, type CampaignWindow } from "../../../data/repositories/broadcasts.js";
import { addUsers, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { CAMPAIGN_2026_UTC, IN_CAMPAIGN_UTC } from "../../dates.js";

const NOW = IN_CAMPAIGN_UTC;
const WINDOW: CampaignWindow = CAMPAIGN_2026_UTC;
const AUTHOR = 1;
const TEXT = { text: "Важно", entities: [] };

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const got = (x: Setup, id: number) => x.tg.user({ id, first_name: `U${id}` }).messages().length;
const rows = (x: Setup) =>
  x.db
    .selectFrom("broadcast_recipients")
    .select(["user_id", "status", "attempts", "error"])
    .orderBy("user_id")
    .execute();
const stop = (x: Setup, id: number) => x.db.updateTable("users").set({ subscribed: 0 }).where("id", "=", id).execute();

describe("/stop and blocking are honoured at send time, not only when the broadcast was composed", () => {
  it("someone who sent /stop or blocked the bot after the broadcast was created is skipped without a call", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10, 11, 12, 13]);
    knownChats(s.tg, [AUTHOR, 10, 11, 12, 13]);
    const b = await createBroadcast(
      s.db,
      { createdBy: AUTHOR, at: NOW, sendAt: NOW, audience: { kind: "all" }, ru: TEXT, kk: TEXT, photoFileId: null },
      WINDOW,
      new Date(NOW),
    );
    expect(b.total).toBe(4);
    await stop(s, 11);
    await s.db.updateTable("users").set({ blocked: 1 }).where("id", "=", 12).execute();
    const idle = idleSignal();
    const worker = startBroadcastWorker(s.deps, s.api, { onIdle: idle.onIdle });
    await idle.next();
    await worker.stop();
    expect([got(s, 10), got(s, 11), got(s, 12), got(s, 13)]).toEqual([1, 0, 0, 1]);
    expect(s.tg.calls("sendMessage").filter((c) => [11, 12].includes(Number(c.params["chat_id"])))).toEqual([]);
    expect(await rows(s)).toEqual([
      { user_id: 10, status: "sent", attempts: 1, error: null },
      { user_id: 11, status: "skipped", attempts: 0, error: "unsubscribed" },
      { user_id: 12, status: "skipped", attempts: 0, error: "blocked" },
      { user_id: 13, status: "sent", attempts: 1, error: null },
    ]);
    expect(await progress(s.db, b.id, new Date(NOW))).toMatchObject({
      total: 4,
      sent: 2,
      blocked: 1,
      unsubscribed: 1,
      failed: 0,
      remaining: 0,
    });
    const note = s.tg.user({ id: AUTHOR, first_name: "A" }).messages().at(-1)?.text;
    expect(note).toContain("отписались (/stop) 1");
  });

  it("a /stop while the sender waits for its turn at the rate limit counts: the next message is not sent", async () => {
    s = await setup({ now: NOW, rate: 1 });
    await addUsers(s.db, [10, 11, 12]);
    knownChats(s.tg, [AUTHOR, 10, 11, 12]);
    await createBroadcast(
      s.db,
      { createdBy: AUTHOR, at: NOW, sendAt: NOW, audience: { kind: "all" }, ru: TEXT, kk: TEXT, photoFileId: null },
      WINDOW,
      new Date(NOW),
    );
    // A fake monotonic clock: each wait for a token is where 11 sends /stop (after 10 got the message).
    let t = 0;
    const x = s;
    const idle = idleSignal();
    const worker = startBroadcastWorker(s.deps, s.api, {
      onIdle: idle.onIdle,
      now: () => t,
      sleep: async (ms) => {
        if (got(x, 10) === 1) await stop(x, 11);
        t += ms;
      },
    });
    await idle.next();
    await worker.stop();
    expect([got(s, 10), got(s, 11), got(s, 12)]).toEqual([1, 0, 1]);
    expect((await rows(s)).map((r) => [r.user_id, r.status, r.error])).toEqual([
      [10, "sent", null],
      [11, "skipped", "unsubscribed"],
      [12, "sent", null],
    ]);
  });
});
