import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { buttons, chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { makeIin } from "../../scripts/stack/people.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN } from "../dates.js";
import { AUTUMN_CAMPAIGN, overridePolicy } from "./policy.js";
import { query, vaultOf } from "./staff-seed.js";

type Lang = "ru" | "kk";
const edit = (lang: Lang, field: string) =>
  L(lang, "apply.summary.edit").replace("{{field}}", L(lang, `apply.summary.${field}`));

async function stored(stack: Stack, userId: number) {
  const [request] = await query<Record<string, unknown>>(stack, "select * from requests where user_id = ?", userId);
  const documents = await query<{ kind: string }>(
    stack,
    "select d.kind from request_documents d join requests r on r.id = d.request_id where r.user_id = ? order by d.id",
    userId,
  );
  return { request, documents: documents.map((d) => d.kind) };
}

/** Confirms the summary shown last and returns the request number. */
async function confirm(u: ScriptedUser, lang: Lang): Promise<string> {
  await tap(u, L(lang, "apply.summary.confirm"));
  const done = await until(u, lang === "ru" ? "принята" : "қабылданып");
  const number = /A-2026-\d{6}/.exec(done.text ?? "")?.[0];
  expect(number).toBeDefined();
  return number ?? "";
}

describe("editing the application from its summary", () => {
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

  it("R4 R11 R12 (ru): place, residence and who are edited; each goes on through the steps that depend on it; Confirm files the request", async () => {
    const u = stack.tg.user({ id: 3001, first_name: "Айгерим", language_code: "ru" });
    await chooseLanguage(u, "ru");
    let summary = await walkTo(u, "summary", { iin: makeIin("900101", 4, 301), clinic: "Городская поликлиника №1" });
    expect(buttons(summary)).not.toContain(edit("ru", "documents")); // nothing to bring yet

    // Back from an edit returns to the summary with nothing changed.
    await tap(u, edit("ru", "clinic"));
    await until(u, "Поликлиника (Алматы");
    await tap(u, L("ru", "common.back"));
    summary = await until(u, "Проверьте заявку");
    expect(summary.text).toContain("Городская поликлиника №1");

    // Place: an oblast → its settlement → a clinic there (the old one is dropped) → the summary.
    await tap(u, edit("ru", "place"));
    await until(u, "Где вы живёте");
    await tap(u, "Абайская область");
    await until(u, "выберите населённый пункт");
    await tap(u, "Семей");
    await until(u, "Поликлиника (Семей");
    await tap(u, "Городская поликлиника №41");
    summary = await until(u, "Выбрана поликлиника");
    expect(summary.text).toContain("Проверьте заявку");
    expect(summary.text).toContain("Семей");
    expect(summary.text).toContain("Городская поликлиника №41");

    // Residence: temporary needs a proof (R12) → the documents step → the summary.
    await tap(u, edit("ru", "residence"));
    await tap(u, L("ru", "apply.residence.temporary"));
    await until(u, L("ru", "rules.documents.residence_proof"));
    u.sendPhoto();
    await until(u, "Получено страниц: 1");
    await tap(u, L("ru", "apply.documents.done"));
    summary = await until(u, "Проверьте заявку");
    expect(buttons(summary)).toContain(edit("ru", "documents"));

    // Who: self → child asks the child's status and IIN again, then the birth certificate (R11), then the summary.
    await tap(u, edit("ru", "who"));
    await until(u, "Кого прикрепляем");
    await tap(u, L("ru", "apply.who.child"));
    await until(u, "К какой категории");
    await tap(u, L("ru", "apply.category.options.citizen"));
    await until(u, "ИИН ребёнка");
    u.send(makeIin("150505", 5, 302));
    expect((await until(u, "ИИН принят: 1505•••••")).text).toContain("Шаг 8. Документы");
    u.sendPhoto();
    await until(u, `Получено страниц: 1 (${L("ru", "rules.documents.birth_certificate")})`);
    await tap(u, L("ru", "apply.documents.done"));
    await until(u, `Получено страниц: 1 (${L("ru", "rules.documents.residence_proof")})`);
    await tap(u, L("ru", "apply.documents.done"));
    summary = await until(u, "Проверьте заявку");
    expect(summary.text).toContain(L("ru", "apply.who.child"));
    expect(summary.text).toContain("1505•••••");

    const number = await confirm(u, "ru");
    const { request, documents } = await stored(stack, 3001);
    expect(request).toMatchObject({
      number,
      settlement_id: "semey",
      clinic_id: "sample-semey-01",
      for_child: 1,
      residence_kind: "temporary",
    });
    expect(documents.sort()).toEqual(["birth_certificate", "residence_proof"]);
  });

  it("R1 R18 (kk): status, IIN, clinic, ground and documents are edited, each back to the summary; Confirm files the request", async () => {
    const u = stack.tg.user({ id: 3002, first_name: "Ерлан", language_code: "kk" });
    await chooseLanguage(u, "kk");
    let summary = await walkTo(u, "summary", {
      lang: "kk",
      iin: makeIin("880808", 3, 303),
      place: "Астана қаласы",
      clinic: { search: "202", name: "№202 қалалық емхана" },
      residence: "temporary",
      documents: 1,
    });

    await tap(u, edit("kk", "category"));
    await until(u, "2-қадам");
    await tap(u, L("kk", "apply.category.options.kandas"));
    summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain(L("kk", "apply.category.options.kandas"));

    const second = makeIin("870707", 4, 304);
    await tap(u, edit("kk", "iin"));
    await until(u, "ЖСН-іңіз");
    u.send(second);
    summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain(`${second.slice(0, 4)}•••••`);

    await tap(u, edit("kk", "clinic"));
    await until(u, "емхана");
    u.send("203");
    await until(u, "«203» бойынша");
    await tap(u, "№203 қалалық емхана");
    summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain("№203 қалалық емхана");

    await tap(u, edit("kk", "ground"));
    await until(u, "Бекіту негізі");
    await tap(u, L("kk", "rules.grounds.free_choice.title"));
    summary = await until(u, "Өтінімді тексеріңіз");

    await tap(u, edit("kk", "documents"));
    await until(u, "Алынған беттер: 1");
    u.sendPhoto();
    await until(u, "Алынған беттер: 2");
    await tap(u, L("kk", "apply.documents.done"));
    summary = await until(u, "Өтінімді тексеріңіз");
    expect(summary.text).toContain("2 файл");

    const number = await confirm(u, "kk");
    const { request, documents } = await stored(stack, 3002);
    expect(vaultOf(stack).open(String(request?.iin_sealed), "iin")).toBe(second);
    expect(request).toMatchObject({
      number,
      applicant_category: "kandas",
      clinic_id: "sample-astana-05",
      ground: "free_choice",
    });
    expect(documents).toEqual(["residence_proof", "residence_proof"]);
  });
});
