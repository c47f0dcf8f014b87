import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttons, chooseLanguage, head, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN } from "../dates.js";

describe("places the directory does not cover, and answers typed around the IIN", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R4 (kk): a village without clinics in the directory says so and what to do, keeps the answers, and Back picks another place", async () => {
    const u = stack.tg.user({ id: 3301, first_name: "Арман", language_code: "kk" });
    await chooseLanguage(u, "kk");
    await walkTo(u, "region", { lang: "kk", iin: makeIin("850505", 3, 331) });
    await tap(u, "Ұлытау облысы");
    await tap(u, "Ұлытау");
    const none = await until(u, "«Ұлытау» елді мекенінде");
    expect(none.text).toContain("1414");
    expect(buttons(none)).toEqual([L("kk", "common.back"), L("kk", "common.cancel")]);
    u.send("№1 емхана");
    await until(u, L("kk", "apply.hints.use_buttons"));
    await tap(u, L("kk", "common.back"));
    await until(u, "Ұлытау облысы: елді мекенді");
    await tap(u, "Жезқазған");
    const list = await until(u, "Емхана (Жезқазған");
    expect(buttons(list).length).toBeGreaterThan(2);
  });

  it("R18 (ru): 'мой ИИН …' with spaces is taken as the IIN; the ⛔ legend stands only under a list with ⛔", async () => {
    const u = stack.tg.user({ id: 3302, first_name: "Дана", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "iin");
    const iin = makeIin("910202", 4, 332);
    u.send(`мой ИИН ${iin.slice(0, 6)} ${iin.slice(6)}`);
    expect((await until(u, head("ru", "apply.iin.accepted"))).text).toContain("Где вы живёте");
    u.send("Алматы");
    const almaty = await until(u, "Поликлиника (Алматы");
    expect(buttons(almaty).some((b) => b.startsWith("⛔"))).toBe(false);
    expect(almaty.text).not.toContain(L("ru", "apply.clinic.legend"));
    // Paging redraws the same message (no list per page left in the chat), and back again.
    const lists = () => u.messages().filter((m) => (m.text ?? "").includes("Поликлиника (Алматы")).length;
    const before = lists();
    await u.press(L("ru", "apply.place.more"), { message: almaty }).answer();
    const page2 = await u.waitFor((m) => m.message_id === almaty.message_id && (m.text ?? "").includes("стр. 2 из"));
    expect(buttons(page2)).toContain(L("ru", "apply.place.prev"));
    await u.press(L("ru", "apply.place.prev"), { message: page2 }).answer();
    await u.waitFor((m) => m.message_id === almaty.message_id && (m.text ?? "").includes("стр. 1 из"));
    expect(lists()).toBe(before);
    // Inside the campaign «Самал» lacks next year's contract (R5): a ⛔ row, and the legend under the question.
    u.send("Самал");
    const found = await until(u, "Найдено по «Самал»");
    expect(buttons(found).some((b) => b.startsWith("⛔"))).toBe(true);
    expect(found.text).toContain(L("ru", "apply.clinic.legend"));
    // A ⛔ clinic pressed is refused with the reason: the list it was pressed on is not marked as answered.
    const blocked = buttons(found).find((b) => b.startsWith("⛔")) ?? "";
    await u.press(blocked, { message: found }).answer();
    await until(u, "сейчас прикрепиться нельзя");
    const pressedOn = await u.waitFor((m) => m.message_id === found.message_id && buttons(m).length === 0);
    expect(pressedOn.text).not.toContain("✅");
  });

  it("(kk) 'Apply' on a clinic's card in /clinics offers that clinic first at the clinic step; (ru) one of another town is explained", async () => {
    const u = stack.tg.user({ id: 3303, first_name: "Әсем", language_code: "kk" });
    await chooseLanguage(u, "kk");
    u.command("/clinics", "Гагарина");
    const found = await until(u, "«Гагарина»");
    const gp37 = buttons(found).find((b) => b.startsWith("№37 қалалық емхана")) ?? "";
    await u.press(gp37, { message: found }).answer();
    const card = await until(u, "№37 қалалық емхана");
    await u.press(L("kk", "menu.apply"), { message: card }).answer();
    // The privacy notice first (nothing personal asked yet), then the application with that clinic kept.
    await tap(u, L("kk", "privacy.consent.agree"));
    await walkTo(u, "region", { from: "who", lang: "kk", iin: makeIin("840404", 4, 333) });
    await tap(u, "Алматы қаласы");
    const list = await until(u, L("kk", "apply.clinic.preferred"));
    expect(buttons(list)[0]).toBe("№37 қалалық емхана");
    await tap(u, "№37 қалалық емхана");
    await until(u, "Бекіту негізі");

    const r = stack.tg.user({ id: 3304, first_name: "Олег", language_code: "ru" });
    await chooseLanguage(r, "ru");
    r.command("/clinics", "Гагарина");
    const foundRu = await until(r, "Найдено по «Гагарина»");
    await r
      .press(buttons(foundRu).find((b) => b.startsWith("Городская поликлиника №37")) ?? "", { message: foundRu })
      .answer();
    const cardRu = await until(r, "Городская поликлиника №37");
    await r.press(L("ru", "menu.apply"), { message: cardRu }).answer();
    await tap(r, L("ru", "privacy.consent.agree"));
    await walkTo(r, "region", { from: "who", iin: makeIin("830303", 3, 334) });
    r.send("Шымкент");
    const elsewhere = await until(r, "в другом населённом пункте (Алматы)");
    expect(buttons(elsewhere)).not.toContain("Городская поликлиника №37");
  });
});
