import jsqr from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { agreeing, buttons, chooseLanguage, head, L, tap, until, untilMatch } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { clinicLink } from "../../bot/deep-links.js";
import { openDatabaseUrl } from "../../data/db.js";
import { getClinic, upsertClinic } from "../../data/repositories/clinics.js";
import { query, storedIin } from "./staff-seed.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN } from "../dates.js";

type Lang = "ru" | "kk";
const ADMIN = 9001;
const SUPPORT = 9801; // support of one Almaty clinic
const BOT = "emhana_test_bot";

/** A clinic's name in a language, as the directory ships it. */
const NAMES: Record<string, Record<Lang, string>> = {
  "almaty-gp-4": { ru: "Городская поликлиника №4", kk: "№4 қалалық емхана" },
  "almaty-gp-7": { ru: "Городская поликлиника №7", kk: "№7 қалалық емхана" },
  "astana-gp-9": { ru: "Городская поликлиника №9", kk: "№9 қалалық емхана" },
  "sample-shymkent-04": { ru: "Городская поликлиника №303", kk: "№303 қалалық емхана" },
};
const name = (id: string, lang: Lang) => NAMES[id]?.[lang] ?? id;

/** What a person's app sends when they open `t.me/<bot>?start=<payload>` (or press START on a new chat). */
function openLink(u: ScriptedUser, payload: string): void {
  u.command("/start", payload);
}

const requestsOf = (stack: Stack, userId: number) =>
  query<{ clinic_id: string; iin_index: string; ground: string; residence_kind: string; settlement_id: string }>(
    stack,
    "select clinic_id, iin_index, ground, residence_kind, settlement_id from requests where user_id = ? order by id",
    userId,
  );
const linkStarts = async (stack: Stack, clinicId: string) =>
  (
    await query<{ n: number }>(stack, "select coalesce(sum(n), 0) as n from link_starts where clinic_id = ?", clinicId)
  )[0]?.n ?? 0;

describe("deep links end to end: a clinic's link from the language to the request, a switch mid-application, the other payloads", () => {
  let stack: Stack;
  beforeAll(async () => {
    // At info, the log line of every start by link is written: the last test reads them.
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN], env: { LOG_LEVEL: "info" } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** A new person opens a clinic's link, picks the language and files a request for that clinic from its card. */
  async function newPersonApplies(id: number, lang: Lang, clinicId: string, place: string, iin: string) {
    const u = stack.tg.user({ id, first_name: "Гүлнар", language_code: lang });
    const before = await linkStarts(stack, clinicId);
    openLink(u, `c_${clinicId}`);
    // The language first (the question is in both), nothing of the clinic yet.
    const ask = await until(u, L("ru", "start.choose_language").split("\n")[0] ?? "");
    expect(buttons(ask)).toEqual([L(lang, "start.lang_ru"), L(lang, "start.lang_kk")]);
    await tap(u, L(lang, `start.lang_${lang}`));
    // Who runs the bot comes first, then the clinic's card with "Apply here".
    await until(u, head(lang, "start.welcome"));
    const card = await until(u, head(lang, "links.clinic_lead"));
    expect(card.text).toContain(name(clinicId, lang));
    expect(buttons(card)).toEqual([L(lang, "links.apply_here")]);
    expect(await linkStarts(stack, clinicId)).toBe(before + 1);
    await agreeing(u, lang, () => tap(u, L(lang, "links.apply_here")));
    await walkTo(u, "region", { lang, iin, from: "who" });
    // The clinic step offers the link's clinic first, above the settlement's list.
    const clinics = await walkTo(u, "clinic", { lang, place, from: "region" });
    expect(clinics.text).toContain(head(lang, "links.preferred"));
    expect(buttons(clinics)[0]).toBe(name(clinicId, lang));
    await walkTo(u, "filed", { lang, clinic: name(clinicId, lang), from: "clinic" });
    expect((await requestsOf(stack, id)).map((r) => r.clinic_id)).toEqual([clinicId]);
    // Counted once: the language choice in between is not a second start.
    expect(await linkStarts(stack, clinicId)).toBe(before + 1);
  }

  it("R4: a new person by a clinic's link chooses Russian and files a request for that clinic from its card", async () => {
    await newPersonApplies(3101, "ru", "almaty-gp-4", "Алматы", makeIin("900101", 4, 301));
  });

  it("R4: a new person by a clinic's link chooses Kazakh and files a request for that clinic from its card", async () => {
    await newPersonApplies(3102, "kk", "astana-gp-9", "Астана қаласы", makeIin("880505", 3, 302));
  });

  /** A person stopped at the residence question with almaty-gp-4 chosen; their answers so far. */
  async function midApplication(id: number, lang: Lang, iin: string): Promise<ScriptedUser> {
    const u = stack.tg.user({ id, first_name: "Асель", language_code: lang });
    await chooseLanguage(u, lang);
    await walkTo(u, "residence", { lang, iin, clinic: name("almaty-gp-4", lang), ground: "free_choice" });
    return u;
  }

  for (const lang of ["ru", "kk"] as const) {
    it(`R4: mid-application, a clinic's link asks first; "yes" takes it and keeps every other answer (${lang})`, async () => {
      const id = lang === "ru" ? 3201 : 3202;
      const iin = makeIin("910202", 4, id);
      const u = await midApplication(id, lang, iin);
      openLink(u, "c_almaty-gp-7");
      const offer = await until(u, head(lang, "links.clinic_lead"));
      expect(offer.text).toContain(name("almaty-gp-7", lang));
      expect(offer.text).toContain(L(lang, "links.switch_q").split("{{")[0] ?? "");
      expect(offer.text).toContain(L(lang, "apply.step_names.residence"));
      expect(buttons(offer)).toEqual([L(lang, "links.switch_yes"), L(lang, "links.switch_no")]);
      await tap(u, L(lang, "links.switch_yes"));
      const switched = await until(u, head(lang, "links.switched"));
      expect(switched.text).toContain(name("almaty-gp-7", lang));
      // Where the person stopped, the same question again; the rest of the way as before.
      await walkTo(u, "residence", { lang, from: "residence" });
      const summary = await walkTo(u, "summary", { lang, from: "residence" });
      expect(summary.text).toContain(name("almaty-gp-7", lang));
      expect(summary.text).toContain(L(lang, "rules.grounds.free_choice.title"));
      expect(summary.text).toContain(iin.slice(0, 4));
      await walkTo(u, "filed", { lang, from: "summary" });
      expect(await requestsOf(stack, id)).toEqual([
        {
          clinic_id: "almaty-gp-7",
          iin_index: storedIin(stack, iin)[1],
          ground: "free_choice",
          residence_kind: "registered",
          settlement_id: "almaty",
        },
      ]);
    });
  }

  it("R4: before the clinic step, a clinic's link chosen mid-application is offered first when the step comes (ru)", async () => {
    const u = stack.tg.user({ id: 3204, first_name: "Марат", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "iin");
    openLink(u, "c_almaty-gp-7");
    await until(u, head("ru", "links.clinic_lead"));
    await tap(u, L("ru", "links.switch_yes"));
    await until(u, withName("ru", "links.offered_later", name("almaty-gp-7", "ru")));
    await walkTo(u, "iin", { from: "iin" });
    const clinics = await walkTo(u, "clinic", { iin: makeIin("930404", 3, 3204), from: "iin" });
    expect(clinics.text).toContain(head("ru", "links.preferred"));
    expect(buttons(clinics)[0]).toBe(name("almaty-gp-7", "ru"));
  });

  it("R4: mid-application, a clinic of another settlement is explained at the clinic step; 'no' keeps the application as it was", async () => {
    const u = await midApplication(3203, "kk", makeIin("920303", 4, 3203));
    openLink(u, "c_astana-gp-9");
    await until(u, head("kk", "links.clinic_lead"));
    await tap(u, L("kk", "links.switch_yes"));
    // Not taken: the clinic step is asked again and says it is another settlement's (R4); Back returns as it was.
    const step = await untilMatch(u, (m) =>
      (m.text ?? "").includes(L("kk", "links.preferred_elsewhere").split("{{")[0] ?? ""),
    );
    expect(step.text).toContain(name("astana-gp-9", "kk"));
    expect(buttons(step)).not.toContain(name("astana-gp-9", "kk"));
    await tap(u, L("kk", "common.back"));
    await walkTo(u, "residence", { lang: "kk", from: "residence" });
    const summary = await walkTo(u, "summary", { lang: "kk", from: "residence" });
    expect(summary.text).toContain(name("almaty-gp-4", "kk"));

    // A second link, refused: the application stays as it was, and its question comes again.
    openLink(u, "c_almaty-gp-7");
    await until(u, head("kk", "links.clinic_lead"));
    await tap(u, L("kk", "links.switch_no"));
    await until(u, L("kk", "links.kept"));
    const again = await walkTo(u, "summary", { lang: "kk", from: "summary" });
    expect(again.text).toContain(name("almaty-gp-4", "kk"));
  });

  for (const lang of ["ru", "kk"] as const) {
    it(`a forged, unknown or inactive clinic's payload is an ordinary start with a short note, never an error (${lang})`, async () => {
      const base = lang === "ru" ? 3300 : 3310;
      // Someone who has used the bot: the note, then the usual welcome.
      const known = stack.tg.user({ id: base + 1, first_name: "Ержан", language_code: lang });
      await chooseLanguage(known, lang);
      for (const payload of ["c_no-such-clinic", "h_AAAAAAAAAAAAAAAAAAAAAA", "zzz", "c_", "c_a:b", "x".repeat(64)]) {
        openLink(known, payload);
        await until(known, head(lang, "links.unknown"));
        await until(known, head(lang, "start.welcome"));
      }
      openLink(known, "c_sample-shymkent-04");
      const inactive = await until(known, name("sample-shymkent-04", lang));
      expect(inactive.text).toBe(withName(lang, "links.inactive", name("sample-shymkent-04", lang)));
      await until(known, head(lang, "start.welcome"));
      expect(await linkStarts(stack, "no-such-clinic")).toBe(0);

      // A new person: the language first, then the welcome and the note in it.
      const fresh = stack.tg.user({ id: base + 2, first_name: "Дана", language_code: lang });
      openLink(fresh, "c_no-such-clinic");
      await until(fresh, L("ru", "start.choose_language").split("\n")[0] ?? "");
      await tap(fresh, L(lang, `start.lang_${lang}`));
      await until(fresh, head(lang, "start.welcome"));
      await until(fresh, head(lang, "links.unknown"));
      expect(fresh.messages().some((m) => (m.text ?? "").includes(head(lang, "common.error")))).toBe(false);
      expect(known.messages().some((m) => (m.text ?? "").includes(head(lang, "common.error")))).toBe(false);
    });
  }

  it("?start=apply starts the application, ?start=check shows today's check, ?start=kk and ?start=ru set the language", async () => {
    const u = stack.tg.user({ id: 3401, first_name: "Нұрлан", language_code: "ru" });
    // A new person by ?start=kk: no language question, the welcome in Kazakh.
    openLink(u, "kk");
    await until(u, head("kk", "start.welcome"));
    expect(
      (await query<{ language: string }>(stack, "select language from users where id = ?", 3401))[0]?.language,
    ).toBe("kk");
    openLink(u, "check");
    await until(u, L("kk", "check.title"));
    await agreeing(u, "kk", () => openLink(u, "apply"));
    await until(u, firstLineOf("kk", "apply.who.q"));
    openLink(u, "ru");
    await until(u, L("ru", "start.language_saved"));
    await until(u, head("ru", "start.welcome"));
    // A new person by ?start=apply: the language first, then the application.
    const fresh = stack.tg.user({ id: 3402, first_name: "Айжан", language_code: "kk" });
    openLink(fresh, "apply");
    await agreeing(fresh, "kk", () => tap(fresh, L("kk", "start.lang_kk")));
    await until(fresh, head("kk", "start.welcome"));
    await until(fresh, firstLineOf("kk", "apply.who.q"));
  });

  it("each start by link is logged as what it asked for and a known clinic's id, never the person nor a forged payload", async () => {
    // The bot writes its log to a pipe, read as it comes: wait for the last start's line (the second apply link).
    const startLines = () =>
      stack.bot
        .output()
        .split("\n")
        .filter((l) => l.includes('"start by link"'));
    await untilLogged(stack, () => startLines().filter((l) => l.includes('"link":"apply"')).length >= 2);
    const lines = startLines().map((l) => JSON.parse(l) as Record<string, unknown>);
    const kinds = new Set(lines.map((l) => l.link));
    expect([...kinds].sort()).toEqual(["apply", "check", "clinic", "language", "unknown", "unknown_clinic"]);
    // A clinic of the directory is named (the inactive one too: its poster was scanned); a forged id is not.
    expect(lines.filter((l) => l.link === "clinic").map((l) => l.clinic_id)).toContain("sample-shymkent-04");
    const forgedIds = lines.filter((l) => l.link === "unknown_clinic").map((l) => l.clinic_id);
    expect(forgedIds.length).toBeGreaterThan(0);
    expect(forgedIds.every((id) => id === undefined)).toBe(true);
    // The logger's own fields and the update's id, then only what the link asked for: no one's id, name or text.
    const ours = lines.map(({ level, time, app, update_id, msg, ...rest }) => {
      expect([typeof level, typeof time, app, typeof update_id, msg]).toEqual([
        "number",
        "number",
        "emhana",
        "number",
        "start by link",
      ]);
      return rest;
    });
    for (const rest of ours) expect(Object.keys(rest).filter((k) => k !== "link" && k !== "clinic_id")).toEqual([]);
    const text = JSON.stringify(ours);
    // Forged payloads are never written out (the codec drops the raw text).
    for (const forged of ["no-such-clinic", "zzz", "AAAAAAAAAAAAAAAAAAAAAA", "xxxxxxxx"])
      expect(text, forged).not.toContain(forged);
  });
});

describe("/qr and /stats: a clinic's QR code for staff, within their scope, and the starts by link", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let support: ScriptedUser;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support = stack.tg.user({ id: SUPPORT, first_name: "Сәуле", language_code: "kk" });
    await chooseLanguage(admin, "ru");
    await chooseLanguage(support, "kk");
    admin.command("/staff", `add ${SUPPORT} support clinic:almaty-gp-4`);
    await until(admin, `Готово: ${SUPPORT}`);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The QR code of a photo the bot sent, as the emulator stored the upload. */
  function decodePhoto(m: StoredMessage): string | undefined {
    const largest = m.photo?.at(-1);
    const file = largest ? stack.tg.file(largest.file_id) : undefined;
    expect(file).toBeDefined();
    const png = PNG.sync.read(file?.bytes ?? Buffer.alloc(0));
    // jsqr is CommonJS whose typings say `export default`: under NodeNext the function is `.default`.
    return jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
  }

  it("an admin's /qr sends the clinic's QR as a picture that decodes back to its link, with the name and the link (ru)", async () => {
    admin.command("/qr", "almaty-gp-7");
    const photo = await admin.waitFor((m) => m.photo !== undefined);
    const link = `https://t.me/${BOT}?start=c_almaty-gp-7`;
    expect(decodePhoto(photo)).toBe(link);
    expect(photo.caption).toContain(name("almaty-gp-7", "ru"));
    expect(photo.caption).toContain(link);
    expect(stack.tg.file(photo.photo?.at(-1)?.file_id ?? "")?.info.file_name).toBe("qr-almaty-gp-7.png");
  });

  it("support gets the QR of a clinic in their scope in their language, and the same short answer outside it or for no clinic (kk)", async () => {
    support.command("/qr", "almaty-gp-4");
    const photo = await support.waitFor((m) => m.photo !== undefined);
    expect(decodePhoto(photo)).toBe(`https://t.me/${BOT}?start=c_almaty-gp-4`);
    expect(photo.caption).toContain(name("almaty-gp-4", "kk"));
    expect(photo.caption).toContain(
      `${L("kk", "links.qr.caption").split("\n\n")[1]?.split("{{")[0] ?? ""}https://t.me/`,
    );
    const notFound = (id: string) => L("kk", "links.qr.not_found").replace("{{id}}", id);
    for (const id of ["almaty-gp-7", "no-such-clinic"]) {
      support.command("/qr", id);
      expect((await until(support, notFound(id))).photo).toBeUndefined();
    }
    support.command("/qr");
    await until(support, head("kk", "links.qr.usage"));
    admin.command("/qr", "sample-shymkent-04");
    await until(admin, withName("ru", "links.qr.inactive", name("sample-shymkent-04", "ru")));
    expect(support.messages().filter((m) => m.photo)).toHaveLength(1);
    // A citizen: the command does not exist.
    const citizen = stack.tg.user({ id: 9811, first_name: "Ерлан", language_code: "ru" });
    await chooseLanguage(citizen, "ru");
    citizen.command("/qr", "almaty-gp-4");
    await until(citizen, L("ru", "common.unknown"));
  });

  it("a clinic whose id is too long for c_<id> has an h_<digest> link: /qr gives it and it opens the clinic's card", async () => {
    const long = `registry-${"7".repeat(55)}`;
    const opened = openDatabaseUrl(stack.databaseUrl);
    try {
      const base = await getClinic(opened.db, "almaty-gp-12");
      if (!base) throw new Error("no almaty-gp-12");
      const clinic = { ...base, id: long, name: { ru: "Поликлиника реестра", kk: "Тізілім емханасы" }, hours: null };
      await upsertClinic(opened.db, { ...clinic, sample: false }, "2026-09-01T00:00:00Z");
    } finally {
      await opened.close();
    }
    const link = clinicLink(BOT, long);
    expect(link).toMatch(/\?start=h_[A-Za-z0-9_-]{22}$/);
    admin.command("/qr", long);
    const photo = await admin.waitFor(
      (m) => m.photo !== undefined && (m.caption ?? "").includes("Поликлиника реестра"),
    );
    expect(decodePhoto(photo)).toBe(link);
    const u = stack.tg.user({ id: 9831, first_name: "Асхат", language_code: "kk" });
    await chooseLanguage(u, "kk");
    openLink(u, new URL(link).searchParams.get("start") ?? "");
    const card = await until(u, head("kk", "links.clinic_lead"));
    expect(card.text).toContain("Тізілім емханасы");
    // An id longer than an application holds: "Apply here" opens the application, where the list offers it.
    expect(buttons(card)).toEqual([L("kk", "links.apply_here")]);
    expect(await linkStarts(stack, long)).toBe(1);
  });

  it("/stats shows the starts by link per clinic, within the member's scope", async () => {
    for (const [id, payload] of [
      [9821, "c_almaty-gp-4"],
      [9822, "c_almaty-gp-4"],
      [9823, "c_almaty-gp-7"],
      [9824, "c_no-such-clinic"],
    ] as const) {
      const u = stack.tg.user({ id, first_name: "Гость", language_code: "ru" });
      openLink(u, payload);
      await until(u, L("ru", "start.choose_language").split("\n")[0] ?? "");
    }
    admin.command("/stats");
    const all = await until(admin, head("ru", "links.stats"));
    const line = (text: string | undefined, lang: Lang) =>
      (text ?? "").split("\n").find((l) => l.startsWith(head(lang, "links.stats"))) ?? "";
    expect(line(all.text, "ru")).toContain(`${name("almaty-gp-4", "ru")} (Алматы) — 2`);
    expect(line(all.text, "ru")).toContain(`${name("almaty-gp-7", "ru")} (Алматы) — 1`);
    expect(line(all.text, "ru")).not.toContain("no-such-clinic");
    support.command("/stats", "2026-09-01 2026-09-30");
    const own = await until(support, head("kk", "links.stats"));
    expect(line(own.text, "kk")).toContain("— 2");
    expect(line(own.text, "kk")).not.toContain(name("almaty-gp-7", "kk"));
    support.command("/stats", "2026-10-01 2026-10-31");
    const later = await until(support, head("kk", "links.stats"));
    expect(line(later.text, "kk")).toBe(L("kk", "links.stats").replace("{{list}}", "—"));
  });
});

/** Resolves once the bot's output satisfies `done`, checked on each piece of output it writes. */
function untilLogged(stack: Stack, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const streams = [stack.bot.proc.stdout, stack.bot.proc.stderr];
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      finish();
      resolve();
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`the bot did not log it within ${timeoutMs} ms:\n${stack.bot.output().slice(-2000)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      for (const s of streams) s?.off("data", check);
    };
    for (const s of streams) s?.on("data", check);
    check();
  });
}

/** A locale string with its {{name}} filled in, as the person sees it (tags are formatting). */
function withName(lang: Lang, key: string, value: string): string {
  return L(lang, key)
    .replace("{{name}}", value)
    .replace(/<[^>]+>/g, "");
}

/** A locale string's first line up to its first {{variable}} or tag. */
function firstLineOf(lang: Lang, key: string): string {
  return (
    L(lang, key)
      .replace(/<[^>]+>/g, "")
      .split(/\n|\{\{/)[0] ?? ""
  ).trim();
}
