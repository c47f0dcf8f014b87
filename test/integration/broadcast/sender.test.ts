import { afterEach, describe, expect, it } from "vitest";
import { createBroadcast, type CampaignWindow } from "../../../data/repositories/broadcasts.js";
import { startBroadcastWorker, type WorkerOptions } from "../../../bot/features/broadcast/sender.js";
import { addUsers, idleSignal, knownChats, setup, type Setup } from "./helpers.js";
import { CAMPAIGN_2026_UTC, IN_CAMPAIGN_UTC } from "../../dates.js";

const NOW = IN_CAMPAIGN_UTC;
const WINDOW: CampaignWindow = CAMPAIGN_2026_UTC;
const AUTHOR = 1;

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function run(x: Setup, opts: WorkerOptions = {}): Promise<void> {
  const idle = idleSignal();
  const worker = startBroadcastWorker(x.deps, x.api, { ...opts, onIdle: idle.onIdle });
  await idle.next();
  await worker.stop();
}

function broadcast(x: Setup, photo: string | null = null) {
  return createBroadcast(
    x.db,
    {
      createdBy: AUTHOR,
      at: NOW,
      sendAt: NOW,
      audience: { kind: "all" },
      ru: { text: "Важно: приём", entities: [{ type: "bold", offset: 0, length: 5 }] },
      kk: { text: "Маңызды: қабылдау", entities: [{ type: "italic", offset: 0, length: 8 }] },
      photoFileId: photo,
    },
    WINDOW,
    new Date(NOW),
  );
}

const statuses = (x: Setup) =>
  x.db.selectFrom("broadcast_recipients").select(["user_id", "status", "attempts"]).orderBy("user_id").execute();

describe("broadcast sender", () => {
  it("each person gets the text in their language with its formatting and the /stop footer; the author a summary", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10], { language: "ru" });
    await addUsers(s.db, [11], { language: "kk" });
    knownChats(s.tg, [AUTHOR, 10, 11]);
    await broadcast(s);
    await run(s);
    const ru = s.tg.user({ id: 10, first_name: "U10" }).messages();
    const kk = s.tg.user({ id: 11, first_name: "U11" }).messages();
    expect(ru).toHaveLength(1);
    expect(kk).toHaveLength(1);
    expect(ru[0]?.text).toMatch(/^Важно: приём\n\n.*\/stop/);
    expect(ru[0]?.entities).toEqual([{ type: "bold", offset: 0, length: 5 }]);
    expect(kk[0]?.text).toMatch(/^Маңызды: қабылдау\n\n.*\/stop/);
    expect(kk[0]?.entities).toEqual([{ type: "italic", offset: 0, length: 8 }]);
    const note = s.tg.user({ id: AUTHOR, first_name: "A" }).messages();
    expect(note.at(-1)?.text).toContain("отправлено 2 из 2");
  });

  it("a person gets the language they use at send time; an audience by language gets its one text, whole, even after a switch", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10, 11], { language: "ru" });
    await addUsers(s.db, [12], { language: "kk" });
    knownChats(s.tg, [AUTHOR, 10, 11, 12]);
    await broadcast(s); // both texts, to everyone
    const kkOnly = await createBroadcast(
      s.db,
      {
        createdBy: AUTHOR,
        at: NOW,
        sendAt: NOW,
        audience: { kind: "language", language: "kk" },
        ru: null,
        kk: { text: "Тек қазақша", entities: [] },
        photoFileId: null,
      },
      WINDOW,
      new Date(NOW),
    );
    expect(kkOnly).toMatchObject({ total: 1, text_ru: null, text_kk: "Тек қазақша" });
    // Between compose and send: 11 switches to Kazakh, 12 to Russian.
    await s.db.updateTable("users").set({ language: "kk" }).where("id", "=", 11).execute();
    await s.db.updateTable("users").set({ language: "ru" }).where("id", "=", 12).execute();
    await run(s);
    const texts = (id: number) =>
      s?.tg
        .user({ id, first_name: `U${id}` })
        .messages()
        .map((m) => m.text) ?? [];
    const [ruFooter, kkFooter] = [s.deps.i18n.t("ru")("broadcast.footer"), s.deps.i18n.t("kk")("broadcast.footer")];
    expect(texts(10)).toEqual([`Важно: приём\n\n${ruFooter}`]);
    expect(texts(11)).toEqual([`Маңызды: қабылдау\n\n${kkFooter}`]);
    // 12 reads Russian now; the Kazakh-only one chose them as a Kazakh reader: its only text, with the footer in its
    // language, never an empty message.
    expect(texts(12)).toEqual([`Важно: приём\n\n${ruFooter}`, `Тек қазақша\n\n${kkFooter}`]);
  });

  it("one photo goes with the caption", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10]);
    knownChats(s.tg, [AUTHOR, 10]);
    const photo = s.tg.user({ id: AUTHOR, first_name: "A" }).sendPhoto({ caption: "x" }).photo?.at(-1)?.file_id ?? "";
    await broadcast(s, photo);
    await run(s);
    const calls = s.tg.calls("sendPhoto");
    expect(calls).toHaveLength(1);
    const got = s.tg.user({ id: 10, first_name: "U10" }).messages()[0];
    expect(got?.caption).toMatch(/^Важно: приём/);
    expect(got?.photo?.length).toBeGreaterThan(0);
  });

  it("403 marks the subscriber blocked and a 400 fails at once, neither retried; other errors are retried a bounded number of times, then failed with their error class", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10, 11, 12, 13]);
    knownChats(s.tg, [AUTHOR, 10, 11, 12, 13]);
    s.tg.block(11);
    s.tg.faults.inject({
      method: "sendMessage",
      chatId: 12,
      times: Infinity,
      error: { code: 400, description: "Bad Request: chat not found" },
    });
    s.tg.faults.inject({
      method: "sendMessage",
      chatId: 13,
      times: Infinity,
      error: { code: 404, description: "Not Found" },
    });
    await broadcast(s);
    await run(s, { maxAttempts: 3 });
    expect(await statuses(s)).toEqual([
      { user_id: 10, status: "sent", attempts: 1 },
      { user_id: 11, status: "blocked", attempts: 1 },
      { user_id: 12, status: "failed", attempts: 1 },
      { user_id: 13, status: "failed", attempts: 3 },
    ]);
    // The row says what kind of failure it was (code and description class), never "failed" alone.
    const errors = await s.db
      .selectFrom("broadcast_recipients")
      .select(["user_id", "error"])
      .orderBy("user_id")
      .execute();
    expect(errors.map((e) => e.error)).toEqual([
      null,
      "403 forbidden",
      "400 bad request: chat not found",
      "404 not found",
    ]);
    const user11 = await s.db.selectFrom("users").select("blocked").where("id", "=", 11).executeTakeFirstOrThrow();
    expect(user11.blocked).toBe(1);
    const tg = s.tg;
    const callsTo = (id: number) => tg.calls("sendMessage").filter((c) => Number(c.params["chat_id"]) === id);
    expect(callsTo(11)).toHaveLength(1);
    expect(callsTo(12)).toHaveLength(1);
    expect(callsTo(13)).toHaveLength(3);
  });

  it("a 429 pauses the whole sender for retry_after, then every recipient still gets exactly one message", async () => {
    s = await setup({ now: NOW });
    const ids = [10, 11, 12, 13, 14, 15];
    await addUsers(s.db, ids);
    knownChats(s.tg, [AUTHOR, ...ids]);
    s.tg.faults.tooManyRequests({ method: "sendMessage", chatId: 12, times: 1, retryAfter: 1 });
    await broadcast(s);
    // auto-retry capped at 0 s: the 429 comes back to the sender, which pauses and re-queues.
    await run(s, { retry: { maxRetryAttempts: 3, maxDelaySeconds: 0 } });
    const calls = s.tg.calls("sendMessage").filter((c) => Number(c.params["chat_id"]) !== AUTHOR);
    const failedAt = calls.findIndex((c) => !c.ok);
    expect(failedAt).toBeGreaterThanOrEqual(0);
    const limited = calls[failedAt];
    const next = calls[failedAt + 1];
    if (!limited || !next) throw new Error("missing calls");
    // Nothing at all went out during the pause, for this chat or any other.
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
    const delivered = calls.filter((c) => c.ok).map((c) => Number(c.params["chat_id"]));
    expect(delivered.sort()).toEqual(ids);
    expect(s.tg.stats().tooManyRequests).toBe(1);
  });

  it("paces at the configured rate and stays inside Telegram's limits (emulator enforcing 30/s, 1/s per chat)", async () => {
    s = await setup({ now: NOW, rate: 28 });
    const ids = Array.from({ length: 60 }, (_, i) => 1000 + i);
    await addUsers(s.db, ids);
    knownChats(s.tg, [AUTHOR, ...ids]);
    s.tg.setRateLimit({ global: 30, perChat: 1 });
    await broadcast(s);
    const started = Date.now();
    await run(s);
    const seconds = (Date.now() - started) / 1000;
    expect(s.tg.stats().tooManyRequests).toBe(0);
    expect(s.tg.calls("sendMessage").filter((c) => c.ok)).toHaveLength(61);
    // 60 messages at 28/s ≈ 2.1 s.
    expect(seconds).toBeGreaterThan(1.9);
    expect(seconds).toBeLessThan(4);
  });

  it("pause and cancel are honoured before the next message", async () => {
    s = await setup({ now: NOW });
    await addUsers(s.db, [10, 11]);
    knownChats(s.tg, [AUTHOR, 10, 11]);
    const b = await broadcast(s);
    await s.db.updateTable("broadcasts").set({ status: "paused" }).where("id", "=", b.id).execute();
    await run(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
    await s.db.updateTable("broadcasts").set({ status: "cancelled" }).where("id", "=", b.id).execute();
    await run(s);
    expect(s.tg.calls("sendMessage")).toHaveLength(0);
  });
});
