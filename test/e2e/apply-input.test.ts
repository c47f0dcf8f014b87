import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import {
  apply,
  buttons,
  chooseLanguage,
  head,
  L,
  pressFirstAvailableClinic,
  tap,
  until,
} from "../../scripts/stack/flow.js";
import { makeIin } from "../../scripts/stack/people.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN } from "../dates.js";
import { AUTUMN_CAMPAIGN, overridePolicy } from "./policy.js";
import { query, vaultOf } from "./staff-seed.js";

async function draftOf(stack: Stack, userId: number): Promise<Record<string, unknown>> {
  const [row] = await query<{ data: string }>(stack, "select data from drafts where user_id = ?", userId);
  return row ? (JSON.parse(vaultOf(stack).open(row.data, "draft")) as Record<string, unknown>) : {};
}

describe("what a person sends mid-flow, other than the expected button", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
    // R12: the proof of temporary residence is a policy option (off in the shipped 2026 policy); this flow needs it on.
    await overridePolicy(stack.databaseUrl, 2026, {
      campaign: AUTUMN_CAMPAIGN,
      requireProofForTemporaryResidence: true,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("every forged, stale or unknown button is answered: the flow's own with the hint and the same question (ru)", async () => {
    const u = stack.tg.user({ id: 3101, first_name: "Айгерим", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "iin");
    // Unknown to every feature, forged for this step, stale (an earlier step's), a forged value of a known shape.
    for (const data of ["zzz:1", "a:iin:x", "a:who:self", "a:category:martian", "a:nav:sideways"]) {
      const answer = await u.pressForged(data).answer();
      expect(answer.text, data).toBe(L("ru", "common.stale_button"));
      await until(u, "Ваш ИИН");
    }
    // Other features' buttons, forged, are answered by their features; the flow stays where it was.
    // The broadcast composer's are answered by its conversation only: none waits here, so they are stale too.
    for (const data of ["ap2:go:x", "ap2:child:abc", "menu:zzz", "bc4:now", "bc5:back:audience"]) {
      expect((await u.pressForged(data).answer()).text, data).toBe(L("ru", "common.stale_button"));
    }
    expect(await draftOf(stack, 3101)).toMatchObject({ step: "iin", forChild: false, category: "citizen" });
    u.send(makeIin("900101", 4, 311));
    await until(u, "Где вы живёте");
  });

  it("R4 R5 R6 R15: the clinic list gives each clinic's free places or why it is unavailable; nearest ones with address and distance; a forged clinic of another city is refused (ru)", async () => {
    const u = stack.tg.user({ id: 3102, first_name: "Тимур", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "region", { iin: makeIin("920314", 3, 312) });
    await tap(u, L("ru", "apply.place.share_location"));
    u.sendLocation(43.2389, 76.8897); // central Almaty
    const near = await until(u, "Ближайшие к вам поликлиники");
    // Address, distance and free places on every line.
    const lines = (near.text ?? "").split("\n").filter((l) => /^\d+\. /.test(l));
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l).toMatch(/^\d+\. .+, .+ — \d+\.\d км, (свободных мест: \d+|.+)$/);
    expect(lines.some((l) => /свободных мест: \d+$/.test(l))).toBe(true);

    // R4: a clinic of Astana, forged into the Almaty list, is not taken and the settlement stays.
    const answer = await u.pressForged("a:clinic:sample-astana-01").answer();
    expect(answer.text).toBe(L("ru", "common.stale_button"));
    await until(u, "Ближайшие к вам поликлиники");
    expect(await draftOf(stack, 3102)).toMatchObject({ step: "clinic", settlementId: "almaty" });
    expect((await draftOf(stack, 3102)).clinicId).toBeUndefined();

    // R5, R6: the reason is on the line before anything is tapped.
    u.send("Самал");
    const noContract = await until(u, "Найдено по «Самал»");
    expect(noContract.text).toMatch(/\d+\. ⛔ Центр семейного здоровья «Самал» — нет договора с ФСМС на 2027 год/);
    u.send("106");
    const full = await until(u, "Найдено по «106»");
    expect(full.text).toContain("⛔ Детская городская поликлиника №106 — свободных мест нет");
    u.send("Городская поликлиника №1");
    const free = await until(u, "Найдено по «Городская поликлиника №1»");
    const [gp1] = await query<{ capacity: number; attached: number }>(
      stack,
      "select capacity, attached from clinics where id = 'almaty-gp-1'",
    );
    expect(free.text).toContain(
      `Городская поликлиника №1 — свободных мест: ${(gp1?.capacity ?? 0) - (gp1?.attached ?? 0)}`,
    );

    // A typed query is shown as typed: escaped once for HTML, not twice.
    u.send("A&B <x>");
    const none = await until(u, "ничего не нашлось");
    expect(none.text).toContain("Алматы: по запросу «A&B <x>» ничего не нашлось");
    expect(none.text).not.toContain("&amp;");
    for (const m of stack.tg.calls("sendMessage").filter((c) => (c.params as { chat_id?: number }).chat_id === 3102)) {
      expect(String((m.params as { text?: string }).text).length).toBeLessThanOrEqual(4096);
      for (const b of (
        (m.params as { reply_markup?: { inline_keyboard?: { callback_data?: string }[][] } }).reply_markup
          ?.inline_keyboard ?? []
      ).flat()) {
        expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);
      }
    }
  });

  it("(ru, kk) the chosen clinic's card says which figures are illustrative: a real clinic's real facts, an invented sample", async () => {
    const facts = (lang: "ru" | "kk", keys: string[]) => keys.map((k) => L(lang, `clinics.facts.${k}`)).join(", ");
    const ru = stack.tg.user({ id: 3106, first_name: "Жанар", language_code: "ru" });
    await chooseLanguage(ru, "ru");
    await walkTo(ru, "region", { iin: makeIin("910202", 4, 316) });
    await tap(ru, "Алматы");
    await tap(ru, "Городская поликлиника №1");
    const real = await until(ru, "Выбрана поликлиника");
    expect(real.text).toContain(
      L("ru", "clinics.figures_real").replace("{{facts}}", facts("ru", ["name", "district"])),
    );
    expect(real.text).toContain(
      L("ru", "clinics.figures_illustrative").replace(
        "{{facts}}",
        facts("ru", ["capacity", "attached", "contract", "licence", "location"]),
      ),
    );
    expect(real.text).not.toContain(L("ru", "clinics.sample"));

    const kk = stack.tg.user({ id: 3107, first_name: "Асқар", language_code: "kk" });
    await chooseLanguage(kk, "kk");
    await walkTo(kk, "clinic", { lang: "kk", iin: makeIin("930303", 3, 317), place: "Астана қаласы" });
    kk.send("202");
    await tap(kk, "№202 қалалық емхана");
    const sample = await until(kk, head("kk", "apply.clinic.chosen"));
    expect(sample.text).toContain("№202 қалалық емхана");
    expect(sample.text).toContain(L("kk", "clinics.sample"));
  });

  it("R5 (kk): a clinic without a PMSP licence says so in the list", async () => {
    const u = stack.tg.user({ id: 3103, first_name: "Әлия", language_code: "kk" });
    await chooseLanguage(u, "kk");
    const list = await walkTo(u, "clinic", { lang: "kk", iin: makeIin("850505", 4, 313), place: "Астана қаласы" });
    expect(list.text).toContain("Емхана (Астана");
    expect(list.text).toMatch(/\d+\. .+ — бос орын: \d+/);
    u.send("Ильинка");
    const found = await until(u, "«Ильинка» бойынша");
    expect(found.text).toMatch(/\d+\. ⛔ «Ильинка» дәрігерлік амбулаториясы — МСАК лицензиясы жоқ/);
  });

  it("wrong input repeats the question and only its newest copy keeps buttons; an answered question shows the answer (kk)", async () => {
    const u = stack.tg.user({ id: 3108, first_name: "Гүлнар", language_code: "kk" });
    await chooseLanguage(u, "kk");
    await apply(u, "kk");
    const first = await until(u, "Кімді бекітеміз");
    const copies = () => u.messages().filter((m) => (m.text ?? "").includes("Кімді бекітеміз"));
    u.sendSticker();
    await u.waitFor(() => copies().length === 2);
    u.send("білмеймін");
    await u.waitFor(() => copies().length === 3 && copies().filter((m) => buttons(m).length > 0).length === 1);
    const live = copies().filter((m) => buttons(m).length > 0);
    expect(live[0]?.message_id).toBe(copies().at(-1)?.message_id);
    await tap(u, L("kk", "apply.who.self"));
    // The answer is shown under the question it answers, and the next question under it, in the same message.
    const answered = await until(u, "Санатыңызды");
    expect(answered.message_id).toBe(copies().at(-1)?.message_id);
    expect(answered.text).toContain(`✅ ${L("kk", "apply.who.self")}\n\n`);
    expect(buttons(answered)).toContain(L("kk", "apply.category.options.citizen"));
    expect(copies().filter((m) => buttons(m).length > 0)).toEqual([answered]);
    expect(first.message_id).toBe(copies()[0]?.message_id);
    // A typed answer: the question it answered loses its buttons too, and the next one comes in a message of its own.
    const category = answered;
    u.send("азамат");
    expect((await until(u, "ЖСН")).message_id).not.toBe(category.message_id);
    await u.waitFor((m) => m.message_id === category.message_id && buttons(m).length === 0);
  });

  it("R18 (ru): a typo corrected by editing the message is answered: send the answer again; then it is taken", async () => {
    const u = stack.tg.user({ id: 3109, first_name: "Ринат", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "iin");
    const iin = makeIin("870707", 3, 319);
    const typo = u.send(iin.slice(0, 11));
    await until(u, "ровно 12 цифр");
    u.edit(typo, iin);
    await until(u, L("ru", "apply.hints.edited"));
    u.send(iin);
    const place = await until(u, "Где вы живёте");
    // /cancel: the question that waited loses its buttons (nothing would answer them).
    u.command("/cancel");
    await until(u, L("ru", "common.cancelled").slice(0, 20));
    await u.waitFor((m) => m.message_id === place.message_id && buttons(m).length === 0);
  });

  it("R7 R8 R12: every question takes the obvious typed answer, in Russian", async () => {
    const u = stack.tg.user({ id: 3104, first_name: "Нурлан", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await apply(u, "ru");
    await until(u, "Кого прикрепляем");
    u.send("себя");
    await until(u, "К какой категории");
    u.send("гражданин");
    await until(u, "Ваш ИИН");
    u.send(makeIin("780606", 3, 314));
    await until(u, "Где вы живёте");
    u.send("Шымкент");
    await until(u, "Поликлиника (Шымкент");
    await pressFirstAvailableClinic(u, "ru");
    await until(u, "Основание для прикрепления");
    // Two grounds start so ("Переезд…", "Первое прикрепление"): no guess, the hint and the question. ("Смена" no
    // longer does: from 2026 work and study are no ground, R8, so only "Смена места жительства" is left.)
    u.send("пер");
    await until(u, L("ru", "apply.hints.use_buttons"));
    u.send("свободный выбор");
    await until(u, "Адрес проживания");
    u.send("временное");
    await until(u, "Шаг 8. Документы");
    u.send("готово"); // nothing sent yet
    await until(u, "Нужен хотя бы один файл");
    u.sendPhoto();
    await until(u, "Получено страниц: 1");
    u.send("Готово");
    const summary = await until(u, "Проверьте заявку");
    expect(summary.text).toContain(L("ru", "rules.grounds.free_choice.title"));
    expect(summary.text).toContain(L("ru", "apply.residence.temporary"));
    u.send("да");
    await until(u, "принята");
  });

  it("R1 R8: typed answers in Kazakh, a ground by its number", async () => {
    const u = stack.tg.user({ id: 3105, first_name: "Бота", language_code: "kk" });
    await chooseLanguage(u, "kk");
    await apply(u, "kk");
    await until(u, "Кімді бекітеміз");
    u.send("өзім");
    await until(u, "2-қадам");
    u.send("азамат");
    await until(u, "ЖСН-іңіз");
    u.send(makeIin("990909", 4, 315));
    await until(u, "Қай жерде тұрасыз");
    u.send("Шымкент");
    await until(u, "Емхана (Шымкент");
    await pressFirstAvailableClinic(u, "kk");
    const grounds = await until(u, "Бекіту негізі");
    const first = buttons(grounds)[0] ?? "";
    u.send("1");
    await until(u, "Тұратын мекенжай");
    u.send("тұрақты тіркеу");
    const summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain(L("kk", "apply.category.options.citizen"));
    expect(summary.text).toContain(first);
    expect(summary.text).toContain(L("kk", "apply.residence.registered"));
    u.send("иә");
    await until(u, "қабылданып");
  });

  it("after a restart, a typed answer still takes the buttons off the question's newest copy (the flow's state is the draft), ru and kk", async () => {
    for (const [id, lang, question, answer, next] of [
      [3110, "ru", "Кого прикрепляем", "себя", "Шаг 2"],
      [3111, "kk", "Кімді бекітеміз", "өзім", "2-қадам"],
    ] as const) {
      const u = stack.tg.user({ id, first_name: "Ерлан", language_code: lang });
      await chooseLanguage(u, lang);
      await apply(u, lang);
      await until(u, question);
      u.send("???"); // the hint and the question again: only this newest copy keeps the buttons
      const copy = await until(u, question);
      expect(buttons(copy).length).toBeGreaterThan(0);
      await stack.restart();
      u.send(answer);
      await until(u, next);
      const copies = u.messages().filter((m) => (m.text ?? "").includes(question));
      expect(copies.length).toBe(2);
      for (const m of copies) expect(buttons(m), lang).toEqual([]);
    }
  });
});
