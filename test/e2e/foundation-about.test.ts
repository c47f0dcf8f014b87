import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyForYear } from "../../data/datasets/load-rules-data.js";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { BEFORE_CAMPAIGN } from "../dates.js";
import { write } from "./staff-seed.js";

/** What an admin's /settings writes: a JSON value per key in the bot's own database (the bot reads it live). */
async function putSetting(stack: Stack, key: string, value: unknown): Promise<void> {
  await write(
    stack,
    "insert into settings (key, value, updated_at, updated_by) values (?, ?, ?, 1) on conflict (key) do update set value = excluded.value",
    key,
    JSON.stringify(value),
    new Date(BEFORE_CAMPAIGN).toISOString(),
  );
}

async function clearSetting(stack: Stack, key: string): Promise<void> {
  await write(stack, "delete from settings where key = ?", key);
}

async function faqItem(u: ScriptedUser, lang: "ru" | "kk", id: string, fragment: string): Promise<string> {
  u.command("/faq");
  await u.waitFor(
    (m) =>
      JSON.stringify(m.reply_markup ?? {}).includes(`faq:${id}`) && u.messages().indexOf(m) === u.messages().length - 1,
  );
  await u.press(L(lang, `faq.items.${id}.q`)).answer();
  const shown = await u.waitFor(
    (m) => (m.text ?? "").startsWith(L(lang, `faq.items.${id}.q`)) && (m.text ?? "").includes(fragment),
  );
  return shown.text ?? "";
}

describe("foundation end to end: who runs the bot, default language, FAQ from the policy", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: BEFORE_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("/start in Russian and in Kazakh says who runs the bot, what it is and the legally signed channels", async () => {
    const ru = stack.tg.user({ id: 2101, first_name: "Асель", language_code: "en" });
    ru.command("/start");
    await ru.nextMessage();
    await ru.press("Русский").answer();
    const welcomeRu = (await ru.waitFor((m) => m.text?.includes("Здравствуйте, Асель") ?? false)).text ?? "";
    expect(welcomeRu).toContain(`Кто ведёт бот: ${L("ru", "start.operator_unknown")}.`);
    for (const fact of [
      "помощник, а не государственная услуга",
      "регистрируют её сотрудники службы поддержки поликлиники",
      "eGov.kz",
      "eGov Mobile",
      "письменное заявление — в поликлинике",
      "1414",
    ]) {
      expect(welcomeRu).toContain(fact);
    }

    const kk = stack.tg.user({ id: 2102, first_name: "Данияр", language_code: "ru" });
    kk.command("/start");
    await kk.nextMessage();
    await kk.press("Қазақша").answer();
    const welcomeKk = (await kk.waitFor((m) => m.text?.includes("Сәлеметсіз бе, Данияр") ?? false)).text ?? "";
    expect(welcomeKk).toContain(`Бот операторы: ${L("kk", "start.operator_unknown")}.`);
    for (const fact of [
      "мемлекеттік көрсетілетін қызмет емес, көмекші бот",
      "қолдау қызметінің қызметкерлері тіркейді",
      "eGov.kz",
      "eGov Mobile",
      "1414",
    ]) {
      expect(welcomeKk).toContain(fact);
    }
  });

  it("the operator an admin set is named in the welcome, /help and /contacts, per language", async () => {
    await putSetting(stack, "bot_operator", { ru: "ТОО «Емхана-Сервис» (Алматы)", kk: "«Емхана-Сервис» ЖШС (Алматы)" });
    const ru = stack.tg.user({ id: 2101, first_name: "Асель" });
    ru.skip();
    ru.command("/start");
    expect((await ru.nextMessage()).text).toContain("Кто ведёт бот: ТОО «Емхана-Сервис» (Алматы).");
    ru.command("/help");
    expect((await ru.nextMessage()).text).toContain("Кто ведёт бот: ТОО «Емхана-Сервис» (Алматы).");
    ru.command("/contacts");
    await ru.nextMessage(); // contacts
    const about = (await ru.nextMessage()).text ?? "";
    expect(about).toContain("О боте");
    expect(about).toContain("Кто ведёт бот: ТОО «Емхана-Сервис» (Алматы).");

    const kk = stack.tg.user({ id: 2102, first_name: "Данияр" });
    kk.skip();
    kk.command("/start");
    expect((await kk.nextMessage()).text).toContain("Бот операторы: «Емхана-Сервис» ЖШС (Алматы).");
    await clearSetting(stack, "bot_operator");
  });

  it("a kk user who has not chosen a language gets Kazakh texts from Telegram's language_code; en gets Russian", async () => {
    const kk = stack.tg.user({ id: 2103, first_name: "Айдана", language_code: "kk" });
    kk.command("/start");
    expect((await kk.nextMessage()).text).toBe(L("kk", "start.choose_language"));
    // No language pressed: the default applies.
    kk.command("/help");
    expect((await kk.nextMessage()).text).toContain("Бот не істей алады");
    kk.command("/faq");
    expect((await kk.nextMessage()).text).toBe(L("kk", "faq.title"));

    const en = stack.tg.user({ id: 2104, first_name: "John", language_code: "en" });
    en.command("/start");
    await en.nextMessage();
    en.command("/help");
    expect((await en.nextMessage()).text).toContain("Что умеет бот");
    en.sendSticker();
    expect((await en.nextMessage()).text).toBe(L("ru", "common.unknown"));
  });

  it("the FAQ states the campaign, quota and working hours of the policy in effect, and follows an admin's change", async () => {
    const u = stack.tg.user({ id: 2105, first_name: "Ерлан", language_code: "ru" });
    await chooseLanguage(u, "ru");
    // The shipped 2026 policy: the autumn window, not confirmed (R7), and two free changes a year (R9).
    const expected = await faqItem(u, "ru", "campaign", "с 1 сентября по 1 ноября");
    expect(expected).toContain("начнёт действовать с 1 января 2027 года");
    expect(expected).toContain("не подтверждена");
    expect(expected).toContain("1414");
    const grounds = await faqItem(u, "ru", "change_outside_campaign", "в 2026 году — не больше 2");
    expect(grounds).toContain(L("ru", "rules.grounds.residence_change.title"));
    expect(grounds).not.toContain("работы");
    expect(grounds).toContain(L("ru", "policy.quota_not_counts"));
    expect(await faqItem(u, "ru", "how_long", "после 18:00")).toContain("1 рабочий день");

    // An admin moves the window, the effective date and the quota: the same questions, the new facts.
    const base = policyForYear(2026);
    await putSetting(stack, "policy:2026", {
      ...base,
      campaign: { start: "03-01", end: "04-30", effectiveFrom: { monthDay: "07-01", yearOffset: 0 } },
      freeChangesPerYear: 3,
      workingDayEnds: "17:00",
      decisionWorkingDays: 2,
    });
    const moved = await faqItem(u, "ru", "campaign", "с 1 марта по 30 апреля");
    expect(moved).toContain("начнёт действовать с 1 июля 2026 года");
    expect(moved).not.toContain("1 сентября");
    expect(await faqItem(u, "ru", "change_outside_campaign", "не больше 3")).toBeTruthy();
    expect(await faqItem(u, "ru", "how_long", "после 17:00")).toContain("2 рабочих дня");

    // Confirmed: the dates as fact, no 1414.
    await putSetting(stack, "policy:2026", { ...base, status: "confirmed" });
    const confirmed = await faqItem(u, "ru", "campaign", "она проходит с 1 сентября по 1 ноября");
    expect(confirmed).not.toContain("1414");

    // No campaign announced in a provisional year: all year as far as is known, ask 1414, no dates.
    await putSetting(stack, "policy:2026", { ...base, campaign: null, freeChangesPerYear: 2 });
    const unknown = await faqItem(u, "ru", "campaign", "не объявлена");
    expect(unknown).toContain("в течение всего года");
    expect(unknown).toContain("не больше 2");
    expect(unknown).toContain("1414");
    expect(unknown).not.toMatch(/\d{2}\.\d{2}|\d (сентября|ноября)/);
    // Officially none: all year, no 1414.
    await putSetting(stack, "policy:2026", { ...base, campaign: null, status: "confirmed" });
    const allYear = await faqItem(u, "ru", "campaign", "кампании прикрепления нет");
    expect(allYear).toContain("в течение всего года");
    expect(allYear).not.toContain("1414");

    const kk = stack.tg.user({ id: 2106, first_name: "Гүлнар", language_code: "kk" });
    await chooseLanguage(kk, "kk");
    expect(await faqItem(kk, "kk", "campaign", "бекіту науқаны жоқ")).toContain("2 реттен аспайды");
    await clearSetting(stack, "policy:2026");
    const kkExpected = await faqItem(kk, "kk", "campaign", "1 қыркүйектен бастап 1 қарашаға дейін");
    expect(kkExpected).toContain("2027 жылғы 1 қаңтардан бастап");
    expect(kkExpected).toContain("расталмаған");
    // A time with its case ending in harmony with how it is read (он сегіз → -ден).
    expect(await faqItem(kk, "kk", "how_long", "сағат 18:00-ден кейін")).toContain("1 жұмыс күні");
  });

  it("the FAQ answers the questions the law change raised, in both languages: ОСМС, the current clinic, a child under five", async () => {
    for (const [lang, id] of [
      ["ru", 2107],
      ["kk", 2108],
    ] as const) {
      const u = stack.tg.user({ id, first_name: "Айгерім", language_code: lang });
      await chooseLanguage(u, lang);
      expect(await faqItem(u, lang, "insurance", "1414")).toContain("msqory.kz");
      expect(await faqItem(u, lang, "current_clinic", "eGov")).toContain("/status");
      // R11: the age is the policy's (actualResidenceUnderAge).
      expect(await faqItem(u, lang, "child_under_five", lang === "ru" ? "до 5 лет" : "5 жасқа дейінгі")).toBeTruthy();
    }
  });
});
