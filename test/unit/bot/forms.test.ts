import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, formatValue } from "../../../bot/forms/index.js";
import { isBack, kkDate, kkEnding, kkNumber, lastSpokenWord } from "../../../bot/forms/kk.js";
import { ruDate } from "../../../bot/forms/ru.js";
import { createI18n } from "../../../bot/i18n.js";

describe("Kazakh numbers: the ending follows the last word read aloud", () => {
  it("reads a number by its last non-zero part", () => {
    expect(lastSpokenWord(0)).toBe("нөл");
    expect(lastSpokenWord(7)).toBe("жеті");
    expect(lastSpokenWord(15)).toBe("бес");
    expect(lastSpokenWord(40)).toBe("қырық");
    expect(lastSpokenWord(100)).toBe("жүз");
    expect(lastSpokenWord(300)).toBe("жүз");
    expect(lastSpokenWord(2026)).toBe("алты");
    expect(lastSpokenWord(2000)).toBe("мың");
    expect(lastSpokenWord(3_000_000)).toBe("миллион");
    expect(lastSpokenWord(2_000_000_000)).toBe("миллиард");
  });

  it("vowel harmony: the last vowel decides, у carries none", () => {
    expect(isBack("алты")).toBe(true);
    expect(isBack("екі")).toBe(false);
    expect(isBack("елу")).toBe(false);
    expect(isBack("мың")).toBe(true);
    expect(isBack("қыркүйек")).toBe(false);
    expect(isBack("желтоқсан")).toBe(true);
  });

  // The ablative (-дан/-ден/-тан/-тен/-нан/-нен): front/back by harmony; т after a voiceless sound, н after м н ң.
  it.each([
    [0, "0-ден"],
    [1, "1-ден"],
    [2, "2-ден"],
    [3, "3-тен"],
    [4, "4-тен"],
    [5, "5-тен"],
    [6, "6-дан"],
    [7, "7-ден"],
    [8, "8-ден"],
    [9, "9-дан"],
    [10, "10-нан"],
    [11, "11-ден"],
    [16, "16-дан"],
    [20, "20-дан"],
    [30, "30-дан"],
    [40, "40-тан"],
    [50, "50-ден"],
    [60, "60-тан"],
    [70, "70-тен"],
    [80, "80-нен"],
    [90, "90-нан"],
    [100, "100-ден"],
    [200, "200-ден"],
    [1000, "1000-нан"],
    [2026, "2026-дан"],
    [1_000_000, "1000000-нан"],
  ])("ablative of %i is %s", (n, out) => expect(kkNumber(n, "abl")).toBe(out));

  // The dative (-ға/-ге/-қа/-ке): қа/ке after a voiceless sound.
  it.each([
    [1, "1-ге"],
    [2, "2-ге"],
    [3, "3-ке"],
    [4, "4-ке"],
    [5, "5-ке"],
    [6, "6-ға"],
    [9, "9-ға"],
    [10, "10-ға"],
    [20, "20-ға"],
    [40, "40-қа"],
    [50, "50-ге"],
    [60, "60-қа"],
    [70, "70-ке"],
    [80, "80-ге"],
    [100, "100-ге"],
    [1000, "1000-ға"],
  ])("dative of %i is %s", (n, out) => expect(kkNumber(n, "dat")).toBe(out));

  // The locative (-да/-де/-та/-те) and the genitive (-ның/-нің/-дың/-дің/-тың/-тің).
  it.each([
    [1, "loc", "1-де"],
    [3, "loc", "3-те"],
    [6, "loc", "6-да"],
    [10, "loc", "10-да"],
    [40, "loc", "40-та"],
    [1, "gen", "1-дің"],
    [2, "gen", "2-нің"],
    [3, "gen", "3-тің"],
    [6, "gen", "6-ның"],
    [10, "gen", "10-ның"],
    [40, "gen", "40-тың"],
    [50, "gen", "50-дің"],
    [1, "acc", "1-ді"],
    [2, "acc", "2-ні"],
    [3, "acc", "3-ті"],
    [6, "acc", "6-ны"],
    [10, "acc", "10-ды"],
    [1, "ins", "1-мен"],
    [2, "ins", "2-мен"],
    [3, "ins", "3-пен"],
    [8, "ins", "8-бен"],
    [10, "ins", "10-мен"],
    [6, "ins", "6-мен"],
  ] as const)("%i in the %s case is %s", (n, form, out) => expect(kkNumber(n, form)).toBe(out));

  // The 3rd-person possessive ("5 құжаттың 2-сі") and the written ordinal ("1-ші", "6-шы").
  it.each([
    [1, "poss", "1-і"],
    [2, "poss", "2-сі"],
    [3, "poss", "3-і"],
    [6, "poss", "6-сы"],
    [10, "poss", "10-ы"],
    [20, "poss", "20-сы"],
    [1, "ord", "1-ші"],
    [2, "ord", "2-ші"],
    [6, "ord", "6-шы"],
    [10, "ord", "10-шы"],
    [40, "ord", "40-шы"],
    [100, "ord", "100-ші"],
  ] as const)("%i with %s is %s", (n, form, out) => expect(kkNumber(n, form)).toBe(out));

  it("a time is read by its minutes, or by its hour when on the hour; a decimal by its last digit", () => {
    expect(kkNumber("18:00", "abl")).toBe("18:00-ден");
    expect(kkNumber("09:00", "dat")).toBe("09:00-ға");
    expect(kkNumber("18:30", "abl")).toBe("18:30-дан");
    expect(kkNumber("2,5", "loc")).toBe("2,5-те");
  });
});

describe("Kazakh dates: the month takes the ending", () => {
  const months: Array<[number, string, string, string, string]> = [
    [1, "қаңтар", "қаңтардан", "қаңтарға", "қаңтарда"],
    [2, "ақпан", "ақпаннан", "ақпанға", "ақпанда"],
    [3, "наурыз", "наурыздан", "наурызға", "наурызда"],
    [4, "сәуір", "сәуірден", "сәуірге", "сәуірде"],
    [5, "мамыр", "мамырдан", "мамырға", "мамырда"],
    [6, "маусым", "маусымнан", "маусымға", "маусымда"],
    [7, "шілде", "шілдеден", "шілдеге", "шілдеде"],
    [8, "тамыз", "тамыздан", "тамызға", "тамызда"],
    [9, "қыркүйек", "қыркүйектен", "қыркүйекке", "қыркүйекте"],
    [10, "қазан", "қазаннан", "қазанға", "қазанда"],
    [11, "қараша", "қарашадан", "қарашаға", "қарашада"],
    [12, "желтоқсан", "желтоқсаннан", "желтоқсанға", "желтоқсанда"],
  ];
  it.each(months)("month %i: %s, %s, %s, %s", (m, nom, abl, dat, loc) => {
    expect(kkDate(2026, m, 1, "nom", false)).toBe(`1 ${nom}`);
    expect(kkDate(2026, m, 1, "abl", false)).toBe(`1 ${abl}`);
    expect(kkDate(2026, m, 15, "dat", false)).toBe(`15 ${dat}`);
    expect(kkDate(2026, m, 30, "loc", false)).toBe(`30 ${loc}`);
  });

  it("genitive, accusative and instrumental of months", () => {
    expect(kkEnding("қыркүйек", "gen")).toBe("тің");
    expect(kkEnding("қараша", "gen")).toBe("ның");
    expect(kkEnding("тамыз", "gen")).toBe("дың");
    expect(kkEnding("қаңтар", "acc")).toBe("ды");
    expect(kkEnding("шілде", "acc")).toBe("ні");
    expect(kkEnding("маусым", "ins")).toBe("мен");
    expect(kkEnding("тамыз", "ins")).toBe("бен");
    expect(kkEnding("қыркүйек", "ins")).toBe("пен");
  });

  it("with the year first, as in official texts: 2026 жылғы 1 қыркүйектен", () => {
    expect(kkDate(2026, 9, 1, "abl", true)).toBe("2026 жылғы 1 қыркүйектен");
    expect(kkDate(2026, 11, 1, "dat", true)).toBe("2026 жылғы 1 қарашаға");
    expect(kkDate(2027, 1, 1, "nom", true)).toBe("2027 жылғы 1 қаңтар");
  });
});

describe("Russian dates: the genitive month after any preposition", () => {
  it.each([
    [1, "января"],
    [2, "февраля"],
    [3, "марта"],
    [4, "апреля"],
    [5, "мая"],
    [6, "июня"],
    [7, "июля"],
    [8, "августа"],
    [9, "сентября"],
    [10, "октября"],
    [11, "ноября"],
    [12, "декабря"],
  ])("month %i is %s", (m, name) => {
    expect(ruDate(2026, m, 1, false)).toBe(`1 ${name}`);
    expect(ruDate(2026, m, 1, true)).toBe(`1 ${name} 2026 года`);
  });
});

describe("the formats as texts use them, through i18next", () => {
  it("kk and ru fill the same text variables in their own grammar", async () => {
    const i18n = await createI18n();
    const t = (lng: "ru" | "kk", text: string, vars: Record<string, unknown>) =>
      String(i18n.t(lng)(text, vars as never));
    expect(
      t("kk", "{{start, day_abl}} бастап {{end, day_dat}} дейін", { start: "2026-09-01", end: "2026-11-01" }),
    ).toBe("1 қыркүйектен бастап 1 қарашаға дейін");
    expect(t("ru", "с {{start, day_abl}} по {{end, day_dat}}", { start: "2026-09-01", end: "2026-11-01" })).toBe(
      "с 1 сентября по 1 ноября",
    );
    expect(t("kk", "{{d, date_abl}} бастап", { d: "2027-01-01" })).toBe("2027 жылғы 1 қаңтардан бастап");
    expect(t("ru", "с {{d, date_abl}}", { d: "2027-01-01" })).toBe("с 1 января 2027 года");
    expect(t("kk", "{{total}} құжаттың {{n, num_poss}}", { total: 3, n: 2 })).toBe("3 құжаттың 2-сі");
    expect(t("ru", "{{n, num_poss}} из {{total}}", { total: 3, n: 2 })).toBe("2 из 3");
  });

  it("R17: an instant is shown as its Almaty day, across the UTC day boundary", () => {
    expect(formatValue("2026-12-31T19:30:00Z", "date", "kk")).toBe("2027 жылғы 1 қаңтар");
    expect(formatValue("2026-12-31T19:30:00Z", "day", "ru")).toBe("1 января");
  });

  it("R17: time shows an instant's Almaty day and wall time", () => {
    expect(formatValue("2026-09-15T09:03:00Z", "time", "ru")).toBe("15 сентября, 14:03");
    expect(formatValue("2026-12-31T19:30:00Z", "time", "kk")).toBe("1 қаңтар, 00:30");
  });

  it("a value that is not a date or a number is shown as it is", () => {
    expect(formatValue("мақұлданған күні", "date_abl", "kk")).toBe("мақұлданған күні");
    expect(formatValue("—", "num_abl", "kk")).toBe("—");
    expect(formatValue("31.02.2026", "date", "ru")).toBe("31.02.2026");
  });

  it("every format name is registered and lower-case (i18next looks them up lower-cased)", () => {
    for (const f of FORMAT_NAMES) expect(f).toBe(f.toLowerCase());
    expect(FORMAT_NAMES).toContain("day_abl");
    expect(FORMAT_NAMES).toContain("num_poss");
  });
});
