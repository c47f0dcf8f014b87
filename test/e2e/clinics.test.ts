import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabaseUrl } from "../../data/db.js";
import { importClinics } from "../../data/directory-import.js";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { csvRow, HEADER } from "../integration/directory/helpers.js";
import { buttons, chooseLanguage, L } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { BEFORE_CAMPAIGN, IN_CAMPAIGN } from "../dates.js";
import { query, write } from "./staff-seed.js";

type Lang = "ru" | "kk";
// «Самал» (sample-almaty-06) has a Fund contract for 2026 only; №37 (real, Гагарина) for 2026 and 2027.
const SAMAL = { ru: "Центр семейного здоровья «Самал»", kk: "«Самал» отбасылық денсаулық орталығы" };
const GP37 = { ru: "Городская поликлиника №37", kk: "№37 қалалық емхана" };

/** /clinics <query>: the list's button for this clinic (⛔ or not), then its card. */
async function look(u: ScriptedUser, query: string, name: string): Promise<{ button: string; card: string }> {
  u.command("/clinics", query);
  // A button is "name · town".
  const list = await u.waitFor(
    (m) => buttons(m).some((b) => b.split(" · ")[0]?.endsWith(name)) && m === u.lastMessage(),
  );
  const button = buttons(list).find((b) => b.split(" · ")[0]?.endsWith(name)) ?? "";
  const before = u.messages().length;
  await u.press(button).answer();
  const card: StoredMessage = await u.waitFor(
    (m) => u.messages().indexOf(m) >= before && (m.text ?? "").includes(name),
  );
  return { button, card: card.text ?? "" };
}

describe("clinics end to end: the rules' own checks and honest figures, in both languages", () => {
  let stack: Stack;
  const users = {} as Record<Lang, ScriptedUser>;
  beforeAll(async () => {
    // Inside the 2026 campaign: an attachment applied for now takes effect on 1 January 2027 (R7).
    stack = await startStack({ clockStart: IN_CAMPAIGN });
    users.ru = stack.tg.user({ id: 5101, first_name: "Жанар", language_code: "ru" });
    users.kk = stack.tg.user({ id: 5102, first_name: "Бауыржан", language_code: "kk" });
    await chooseLanguage(users.ru, "ru");
    await chooseLanguage(users.kk, "kk");
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(["ru", "kk"] as const)(
    "R5, R7 (%s): inside the campaign a clinic without next year's Fund contract is ⛔ in the list and says why",
    async (lang) => {
      const samal = await look(users[lang], "Самал-2", SAMAL[lang]);
      expect(samal.button).toBe(`⛔ ${SAMAL[lang]} · Алматы`);
      expect(samal.card).toContain(`⛔ ${L(lang, "rules.reasons.clinic_no_contract")}`);
      const gp37 = await look(users[lang], "Гагарина", GP37[lang]);
      expect(gp37.button).toBe(`${GP37[lang]} · Алматы`);
      expect(gp37.card).not.toContain("⛔");
    },
  );

  it.each(["ru", "kk"] as const)(
    "(%s) a card names its town (same-named clinics elsewhere) and leaves out a phone or hours nobody knows",
    async (lang) => {
      const gp1 = await look(
        users[lang],
        lang === "ru" ? "поликлиника №1" : "№1 қалалық",
        lang === "ru" ? "Городская поликлиника №1" : "№1 қалалық емхана",
      );
      expect(gp1.card).toContain(lang === "ru" ? "Алматы, Жетысуский р-н" : "Алматы, Жетісу ауданы");
      expect(gp1.card).not.toContain("☎️");
      expect(gp1.card).not.toContain("🕘");
      const samal = await look(users[lang], "Самал-2", SAMAL[lang]);
      expect(samal.card).toContain("☎️ +77270000322");
      expect(samal.card).toContain(lang === "ru" ? "🕘 Пн–Пт 08:00–18:00" : "🕘 Дс–Жм 08:00–18:00");
    },
  );

  it.each(["ru", "kk"] as const)(
    "(%s) outside a flow, typed text that names a clinic or a street finds it; other text gets the hint",
    async (lang) => {
      const u = users[lang];
      u.send("Гагарина");
      const found = await u.waitFor((m) =>
        (m.text ?? "").includes(lang === "ru" ? "Найдено по «Гагарина»" : "«Гагарина»"),
      );
      expect(buttons(found)).toContain(`${GP37[lang]} · Алматы`);
      u.send(lang === "ru" ? "здравствуйте" : "сәлеметсіз бе");
      await u.waitFor((m) => (m.text ?? "") === L(lang, "common.unknown").replace(/<[^>]+>/g, ""));
    },
  );

  it.each(["ru", "kk"] as const)(
    "(%s) every card whose figures are not the registry's says so: invented sample, real clinic's real facts",
    async (lang) => {
      const samal = await look(users[lang], "Самал-2", SAMAL[lang]);
      expect(samal.card).toContain(L(lang, "clinics.sample"));
      const gp37 = await look(users[lang], "Гагарина", GP37[lang]);
      const facts = (keys: string[]) => keys.map((k) => L(lang, `clinics.facts.${k}`)).join(", ");
      expect(gp37.card).toContain(
        L(lang, "clinics.figures_real").replace("{{facts}}", facts(["name", "district", "address"])),
      );
      expect(gp37.card).toContain(
        L(lang, "clinics.figures_illustrative").replace(
          "{{facts}}",
          facts(["capacity", "attached", "contract", "licence", "location"]),
        ),
      );
      expect(gp37.card).not.toContain(L(lang, "clinics.sample"));
    },
  );

  it.each(["ru", "kk"] as const)(
    "(%s) /clinics shows the typed query as typed: escaped for HTML once, not twice",
    async (lang) => {
      const u = users[lang];
      u.command("/clinics", "A&B <x>");
      const none = await u.waitFor((m) => m === u.lastMessage() && (m.text ?? "").includes("A&"));
      expect(none.text).toBe(L(lang, "clinics.none_found").replace("{{query}}", "A&B <x>"));
      expect(none.text).not.toContain("&amp;");
      expect(none.text).not.toContain("&lt;");
    },
  );

  it("a clinic loaded from the registry carries no note, and the importer's figures become the card's", async () => {
    const database = openDatabaseUrl(stack.databaseUrl);
    try {
      const file = [
        HEADER,
        csvRow({
          id: "registry-e2e-1",
          name_ru: "Поликлиника Реестровая",
          name_kk: "Тізілім емханасы",
          capacity: "5000",
          attached: "4990",
        }),
      ].join("\n");
      expect(await importClinics(database.db, file, { format: "csv", partial: true })).toMatchObject({
        added: 1,
        rejected: [],
      });
    } finally {
      await database.close();
    }
    for (const lang of ["ru", "kk"] as const) {
      const name = lang === "ru" ? "Поликлиника Реестровая" : "Тізілім емханасы";
      const { button, card } = await look(users[lang], "Реестровая", name);
      expect(button).toBe(`${name} · Алматы`);
      expect(card).not.toContain(L(lang, "clinics.sample"));
      expect(card).not.toContain(L(lang, "clinics.figures_illustrative").split("{{")[0] ?? "");
    }
  });

  it("R5: a private practitioner is named as such in the list and on the card, in both languages", async () => {
    const database = openDatabaseUrl(stack.databaseUrl);
    try {
      const row = csvRow({ id: "registry-e2e-gp", name_ru: "Врач Ахметова А.", name_kk: "Дәрігер Ахметова А." });
      const file = [`${HEADER},provider`, `${row},private_practitioner`].join("\n");
      expect(await importClinics(database.db, file, { format: "csv", partial: true })).toMatchObject({
        added: 1,
        rejected: [],
      });
    } finally {
      await database.close();
    }
    for (const lang of ["ru", "kk"] as const) {
      const name = lang === "ru" ? "Врач Ахметова А." : "Дәрігер Ахметова А.";
      const { button, card } = await look(users[lang], "Ахметова", name);
      expect(button).toBe(`${name} · ${L(lang, "clinics.private_mark")} · Алматы`);
      expect(card).toContain(L(lang, "clinics.private_practitioner"));
    }
    // An organisation's card says nothing of the kind.
    expect((await look(users.ru, "Гагарина", GP37.ru)).card).not.toContain(L("ru", "clinics.private_practitioner"));
  });

  it("outside the campaign the same clinic is available; a restart brings back shipped places and keeps others", async () => {
    stack.bot.proc.kill("SIGTERM");
    await stack.bot.exited;
    // A shipped settlement missing from an older database, and one the database has beyond the file.
    await write(stack, "delete from settlements where id = 'ayagoz'");
    await write(
      stack,
      "insert into settlements (id, region_id, kind, name_ru, name_kk, atu_code, lat, lon, search, sort_ru, sort_kk) values ('e2e-aul', 'abai', 'village', 'Аул', 'Ауыл', '109999999', 48.1, 80.1, ' аул ауыл ', 'аул', 'ауыл')",
    );
    // Spring 2026: no campaign, an attachment takes effect on the decision, so this year's contract is the one.
    stack.env.CLOCK_START = BEFORE_CAMPAIGN;
    await stack.restart();
    expect(await query(stack, "select name_ru from settlements where id = 'ayagoz'")).toEqual([{ name_ru: "Аягоз" }]);
    expect(await query(stack, "select id from settlements where id = 'e2e-aul'")).toEqual([{ id: "e2e-aul" }]);
    for (const lang of ["ru", "kk"] as const) {
      users[lang].skip();
      const samal = await look(users[lang], "Самал-2", SAMAL[lang]);
      expect(samal.button).toBe(`${SAMAL[lang]} · Алматы`);
      expect(samal.card).not.toContain(L(lang, "rules.reasons.clinic_no_contract"));
    }
  });
});
