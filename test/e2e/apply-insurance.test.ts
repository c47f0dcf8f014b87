import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { apply, buttons, chooseLanguage, head, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { walkTo } from "./walk.js";
import { query } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";
import { formatValue } from "../../bot/forms/index.js";

// The clock starts IN_CAMPAIGN: personal choice takes effect on 1 January 2027 (R7), so a contract must last until then.

type Lang = "ru" | "kk";
const edit = (lang: Lang, field: string) =>
  L(lang, "apply.summary.edit").replace("{{field}}", L(lang, `apply.summary.${field}`));
/** A locale text with its variables filled in as the bot does, dates (ISO) through the language's formats. */
const fill = (lang: Lang, key: string, vars: Record<string, string>) =>
  L(lang, key)
    .replace(/\{\{(\w+)(?:,\s*(\w+))?\}\}/g, (_, k: string, f?: string) =>
      f ? formatValue(vars[k], f, lang) : (vars[k] ?? ""),
    )
    .replace(/<[^>]+>/g, "");
const kind = (lang: Lang, k: "voluntary" | "compulsory") => L(lang, `apply.insurance.kinds.${k}`);
/** The first line of a locale text without its tags (head() stops at the first tag). */
const line1 = (lang: Lang, key: string) =>
  (
    L(lang, key)
      .replace(/<[^>]+>/g, "")
      .split(/\n|\{\{/)[0] ?? ""
  ).trim();
const firstSentence = (text: string) => text.split(/[.:]\s/)[0] ?? text;

async function stored(stack: Stack, userId: number) {
  const [request] = await query<Record<string, unknown>>(stack, "select * from requests where user_id = ?", userId);
  const documents = await query<{ kind: string }>(
    stack,
    "select d.kind from request_documents d join requests r on r.id = d.request_id where r.user_id = ?",
    userId,
  );
  return { request, documents: documents.map((d) => d.kind) };
}

/** The steps after the contract, in Almaty with Городская поликлиника №1, to the summary (one document page). */
async function restInAlmaty(u: ScriptedUser, lang: Lang, iin: string): Promise<void> {
  await until(u, line1(lang, "apply.iin.q_self"));
  const clinic = lang === "ru" ? "Городская поликлиника №1" : "№1 қалалық емхана";
  const docs = await walkTo(u, "documents", { from: "iin", lang, iin, clinic });
  expect(docs.text).toContain(L(lang, "rules.documents.insurance_contract"));
  u.sendPhoto();
  await tap(u, L(lang, "apply.documents.done"));
}

describe("R2: insured applicants give their contract and can submit", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R2 (ru): an EAEU worker gives the contract, wrong and expired dates are explained, a contract ending before 1 January is refused at submission, the summary edit fixes it and the request gets a number", async () => {
    const u = stack.tg.user({ id: 3301, first_name: "Азамат", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const q = await walkTo(u, "insurance", { category: "eaeu_worker" });
    expect(q.text).toContain("Договор медицинского страхования");
    expect(buttons(q)).toEqual([
      kind("ru", "voluntary"),
      kind("ru", "compulsory"),
      L("ru", "common.back"),
      L("ru", "common.cancel"),
    ]);
    await tap(u, kind("ru", "voluntary"));
    await until(u, line1("ru", "apply.insurance.until_q"));
    u.send("когда-нибудь");
    await until(u, head("ru", "apply.insurance.errors.format"));
    u.send("31.02.2027");
    await until(u, fill("ru", "apply.insurance.errors.no_such_day", { date: "31.02.2027" }));
    u.send("10.09.2026");
    const expired = await until(
      u,
      fill("ru", "apply.insurance.errors.expired", { date: "2026-09-10", today: "2026-09-15" }),
    );
    expect(expired.text).toContain(line1("ru", "apply.insurance.until_q"));
    // Back on the date returns to the kind; a typed kind is taken too.
    await tap(u, L("ru", "common.back"));
    await until(u, "Договор медицинского страхования");
    u.send("вменённое");
    await until(u, line1("ru", "apply.insurance.until_q"));
    u.send("до 30.11.2026");
    await until(u, fill("ru", "apply.insurance.accepted", { kind: kind("ru", "compulsory"), date: "2026-11-30" }));
    await restInAlmaty(u, "ru", makeIin("900101", 3, 331));
    let summary = await until(u, "Проверьте заявку");
    expect(summary.text).toContain(`Страховка: ${kind("ru", "compulsory")}, до 30 ноября 2026 года`);
    expect(buttons(summary)).toContain(edit("ru", "insurance"));

    // R2, R7: the attachment would start on 1 January 2027, after the contract ends.
    await tap(u, L("ru", "apply.summary.confirm"));
    const refused = await until(u, head("ru", "apply.result.refused"));
    expect(refused.text).toContain(firstSentence(L("ru", "rules.reasons.insurance_expired")));
    await tap(u, edit("ru", "insurance"));
    await tap(u, kind("ru", "voluntary"));
    u.send("31.12.2027");
    summary = await until(u, "Проверьте заявку");
    expect(summary.text).toContain(`Страховка: ${kind("ru", "voluntary")}, до 31 декабря 2027 года`);
    await tap(u, L("ru", "apply.summary.confirm"));
    const done = await until(u, "принята");
    expect(done.text).toMatch(/A-2026-\d{6}/);
    expect(done.text).toContain(fill("ru", "rules.notes.insurance_term", { date: "2027-12-31" }));
    const { request, documents } = await stored(stack, 3301);
    expect(request).toMatchObject({
      applicant_category: "eaeu_worker",
      insurance_kind: "voluntary",
      insurance_valid_until: "2027-12-31",
      effective_from: "2027-01-01",
    });
    expect(documents).toEqual(["insurance_contract"]);

    u.command("/status");
    const card = await until(u, "на рассмотрении");
    expect(card.text).toContain(
      fill("ru", "requests.insurance", { kind: kind("ru", "voluntary"), date: "2027-12-31" }),
    );
  });

  it("R2 (kk): a family member of an EAEU migrant: Cancel and resume at the contract, a typed kind, an expired date explained, a two-digit year, a number", async () => {
    const u = stack.tg.user({ id: 3302, first_name: "Айжан", language_code: "kk" });
    await chooseLanguage(u, "kk");
    const q = await walkTo(u, "insurance", { lang: "kk", category: "eaeu_family" });
    expect(q.text).toContain("Медициналық сақтандыру шарты");
    await tap(u, L("kk", "common.cancel"));
    await until(u, head("kk", "apply.cancelled"));
    await apply(u, "kk");
    const resume = await until(u, L("kk", "apply.step_names.insurance"));
    expect(buttons(resume)).toContain(L("kk", "apply.resume_continue"));
    await tap(u, L("kk", "apply.resume_continue"));
    await until(u, "Медициналық сақтандыру шарты");
    u.send("ерікті");
    await until(u, line1("kk", "apply.insurance.until_q"));
    u.send("01.01.2026");
    const kkExpired = await until(
      u,
      fill("kk", "apply.insurance.errors.expired", { date: "2026-01-01", today: "2026-09-15" }),
    );
    expect(kkExpired.text).toContain("Шарттың мерзімі 2026 жылғы 1 қаңтарда аяқталған");
    u.send("31.12.28");
    await until(u, fill("kk", "apply.insurance.accepted", { kind: kind("kk", "voluntary"), date: "2028-12-31" }));
    await restInAlmaty(u, "kk", makeIin("880808", 4, 332));
    const summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain(
      `${L("kk", "apply.summary.insurance")}: ${kind("kk", "voluntary")}, 2028 жылғы 31 желтоқсанға дейін`,
    );
    await tap(u, L("kk", "apply.summary.confirm"));
    const done = await until(u, "қабылданып");
    expect(done.text).toMatch(/A-2026-\d{6}/);
    expect((await stored(stack, 3302)).request).toMatchObject({
      applicant_category: "eaeu_family",
      insurance_kind: "voluntary",
      insurance_valid_until: "2028-12-31",
    });
    u.command("/status");
    const card = await until(u, "A-2026-");
    expect(card.text).toContain(
      fill("kk", "requests.insurance", { kind: kind("kk", "voluntary"), date: "2028-12-31" }),
    );
  });

  it("R1 R2: a citizen is never asked about insurance, and the summary has no such row", async () => {
    const u = stack.tg.user({ id: 3303, first_name: "Ержан", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const summary = await walkTo(u, "summary", { iin: makeIin("770707", 3, 333), clinic: "Городская поликлиника №1" });
    expect(summary.text).not.toContain("Страховка");
    expect(buttons(summary)).not.toContain(edit("ru", "insurance"));
    expect(u.messages().some((m) => (m.text ?? "").includes("Договор медицинского страхования"))).toBe(false);
  });
});
