import { afterEach, describe, expect, it } from "vitest";
import { startOutboxWorker, type OutboxWorkerOptions } from "../../../bot/outbox-worker.js";
import { decide, receiveDocument } from "../../../data/repositories/decisions.js";
import { enqueueNotice, type OutboxRow } from "../../../data/repositories/outbox.js";
import { withdrawRequest } from "../../../data/repositories/requests.js";
import { getUser } from "../../../data/repositories/users.js";
import { failInserts } from "../../fixtures/faults.js";
import { insertRequest } from "../../fixtures/requests.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";
import { addUsers, idleSignal, knownChats, setup, type Setup } from "../broadcast/helpers.js";
import { setClinic } from "./helpers.js";

// A message owed after a stored change is an outbox row written in the change's transaction (none without the
// change), and the worker sends each row once, resuming after a restart.
const NOW = IN_CAMPAIGN_UTC;
const REVIEWER = 9101;

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const rows = (x: Setup): Promise<OutboxRow[]> => x.db.selectFrom("outbox").selectAll().orderBy("id").execute();

/** Runs the worker until it first runs out of due rows; returns it still running. */
async function started(x: Setup, opts: OutboxWorkerOptions = {}) {
  const idle = idleSignal();
  const first = idle.next();
  const worker = startOutboxWorker(x.deps, x.api, { pollMs: 60_000, ...opts, onIdle: idle.onIdle });
  await first;
  return { worker, idle };
}

describe("the outbox is written with the change it tells of", () => {
  it("a decision and its notice commit together; a refused or failed decision writes no row", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const x = s;
    const r = await insertRequest(x.db, { user_id: 7401 });
    const done = await decide(x.db, r.id, REVIEWER, { kind: "approve" }, NOW);
    expect(done.ok).toBe(true);
    expect(await rows(x)).toMatchObject([
      { id: done.ok ? done.noticeId : -1, chat_id: 7401, kind: "decision", request_id: r.id, sent_at: null },
    ]);
    expect(JSON.parse((await rows(x))[0]?.payload ?? "")).toEqual({ status: "approved" });

    // A replayed press finds it decided: nothing more is owed.
    const again = await decide(x.db, r.id, REVIEWER, { kind: "reject", reason: "made_up", note: null }, NOW);
    expect(again).toMatchObject({ ok: false, reason: "already_decided" });
    // R6: a full clinic refuses the approval, and nobody is told anything.
    const full = await insertRequest(x.db, { user_id: 7402, clinic_id: "almaty-gp-2" });
    await setClinic(x.db, "almaty-gp-2", { attached: 10, capacity: 10 });
    expect(await decide(x.db, full.id, REVIEWER, { kind: "approve" }, NOW)).toMatchObject({ reason: "clinic_full" });
    expect(await rows(x)).toHaveLength(1);

    // A decision whose transaction fails at its last write (the audit entry) leaves neither the status nor a row.
    const broken = await insertRequest(x.db, { user_id: 7403 });
    const repaired = await failInserts(x.db, "audit_log", "audit down");
    await expect(decide(x.db, broken.id, REVIEWER, { kind: "approve" }, NOW)).rejects.toThrow(/audit down/);
    await repaired();
    const status = await x.db.selectFrom("requests").select("status").where("id", "=", broken.id).executeTakeFirst();
    expect(status?.status).toBe("pending");
    expect(await rows(x)).toHaveLength(1);
  });

  it("a document received queues the applicant's acknowledgement and the asking reviewer's note; a withdrawal its confirmation", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const x = s;
    const r = await insertRequest(x.db, { user_id: 7411 });
    await decide(x.db, r.id, REVIEWER, { kind: "needs_documents", note: "residence_proof" }, NOW);
    const doc = {
      kind: "residence_proof",
      file_id: "f1",
      file_unique_id: "u1",
      mime_type: "image/jpeg",
      file_size: 10,
      file_name: null,
      added_at: NOW,
    };
    const first = await receiveDocument(x.db, r.id, 7411, doc, NOW);
    expect(first.back).toBe(true);
    const second = await receiveDocument(x.db, r.id, 7411, { ...doc, file_unique_id: "u2" }, NOW);
    expect(second).toMatchObject({ back: false, noticeIds: [expect.any(Number)] });
    const noticeId = await withdrawRequest(x.db, r.id, 7411, NOW);
    expect(await withdrawRequest(x.db, r.id, 7411, NOW)).toBeNull();
    expect((await rows(x)).map((o) => [o.kind, o.chat_id, o.payload])).toEqual([
      ["decision", 7411, '{"status":"needs_documents"}'],
      ["documents_received", 7411, '{"back":true}'],
      ["documents_staff", REVIEWER, "{}"],
      ["documents_received", 7411, '{"back":false}'],
      ["withdrawn", 7411, "{}"],
    ]);
    expect((await rows(x)).at(-1)?.id).toBe(noticeId);
  });
});

describe("the outbox worker", () => {
  it("at start sends what a previous process left owed, in each chat's order, once, in the recipient's language", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const x = s;
    await addUsers(x.db, [7421], { language: "kk" });
    knownChats(x.tg, [7421]);
    const r = await insertRequest(x.db, { user_id: 7421, locale: "ru" });
    await decide(x.db, r.id, REVIEWER, { kind: "approve" }, NOW);
    // The process died while sending this one: it goes again (the one possible duplicate of a crash).
    await enqueueNotice(x.db, { chatId: 7421, kind: "withdrawn", requestId: r.id }, NOW);
    await x.db.updateTable("outbox").set({ sending_since: NOW, attempts: 1 }).where("kind", "=", "withdrawn").execute();
    // Closed rows older than a week are pruned; the outbox is a queue, not a record.
    const old = await enqueueNotice(
      x.db,
      { chatId: 7421, kind: "withdrawn", requestId: r.id },
      "2026-09-01T00:00:00.000Z",
    );
    await x.db.updateTable("outbox").set({ sent_at: "2026-09-01T00:00:01.000Z" }).where("id", "=", old).execute();

    const { worker } = await started(x);
    await worker.stop();
    const got = x.tg.user({ id: 7421, first_name: "U" }).messages();
    const tr = x.deps.i18n.t("kk");
    expect(got.map((m) => m.text ?? "")).toEqual([
      expect.stringContaining(`${r.number}`),
      tr("requests.withdrawn", { number: r.number }).replace(/<\/?b>/g, ""),
    ]);
    expect(got[0]?.text).toContain("мақұлданды");
    expect(await rows(x)).toHaveLength(2);
    expect((await rows(x)).every((o) => o.sent_at !== null && o.sending_since === null)).toBe(true);
    // Started again, it has nothing to send.
    const again = await started(x);
    await again.worker.stop();
    expect(x.tg.user({ id: 7421, first_name: "U" }).messages()).toHaveLength(2);
  });

  it("403 marks the person blocked and drops the row; 429 waits retry_after; a 5xx backs off and keeps it", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const x = s;
    await addUsers(x.db, [7431, 7432]);
    knownChats(x.tg, [7431, 7432]);
    x.tg.faults.forbidden({ method: "sendMessage", chatId: 7431 });
    const blocked = await insertRequest(x.db, { user_id: 7431 });
    await decide(x.db, blocked.id, REVIEWER, { kind: "approve" }, NOW);
    let mono = 0;
    const { worker, idle } = await started(x, { monotonic: () => mono });
    expect((await rows(x))[0]).toMatchObject({ failed_reason: "telegram 403 blocked", sent_at: null });
    expect((await getUser(x.db, 7431))?.blocked).toBe(1);

    const r = await insertRequest(x.db, { user_id: 7432 });
    const decided = await decide(x.db, r.id, REVIEWER, { kind: "approve" }, NOW);
    const id = decided.ok ? decided.noticeId : -1;
    x.tg.faults.tooManyRequests({ method: "sendMessage", chatId: 7432, retryAfter: 30 });
    expect(await x.deps.outbox.delivered([id])).toEqual(["queued"]);
    const waiting = (await rows(x)).find((o) => o.id === id);
    expect(waiting).toMatchObject({ attempts: 1, sent_at: null, failed_reason: null, sending_since: null });
    expect(waiting?.next_attempt_at).toBe(new Date(Date.parse(NOW) + 30_000).toISOString());

    // retry_after has passed: the next try meets a 500 and backs off (the row stays owed).
    x.clock.set(new Date(Date.parse(NOW) + 30_000).toISOString());
    mono += 30_000;
    x.tg.faults.serverError({ method: "sendMessage", chatId: 7432 });
    const failed = idle.next();
    x.deps.outbox.notify();
    await failed;
    const backedOff = (await rows(x)).find((o) => o.id === id);
    expect(backedOff).toMatchObject({ attempts: 2, sent_at: null, failed_reason: null });
    expect(backedOff?.next_attempt_at).toBe(new Date(Date.parse(NOW) + 32_000).toISOString());

    x.clock.set(new Date(Date.parse(NOW) + 32_000).toISOString());
    const sent = idle.next();
    x.deps.outbox.notify();
    await sent;
    expect(await x.deps.outbox.delivered([id])).toEqual(["sent"]);
    await worker.stop();
    expect(x.tg.user({ id: 7432, first_name: "U" }).messages()).toHaveLength(1);
    await expect(x.deps.metrics.registry.getSingleMetricAsString("emhana_outbox_messages_total")).resolves.toMatch(
      /outcome="retry"} 2/,
    );
  });

  it("without a running worker a handler is told 'queued' at once: the row stays owed", async () => {
    s = await setup({ now: NOW, seedDirectory: true });
    const r = await insertRequest(s.db, { user_id: 7441 });
    const decided = await decide(s.db, r.id, REVIEWER, { kind: "reject", reason: "made_up", note: null }, NOW);
    expect(await s.deps.outbox.delivered([decided.ok ? decided.noticeId : -1])).toEqual(["queued"]);
    expect(await rows(s)).toMatchObject([{ sent_at: null, failed_reason: null }]);
  });
});
