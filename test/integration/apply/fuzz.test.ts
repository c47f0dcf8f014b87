import fc from "fast-check";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDraft, STEPS, type Draft, type StepId } from "../../../bot/application/draft.js";
import { loadDraft } from "../../../data/repositories/drafts.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { inProcessBot } from "./bot-fixture.js";
import { IN_CAMPAIGN } from "../../dates.js";

type Bot = Awaited<ReturnType<typeof inProcessBot>>;
type Body = Omit<Update, "update_id">;

const user = (id: number) => ({ id, is_bot: false, first_name: "Fuzz", language_code: "ru" });
const chat = (id: number) => ({ id, type: "private" as const, first_name: "Fuzz" });
let seq = 1;

function message(id: number, fields: Record<string, unknown>): Body {
  return { message: { message_id: seq++, date: 1_790_000_000, chat: chat(id), from: user(id), ...fields } } as Body;
}
function press(id: number, data: string): Body {
  const msg = {
    message_id: seq++,
    date: 1_790_000_000,
    chat: chat(id),
    from: { ...user(7000000001), is_bot: true },
    text: "q",
  };
  return { callback_query: { id: String(seq++), from: user(id), chat_instance: "1", data, message: msg } } as Body;
}
const command = (id: number, text: string) =>
  message(id, { text, entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 0 }] });

/** Valid answers, step by step, that bring a fresh user to any step of the flow. */
function walk(id: number): Record<StepId, Body[]> {
  return {
    who: [command(id, "/apply")],
    category: [press(id, "a:who:self")],
    // R2: an EAEU worker, so the insurance step is fuzzed too.
    insurance: [press(id, "a:category:eaeu_worker")],
    iin: [press(id, "a:insurance:voluntary"), message(id, { text: "31.12.2027" })],
    region: [message(id, { text: makeIin("900101", 3, id % 9000) })],
    settlement: [press(id, "a:region:abai")],
    clinic: [press(id, "a:settlement:semey")],
    ground: [press(id, "a:clinic:sample-semey-01")],
    residence: [press(id, "a:ground:free_choice")],
    documents: [press(id, "a:residence:temporary")],
    summary: [
      message(id, { photo: [{ file_id: `p${id}`, file_unique_id: `u${id}`, width: 10, height: 10 }] }),
      press(id, "a:documents:done:0"),
      message(id, { photo: [{ file_id: `q${id}`, file_unique_id: `v${id}`, width: 10, height: 10 }] }),
      press(id, "a:documents:done:1"),
    ],
  };
}

/** Anything a person, a client bug or an attacker could send: never a valid answer to the step under test. */
function garbage(id: number): fc.Arbitrary<Body> {
  const anyText = fc.string({ unit: "binary", maxLength: 5000 });
  return fc.oneof(
    anyText.map((text) => message(id, { text: text.length ? text : " " })),
    fc
      .constantFrom("/start", "/help", "/faq", "/status", "/foo", "/cancel@other_bot", "/language")
      .map((t) => command(id, t)),
    fc.constant(
      message(id, {
        sticker: {
          file_id: "s",
          file_unique_id: "s",
          type: "regular",
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      }),
    ),
    fc.constant(message(id, { voice: { file_id: "v", file_unique_id: "v", duration: 3 } })),
    // Photos: a valid answer only where documents are collected.
    fc
      .record({
        uid: fc.string({ minLength: 1, maxLength: 20 }),
        caption: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
      })
      .map(({ uid, caption }) =>
        message(id, {
          photo: [{ file_id: `ph-${uid}`, file_unique_id: `phu-${uid}`, width: 90, height: 90, file_size: 1000 }],
          ...(caption ? { caption } : {}),
        }),
      ),
    fc
      .record({
        mime: fc.constantFrom("application/zip", "text/html", "application/x-msdownload", "image/gif"),
        size: fc.nat(),
      })
      .map(({ mime, size }) =>
        message(id, { document: { file_id: "d", file_unique_id: "d", mime_type: mime, file_size: size } }),
      ),
    fc.nat().map((n) =>
      message(id, {
        document: {
          file_id: "big",
          file_unique_id: "big",
          mime_type: "application/pdf",
          file_size: 20 * 1024 * 1024 + 1 + n,
        },
      }),
    ),
    fc
      .record({
        latitude: fc.double({ min: -90, max: 90, noNaN: true }),
        longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      })
      .map((location) => message(id, { location })),
    fc.string({ maxLength: 300 }).map((d) => press(id, d)),
    fc
      .tuple(fc.constantFrom(...STEPS, "nav", "x"), fc.string({ maxLength: 80 }))
      .map(([s, d]) => press(id, `a:${s}:${d}`)),
    fc
      .constantFrom("menu:zzz", "lang:xx", "faq:../../etc", "wd:yes:99999999", "ap2:child:1", "ap2:go:x")
      .map((d) => press(id, d)),
    fc.constant({
      poll: {
        id: "1",
        question: "?",
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      },
    } as unknown as Body),
    fc.constant({ some_future_update: { x: 1 } } as unknown as Body),
    fc.constant({
      edited_message: { message_id: 1, date: 1, edit_date: 2, chat: chat(id), from: user(id), text: "edited" },
    } as unknown as Body),
  );
}

// Steps where typed text is an answer (an IIN, a settlement search): random text may legitimately move the flow on.
const TEXT_STEPS: StepId[] = ["iin", "region", "settlement"];

/** The answers each step gives: what garbage at a later step must leave alone. */
const FIELDS: Record<StepId, (keyof Draft)[]> = {
  who: ["forChild"],
  category: ["category"],
  insurance: ["insurance"],
  iin: ["iin"],
  region: ["regionId"],
  settlement: ["settlementId", "location"],
  clinic: ["clinicId"],
  ground: ["ground"],
  residence: ["residenceKind", "requiredDocs"],
  documents: ["documents"],
  summary: ["returnToSummary", "editFrom"],
};
const pick = (d: Draft, keys: (keyof Draft)[]) => Object.fromEntries(keys.map((k) => [k, d[k]]));

describe("fuzz: garbage at every step of the application (fast-check)", () => {
  let bot: Bot;
  let sent = 0;
  const logLines: string[] = [];
  beforeAll(async () => {
    bot = await inProcessBot({ clockStart: IN_CAMPAIGN, logLines });
  });
  afterAll(async () => {
    await bot?.close();
  });

  const order: StepId[] = [
    "who",
    "category",
    "insurance",
    "iin",
    "region",
    "settlement",
    "clinic",
    "ground",
    "residence",
    "documents",
    "summary",
  ];
  let nextUser = 50_000;

  for (const [index, step] of order.entries()) {
    it(`at step "${step}": no crash, no error reply, every press answered, the whole draft intact (photos too), every text and button within Telegram's limits`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 30 }), fc.context(), async (seed, log) => {
          const id = nextUser++;
          const plan = walk(id);
          await bot.send(command(id, "/start"));
          await bot.send(press(id, "lang:ru"));
          for (const s of order.slice(0, index + 1)) for (const u of plan[s]) await bot.send(u);
          const before = parseDraft((await loadDraft(bot.deps, id))?.data ?? null);
          expect(before.step).toBe(step);
          const updates = fc.sample(garbage(id), { numRuns: 110, seed });
          const callsBefore = bot.calls.length;
          for (const u of updates) {
            await bot.send(u);
            sent += 1;
          }
          const after = parseDraft((await loadDraft(bot.deps, id))?.data ?? null);
          log.log(`user ${id}, ${updates.length} updates, step ${before.step} → ${after.step}`);
          // Earlier answers survive everything: region, settlement, clinic, ground, residence, documents… all of them.
          const earlier = order.slice(0, index).flatMap((s) => FIELDS[s]);
          expect(pick(after, earlier)).toEqual(pick(before, earlier));
          if (!TEXT_STEPS.includes(step)) {
            // Nothing typed or sent here is an answer, except pages of the document being collected.
            // Where the flow stands (waiting or not, the question's message and its opening line, its view) is no answer.
            const own = ["active", "view", "asked", "lead", "covered", ...(step === "documents" ? ["documents"] : [])];
            const rest = (Object.keys(before) as (keyof Draft)[]).filter((k) => !own.includes(k));
            expect(pick(after, rest)).toEqual(pick(before, rest));
            expect(after.step).toBe(step);
            if (step === "documents")
              expect(after.documents.every((d) => d.kind === before.requiredDocs[0])).toBe(true);
          }
          const calls = bot.calls.slice(callsBefore);
          // Every button press is answered (no spinning button), whoever it belongs to.
          const answeredIds = new Set(
            calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.callback_query_id),
          );
          const pressed = updates.flatMap((u) => (u.callback_query ? [u.callback_query.id] : []));
          expect(pressed.filter((p) => !answeredIds.has(p))).toEqual([]);
          const errorText = bot.deps.i18n.t("ru")("common.error");
          expect(calls.filter((c) => c.payload.text === errorText)).toEqual([]);
          for (const c of calls) {
            if (typeof c.payload.text === "string") expect(c.payload.text.length).toBeLessThanOrEqual(4096);
            const kb =
              (c.payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
                ?.inline_keyboard ?? [];
            for (const b of kb.flat()) expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);
          }
          // And the flow still answers: /apply offers to continue, and Continue asks the saved step's question.
          const resumeFrom = bot.calls.length;
          await bot.send(command(id, "/apply"));
          expect(bot.calls.slice(resumeFrom).some((c) => c.method === "sendMessage")).toBe(true);
          const continueFrom = bot.calls.length;
          await bot.send(press(id, "ap2:go"));
          expect(bot.calls.slice(continueFrom).some((c) => c.method === "sendMessage")).toBe(true);
        }),
        { numRuns: 10, seed: 20261123 + index },
      );
    });
  }

  it("fed at least 10 000 generated updates in all", () => {
    expect(sent).toBeGreaterThanOrEqual(10_000);
  });

  it("logged nothing personal at the most verbose level: no IIN, no name, no text", async () => {
    // A redelivered update is logged (as a duplicate): it carries an IIN the log must not.
    const replay = { update_id: bot.nextUpdateId(), ...message(49_999, { text: makeIin("900101", 3, 49_999 % 9000) }) };
    await bot.send(replay);
    await bot.send(replay);
    expect(logLines.some((l) => l.includes("duplicate update skipped"))).toBe(true);
    const all = logLines.join("\n");
    for (let id = 49_999; id < nextUser; id++) expect(all).not.toContain(makeIin("900101", 3, id % 9000));
    expect(all).not.toContain("Fuzz");
  });
});
