import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { composeBroadcast, operatorsAndPeople, SAYS, sendNow } from "../../scripts/stack/broadcast-flow.js";
import { buttons, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { query } from "./staff-seed.js";
import { IN_CAMPAIGN_DAYTIME } from "../dates.js";

const OP_RU = 9001;
const OP_KK = 9002;
const RU_PEOPLE = [7201, 7202];
const KK_PEOPLE = [7203];

/** The bot's messages to the operator from `from` on. */
const since = (op: ScriptedUser, from: number): StoredMessage[] => op.messages().slice(from);
const previews = (msgs: StoredMessage[], lang: "ru" | "kk") =>
  msgs.filter((m) => m.text?.startsWith(L(lang, "broadcast.compose.preview_title").split("(")[0] ?? "-"));

describe("composing a broadcast: the audience first, its texts only, back to any step", () => {
  let stack: Stack;
  let ops: Record<"ru" | "kk", ScriptedUser>;
  let people: Map<number, ScriptedUser>;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_DAYTIME, adminIds: [OP_RU, OP_KK] });
    const everyone: [number, "ru" | "kk"][] = [...RU_PEOPLE, ...KK_PEOPLE].map((id) => [
      id,
      KK_PEOPLE.includes(id) ? "kk" : "ru",
    ]);
    ({ ops, people } = await operatorsAndPeople(stack, { ru: OP_RU, kk: OP_KK }, everyone));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const got = (id: number, fragment: string) =>
    (people.get(id)?.messages() ?? []).filter((m) => m.text?.includes(fragment));

  it("ru operator, audience 'by language → Қазақша': step 1 is the audience, then only the Kazakh text (step 2 of 3), one preview, and only Kazakh readers get it", async () => {
    const op = ops.ru;
    const from = op.messages().length;
    const kkText = "Тек қазақша: ертең емхана 9:00-де ашылады";
    const summary = await composeBroadcast(op, {
      kk: kkText,
      audience: L("ru", "broadcast.compose.audience.language"),
      language: "Қазақша",
    });
    const msgs = since(op, from);
    expect(msgs[0]?.text).toContain("Новая рассылка. Шаг 1. Кому отправить?");
    const asked = msgs.filter((m) => m.text?.includes("Отправьте текст на"));
    expect(asked.map((m) => m.text?.split(".")[0])).toEqual(["Шаг 2 из 3"]);
    expect(asked[0]?.text).toContain("на казахском");
    expect(asked[0]?.text).toContain(L("ru", "broadcast.compose.text_single"));
    expect(buttons(asked[0])).toEqual(["← Назад", "Отмена"]);
    expect(summary).toContain("Шаг 3 из 3. Проверьте рассылку.");
    expect(summary).toContain("Получателей сейчас: 1\n");
    const shown = previews(msgs, "ru");
    expect(shown.map((m) => m.text)).toEqual(["👀 Так увидят рассылку (Қазақша):"]);
    expect(msgs.some((m) => m.text?.startsWith(`${kkText}\n\n${L("kk", "broadcast.footer")}`))).toBe(true);

    await sendNow(op);
    await until(op, "Рассылка №1 завершена");
    for (const id of KK_PEOPLE)
      expect(got(id, kkText).map((m) => m.text)).toEqual([`${kkText}\n\n${L("kk", "broadcast.footer")}`]);
    for (const id of RU_PEOPLE) expect(got(id, kkText)).toEqual([]);
    // Stored with the one text its audience reads; no empty Russian version.
    expect(await query(stack, "select text_ru, text_kk, audience from broadcasts where id = 1")).toEqual([
      { text_ru: null, text_kk: kkText, audience: JSON.stringify({ kind: "language", language: "kk" }) },
    ]);
  });

  it("kk operator, audience 'Тіл бойынша → Русский': 1-қадам, then only the Russian text (2-қадам, барлығы 3), one preview, Russian readers only", async () => {
    const op = ops.kk;
    const from = op.messages().length;
    const ruText = "Только по-русски: завтра поликлиника открыта с 9:00";
    const summary = await composeBroadcast(op, {
      lang: "kk",
      ru: ruText,
      audience: L("kk", "broadcast.compose.audience.language"),
      language: "Русский",
    });
    const msgs = since(op, from);
    expect(msgs[0]?.text).toContain("Жаңа таратылым. 1-қадам.");
    const asked = msgs.filter((m) => m.text?.includes("Мәтінді"));
    expect(asked.map((m) => m.text?.split(".")[0])).toEqual(["2-қадам, барлығы 3"]);
    expect(asked[0]?.text).toContain("орыс тілінде");
    expect(buttons(asked[0])).toEqual(["← Артқа", "Болдырмау"]);
    expect(summary).toContain("3-қадам, барлығы 3. Таратылымды тексеріңіз.");
    expect(summary).toContain(`Қазір алушылар: ${RU_PEOPLE.length}\n`);
    expect(previews(msgs, "kk").map((m) => m.text)).toEqual(["👀 Таратылым осылай көрінеді (Русский):"]);

    await sendNow(op, "kk");
    await until(op, "№2 таратылым аяқталды");
    for (const id of RU_PEOPLE)
      expect(got(id, ruText).map((m) => m.text)).toEqual([`${ruText}\n\n${L("ru", "broadcast.footer")}`]);
    for (const id of KK_PEOPLE) expect(got(id, ruText)).toEqual([]);
    expect(await query(stack, "select text_ru, text_kk from broadcasts where id = 2")).toEqual([
      { text_ru: ruText, text_kk: null },
    ]);
  });

  it("ru operator: '← Назад' on each step returns to the one before with what was entered; a fixed Russian text keeps the Kazakh one", async () => {
    const op = ops.ru;
    const [ruA, ruB, kkA] = [
      "Версия А: приём до 18:00",
      "Версия Б: приём до 19:00",
      "А нұсқасы: қабылдау 18:00-ге дейін",
    ];
    const summary = await composeBroadcast(op, { ru: ruA, kk: kkA });
    // Both languages: four steps, and the count split by the language each person gets.
    expect(summary).toContain("Шаг 4 из 4.");
    expect(summary).toContain(
      `Получателей сейчас: 3 (на русском — ${RU_PEOPLE.length}, на казахском — ${KK_PEOPLE.length})`,
    );

    // Summary → the Kazakh text: shown as entered, kept with one tap; → the Russian text, which is replaced.
    await tap(op, "← Назад");
    const kkStep = await until(op, "Шаг 3 из 4");
    expect(op.messages().at(-2)?.text).toBe(kkA);
    expect(buttons(kkStep)).toEqual(["➡️ Оставить как есть", "← Назад", "Отмена"]);
    await tap(op, "← Назад");
    const ruStep = await until(op, "Шаг 2 из 4");
    expect(op.messages().at(-2)?.text).toBe(ruA);
    expect(buttons(ruStep)).toContain("➡️ Оставить как есть");
    op.send(ruB);
    await until(op, "Шаг 3 из 4");
    const from = op.messages().length;
    await tap(op, "➡️ Оставить как есть");
    const again = await until(op, "Шаг 4 из 4");
    const shown = since(op, from).map((m) => m.text ?? "");
    expect(shown.filter((t) => t.startsWith(ruB))).toHaveLength(1);
    expect(shown.filter((t) => t.startsWith(kkA))).toHaveLength(1);
    expect(shown.some((t) => t.startsWith(ruA))).toBe(false);
    expect(buttons(again)).toEqual(["🚀 Отправить сейчас", "🗓 Запланировать", "✏️ Заново", "← Назад", "Отмена"]);

    // Back to step 1: the choice made is said; a single-language audience then needs only its text, kept as entered.
    await tap(op, "← Назад");
    await until(op, "Шаг 3 из 4");
    await tap(op, "← Назад");
    await until(op, "Шаг 2 из 4");
    await tap(op, "← Назад");
    const first = await until(op, "Кому отправить?");
    expect(first.text).toContain("Сейчас выбрано: Всем подписчикам");
    expect(buttons(first)).not.toContain("← Назад");
    await tap(op, "По языку");
    const byLanguage = await until(op, "Кому — по языку бота");
    expect(buttons(byLanguage)).toContain("← Назад");
    await tap(op, "Қазақша");
    await until(op, "Шаг 2 из 3");
    expect(op.messages().at(-2)?.text).toBe(kkA);
    await tap(op, "➡️ Оставить как есть");
    const single = await until(op, "Шаг 3 из 3");
    expect(single.text).toContain("Аудитория: язык: Қазақша");
    expect(single.text).toContain(`Получателей сейчас: ${KK_PEOPLE.length}\n`);
    await tap(op, "Отмена");
    await until(op, L("ru", "broadcast.compose.cancelled"));
    expect(await query(stack, "select count(*) n from broadcasts")).toEqual([{ n: 2 }]);
    // The draft goes right after that reply: one more update of this chat is handled only once it is gone.
    op.command("/broadcasts");
    await until(op, "№2");
    expect(await query(stack, "select count(*) n from broadcast_drafts where user_id = ?", OP_RU)).toEqual([{ n: 0 }]);
  });

  it("kk operator: the count is split by language, '← Артқа' from the summary keeps the Kazakh text", async () => {
    const op = ops.kk;
    const summary = await composeBroadcast(op, { lang: "kk", ru: "Проверка: всем", kk: "Тексеру: барлығына" });
    expect(summary).toContain("4-қадам, барлығы 4.");
    expect(summary).toContain(`Қазір алушылар: 3 (орысша — ${RU_PEOPLE.length}, қазақша — ${KK_PEOPLE.length})`);
    await tap(op, "← Артқа");
    const kkStep = await until(op, "3-қадам, барлығы 4");
    expect(op.messages().at(-2)?.text).toBe("Тексеру: барлығына");
    expect(buttons(kkStep)).toEqual(["➡️ Өзгеріссіз қалдыру", "← Артқа", "Болдырмау"]);
    await tap(op, "➡️ Өзгеріссіз қалдыру");
    await until(op, SAYS.kk.summary);
    await tap(op, "Болдырмау");
    await until(op, L("kk", "broadcast.compose.cancelled"));
  });
});
