import { Api, Composer, Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import type { BaseContext } from "../../../bot/context.js";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { conversationPlugins } from "../../../bot/middleware/conversation-plugins.js";
import { createBroadcast } from "../../../data/repositories/broadcasts.js";
import { addUsers, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

const NOW = IN_CAMPAIGN_UTC;
const ME = { id: 7000000001, is_bot: true, first_name: "Emhana", username: "emhana_test_bot" } as UserFromGetMe;
const CITIZEN = 20;

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** A context as a conversation builds it for an update: a fresh Api, then the conversation plugins. */
async function conversationContext(x: Setup, updateId: number): Promise<BaseContext> {
  const update = {
    update_id: updateId,
    message: {
      message_id: 1,
      date: 0,
      chat: { id: CITIZEN, type: "private", first_name: "C" },
      from: { id: CITIZEN, is_bot: false, first_name: "C" },
      text: "Алматы",
    },
  } as Update;
  const ctx = new Context(update, new Api(x.api.token, x.api.options), ME) as BaseContext;
  await new Composer<BaseContext>(...conversationPlugins(x.deps)).middleware()(ctx, () => Promise.resolve());
  return ctx;
}

describe("replies inside conversations keep priority over a broadcast", () => {
  it("a message sent in a conversation (e.g. the next /apply step) is charged to the broadcast: the broadcast waits its turn", async () => {
    s = await setup({ now: NOW, rate: 10 });
    await addUsers(s.db, [10]);
    knownChats(s.tg, [1, 10, CITIZEN]);
    const x = s;
    const receivedAtFirstWait: number[] = [];
    let t = 0; // the sender's monotonic clock, moved only by its waits
    const idle = idleSignal();
    const worker = startBroadcastWorker(s.deps, s.api, {
      onIdle: idle.onIdle,
      now: () => t,
      sleep: (ms) => {
        if (receivedAtFirstWait.length === 0)
          receivedAtFirstWait.push(x.tg.user({ id: 10, first_name: "U10" }).messages().length);
        t += ms;
        return Promise.resolve();
      },
    });
    await idle.next();
    // The sender's bucket is full (one message may go at once); the conversation's reply takes that share.
    const ctx = await conversationContext(s, 501);
    await ctx.api.sendMessage(CITIZEN, "Шаг 3");
    const sent = idle.next();
    await createBroadcast(
      s.db,
      {
        createdBy: 1,
        at: NOW,
        sendAt: NOW,
        audience: { kind: "all" },
        ru: { text: "Важно", entities: [] },
        kk: { text: "Маңызды", entities: [] },
        photoFileId: null,
      },
      { from: NOW, to: NOW },
      new Date(NOW),
    );
    s.deps.broadcastWake.notify();
    await sent;
    await worker.stop();
    // The broadcast had to wait before its first message: the reply had used the budget.
    expect(receivedAtFirstWait).toEqual([0]);
    expect(s.tg.user({ id: 10, first_name: "U10" }).messages()).toHaveLength(1);
  });
});
