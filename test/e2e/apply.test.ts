import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../emulator/index.js";
import { startStack, type Stack } from "./harness.js";
import { makeIin } from "./people.js";

// Inside the 2026 campaign window (1 Sep – 1 Nov): personal choice is open, effective 1 January 2027.
const IN_CAMPAIGN = "2026-09-15T10:00:00+05:00";

async function chooseLanguage(u: ScriptedUser, button: "Русский" | "Қазақша"): Promise<void> {
  u.command("/start");
  await u.nextMessage();
  await u.press(button).answer();
  await u.waitFor((m) => m.text?.includes("Емхана") ?? false);
  u.skip();
}

async function expectQuestion(u: ScriptedUser, fragment: string): Promise<void> {
  await u.waitFor((m) => m.text?.includes(fragment) ?? false);
}

describe("the application end to end, inside the campaign", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R7: a citizen applies for themself in Russian and gets a request number, effective 1 January", async () => {
    const u = stack.tg.user({ id: 2001, first_name: "Айгерим", language_code: "ru" });
    await chooseLanguage(u, "Русский");
    u.command("/apply");
    await expectQuestion(u, "Кого прикрепляем");
    await u.press("👤 Себя").answer();
    await expectQuestion(u, "по статусу");
    await u.press("Гражданин РК").answer();
    await expectQuestion(u, "Ваш ИИН");
    u.send("12345");
    await expectQuestion(u, "ровно 12 цифр");
    u.send(makeIin("900101", 4, 1).slice(0, 11) + "0");
    await u.waitFor((m) => /Контрольная|12 цифр|ИИН/.test(m.text ?? ""));
    u.send(makeIin("900101", 4, 1));
    await expectQuestion(u, "ИИН принят: 9001•••••");
    await expectQuestion(u, "Где вы живёте");
    await u.press("Алматы").answer();
    await expectQuestion(u, "Поликлиника в Алматы");
    u.sendSticker();
    await expectQuestion(u, "напишите название");
    await u.press("Городская поликлиника №1").answer();
    await expectQuestion(u, "Выбрана поликлиника");
    await expectQuestion(u, "Основание для прикрепления");
    await u.press("Свободный выбор").answer();
    await expectQuestion(u, "Адрес проживания");
    await u.press("🏠 По прописке").answer();
    await expectQuestion(u, "Проверьте заявку");
    await u.press("✅ Подтвердить и отправить").answer();
    const done = await u.waitFor((m) => m.text?.includes("принята") ?? false);
    expect(done.text).toMatch(/A-2026-\d{6}/);
    expect(done.text).toContain("01.01.2027");
    expect(done.text).toContain("16.09.2026");
  });
});
