import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { composeBroadcast, operatorsAndPeople, SAYS } from "../../scripts/stack/broadcast-flow.js";
import { buttons, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { query } from "./staff-seed.js";
import { IN_CAMPAIGN_NIGHT } from "../dates.js";

// 23:30 in Almaty: night, when people are not to be woken (quiet hours 21:00–09:00).
const OP_RU = 9001;
const OP_KK = 9002;
const PEOPLE: [number, "ru" | "kk"][] = [
  [7301, "ru"],
  [7302, "kk"],
];

describe("broadcasts at night: a warning to confirm; every bad time gets a reason and the question again", () => {
  let stack: Stack;
  let ops: Record<"ru" | "kk", ScriptedUser>;
  let people: Map<number, ScriptedUser>;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN_NIGHT, adminIds: [OP_RU, OP_KK] });
    ({ ops, people } = await operatorsAndPeople(stack, { ru: OP_RU, kk: OP_KK }, PEOPLE));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const broadcasts = () =>
    query<{ id: number; status: string; send_at: string }>(
      stack,
      "select id, status, send_at from broadcasts order by id",
    );
  const received = (fragment: string) =>
    [...people.values()].flatMap((u) => u.messages()).filter((m) => m.text?.startsWith(fragment));

  it("ru: 'send now' at 23:30 warns first; 'move to the morning' schedules it for 09:00 and nothing goes out at night", async () => {
    const op = ops.ru;
    await composeBroadcast(op, { ru: "Ночная проверка", kk: "Түнгі тексеру" });
    await tap(op, "🚀 Отправить сейчас");
    const warning = await until(op, "Сейчас ночь");
    expect(warning.text).toContain("по Астане (15.09.2026 23:30)");
    expect(warning.text).toContain("с 21:00 до 09:00");
    expect(buttons(warning)).toEqual([
      "🌅 Перенести на 16.09.2026 09:00",
      "Всё равно отправить сейчас",
      "← Назад",
      "Отмена",
    ]);
    expect(await broadcasts()).toEqual([]); // nothing created until the operator decides
    // Back to the summary and the same question again.
    await tap(op, "← Назад");
    await until(op, SAYS.ru.summary);
    await tap(op, "🚀 Отправить сейчас");
    await until(op, "Сейчас ночь");
    await tap(op, "🌅 Перенести на 16.09.2026 09:00");
    await until(op, "Рассылка №1 запланирована на 16.09.2026 09:00");
    expect(await broadcasts()).toEqual([{ id: 1, status: "scheduled", send_at: "2026-09-16T04:00:00.000Z" }]);
    expect(received("Ночная проверка")).toEqual([]);
  });

  it("ru: 'завтра', an impossible date, a past time and a sticker each get a short reason and the question again; 03:00 is warned about and can be kept", async () => {
    const op = ops.ru;
    await composeBroadcast(op, { ru: "Проверка в три часа", kk: "Үштегі тексеру" });
    await tap(op, "🗓 Запланировать");
    const asked = await until(op, "Когда отправить?");
    // At night the example is the next morning, not an hour from now.
    expect(asked.text).toContain("например 16.09.2026 09:00");
    expect(buttons(asked)).toEqual(["← Назад", "Отмена"]);
    const bad: [() => void, string][] = [
      [() => op.send("завтра"), "Не понял дату и время."],
      [() => op.send("32.09.2026 10:00"), "Не понял дату и время."],
      [() => op.send("15.09.2026 10:00"), "Это время уже прошло."],
      [() => op.sendSticker(), "Не понял дату и время."],
    ];
    for (const [answer, reason] of bad) {
      answer();
      const again = await until(op, reason);
      expect(again.text?.startsWith(`${reason}\n\nКогда отправить?`), again.text).toBe(true);
      expect(buttons(again)).toEqual(["← Назад", "Отмена"]);
    }
    op.send("16.09.2026 03:00");
    const warning = await until(op, "16.09.2026 03:00 — это ночь");
    expect(buttons(warning)).toEqual([
      "🌅 Перенести на 16.09.2026 09:00",
      "Всё равно в 16.09.2026 03:00",
      "← Назад",
      "Отмена",
    ]);
    await tap(op, "← Назад");
    await until(op, "Когда отправить?");
    op.send("16.09.2026 03:00");
    await until(op, "это ночь");
    await tap(op, "Всё равно в 16.09.2026 03:00");
    await until(op, "Рассылка №2 запланирована на 16.09.2026 03:00");
    expect((await broadcasts()).at(-1)).toEqual({ id: 2, status: "scheduled", send_at: "2026-09-15T22:00:00.000Z" });
  });

  it("kk: a bad date is explained in Kazakh with the question again; 'send now' at night warns in Kazakh, and 'send anyway' sends", async () => {
    const op = ops.kk;
    await composeBroadcast(op, { lang: "kk", ru: "Срочно ночью", kk: "Түнде шұғыл" });
    await tap(op, "🗓 Жоспарлау");
    await until(op, "Қашан жіберу керек?");
    op.send("ертең");
    const again = await until(op, "Күн мен уақытты түсінбедім.");
    expect(again.text?.startsWith("Күн мен уақытты түсінбедім.\n\nҚашан жіберу керек?")).toBe(true);
    await tap(op, "← Артқа");
    await until(op, SAYS.kk.summary);
    await tap(op, "🚀 Қазір жіберу");
    const warning = await until(op, "Қазір Астана уақытымен түн");
    expect(warning.text).toContain("21:00–09:00 аралығында");
    expect(buttons(warning)).toEqual([
      "🌅 16.09.2026 09:00 уақытына ауыстыру",
      "Бәрібір қазір жіберу",
      "← Артқа",
      "Болдырмау",
    ]);
    await tap(op, "Бәрібір қазір жіберу");
    await until(op, SAYS.kk.started);
    await until(op, "№3 таратылым аяқталды");
    expect(received("Срочно ночью").map((m) => m.chat.id)).toEqual([7301]);
    expect(received("Түнде шұғыл").map((m) => m.chat.id)).toEqual([7302]);
  });

  it("/broadcasts: a scheduled one says when it starts (no 'time left'), a finished one its average rate (never 0.0), in ru and kk", async () => {
    const ru = ops.ru;
    ru.command("/broadcasts");
    const list = await until(ru, "№3");
    const cards = (list.text ?? "").split("\n\n");
    const card = (id: number) => cards.find((c) => c.startsWith(`№${id} `)) ?? "";
    expect(card(1)).toMatch(/\nНачало: 16\.09\.2026 09:00 \(через 9 ч (29|30) мин\) · продлится примерно 1 с$/);
    expect(card(2)).toMatch(/\nНачало: 16\.09\.2026 03:00 \(через 3 ч (29|30) мин\)/);
    expect(card(3)).toMatch(/\nСредняя скорость \d+\.\d сообщ\.\/с · длительность \d+ с$/);
    expect(card(3)).not.toContain("0.0 сообщ");
    expect(list.text).not.toContain("осталось примерно");

    const kk = ops.kk;
    kk.command("/broadcasts");
    const kkList = await until(kk, "№3");
    expect(kkList.text).toMatch(/Басталуы: 16\.09\.2026 09:00 \(9 сағ (29|30) мин қалды\)/);
    expect(kkList.text).toMatch(/Орташа жылдамдық \d+\.\d хабар\/с · ұзақтығы \d+ с/);
  });
});
