import { afterEach, describe, expect, it } from "vitest";
import { startBroadcastWorker } from "../../../bot/features/broadcast/sender.js";
import { prepareNotice } from "../../../bot/features/staff/notify.js";
import {
  createBroadcast,
  countAudienceByLanguage,
  type CampaignWindow,
} from "../../../data/repositories/broadcasts.js";
import { insertRequest } from "../../fixtures/requests.js";
import { addUsers, confirmCampaign, idleSignal, knownChats, setup, type Setup } from "./helpers.js";

// Someone who never chose a language is written to in their Telegram app's language when it is kk or ru, also
// when the bot writes first: broadcasts, campaign reminders, decision notices (the same order as for a reply).
const NOW = "2026-09-15T05:00:00.000Z";
const WINDOW: CampaignWindow = { from: "2026-08-31T19:00:00.000Z", to: "2026-11-01T19:00:00.000Z" };
const AUTHOR = 1;

let s: Setup | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function run(x: Setup, tick = false): Promise<void> {
  const idle = idleSignal();
  const worker = startBroadcastWorker(x.deps, x.api, { onIdle: idle.onIdle, tickMs: 3_600_000, idleMs: 20 });
  if (tick) await worker.tick();
  await idle.next();
  await worker.stop();
}

const received = (x: Setup, id: number) =>
  x.tg
    .user({ id, first_name: `U${id}` })
    .messages()
    .map((m) => m.text ?? "");

/** 20: Kazakh Telegram, no choice; 21: Russian Telegram (ru-RU); 22: English Telegram; 23: chose ru, Kazakh Telegram. */
async function people(x: Setup): Promise<void> {
  await addUsers(x.db, [20], { language: null, languageCode: "kk" });
  await addUsers(x.db, [21], { language: null, languageCode: "ru-RU" });
  await addUsers(x.db, [22], { language: null, languageCode: "en" });
  await addUsers(x.db, [23], { language: "ru", languageCode: "kk" });
  knownChats(x.tg, [AUTHOR, 20, 21, 22, 23]);
}

describe("the language of someone who never chose one", () => {
  it("a broadcast reaches a person with Kazakh Telegram and no choice in Kazakh; a choice still wins", async () => {
    s = await setup({ now: NOW });
    await people(s);
    const audience = { kind: "all" } as const;
    expect(await countAudienceByLanguage(s.db, audience, WINDOW)).toEqual({ ru: 3, kk: 1 });
    await createBroadcast(
      s.db,
      {
        createdBy: AUTHOR,
        at: NOW,
        sendAt: NOW,
        audience,
        ru: { text: "Важно: приём", entities: [] },
        kk: { text: "Маңызды: қабылдау", entities: [] },
        photoFileId: null,
      },
      WINDOW,
      new Date(NOW),
    );
    await run(s);
    expect(received(s, 20)[0]).toMatch(/^Маңызды: қабылдау\n\nТаратылымдар мен еске салу/);
    expect(received(s, 21)[0]).toMatch(/^Важно: приём/);
    expect(received(s, 22)[0]).toMatch(/^Важно: приём/);
    expect(received(s, 23)[0]).toMatch(/^Важно: приём/);
  });

  it("an audience by language counts Kazakh Telegram as Kazakh", async () => {
    s = await setup({ now: NOW });
    await people(s);
    expect(await countAudienceByLanguage(s.db, { kind: "language", language: "kk" }, WINDOW)).toEqual({ ru: 0, kk: 1 });
  });

  it("R7: the campaign reminder goes out in Kazakh, its dates with their case endings", async () => {
    s = await setup({ now: "2026-09-01T10:30:00+05:00" });
    await people(s);
    await confirmCampaign(s);
    await run(s, true);
    expect(received(s, 20)).toHaveLength(1);
    expect(received(s, 20)[0]).toContain("Емханаға бекіту науқаны басталды");
    expect(received(s, 20)[0]).toContain("1 қыркүйектен бастап 1 қарашаға дейін");
    expect(received(s, 21)[0]).toContain("С 1 сентября по 1 ноября");
  });

  it("R14: a decision notice follows Telegram's language before the language the request was filed in", async () => {
    s = await setup({ now: NOW });
    await people(s);
    const approved = { status: "approved", decided_by: 1, decided_at: NOW } as const;
    const kkApp = await insertRequest(s.db, { ...approved, user_id: 20, locale: "ru" });
    const enApp = await insertRequest(s.db, { ...approved, user_id: 22, locale: "kk" });
    const chose = await insertRequest(s.db, { ...approved, user_id: 23, locale: "kk" });
    const stranger = await insertRequest(s.db, { ...approved, user_id: 99, locale: "ru" });
    expect((await prepareNotice(s.deps, kkApp))?.text).toContain("өтінімі мақұлданды");
    expect((await prepareNotice(s.deps, kkApp))?.text).toContain("<b>2027 жылғы 1 қаңтардан</b> бастап күшіне енеді");
    expect((await prepareNotice(s.deps, enApp))?.text).toContain("өтінімі мақұлданды");
    expect((await prepareNotice(s.deps, chose))?.text).toContain("одобрена");
    expect((await prepareNotice(s.deps, stranger))?.text).toContain("вступает в силу с <b>1 января 2027 года</b>");
  });
});
