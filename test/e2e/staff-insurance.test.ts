import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { formatValue } from "../../bot/forms/index.js";
import { openCard, query, storedIin, write } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";

// The clock starts IN_CAMPAIGN: approvals take effect on 1 January 2027 (R7).
const ADMIN = 9001;
const KK_SUPPORT = 9851;

type Lang = "ru" | "kk";
/** A locale text with its variables filled in as the bot does, dates (ISO) through the language's formats. */
const fill = (lang: Lang, key: string, vars: Record<string, string>) =>
  L(lang, key)
    .replace(/\{\{(\w+)(?:,\s*(\w+))?\}\}/g, (_, k: string, f?: string) =>
      f ? formatValue(vars[k], f, lang) : (vars[k] ?? ""),
    )
    .replace(/<[^>]+>/g, "");
const firstSentence = (text: string) => text.split(/[.:;]\s/)[0] ?? text;

/** An insured request (EAEU worker) with its contract and the contract's page, as the application stores it. */
async function seedInsured(
  stack: Stack,
  s: { number: string; userId: number; iin: string; locale: Lang; kind: string; until: string },
): Promise<void> {
  await write(
    stack,
    `insert into requests (number, user_id, iin_sealed, iin_index, person_birth_date, for_child, applicant_category, region_id,
      settlement_id, clinic_id, ground, residence_kind, status, submitted_at, decision_due, effective_from, outcome_at_submission,
      locale, source_key, insurance_kind, insurance_valid_until)
     values (?, ?, ?, ?, ?, 0, 'eaeu_worker', 'almaty', 'almaty', 'almaty-gp-1', 'free_choice', 'registered', 'pending',
      '2026-09-15T04:00:00.000Z', '2026-09-16', '2027-01-01', '{}', ?, ?, ?, ?)`,
    s.number,
    s.userId,
    ...storedIin(stack, s.iin),
    `19${s.iin.slice(0, 2)}-${s.iin.slice(2, 4)}-${s.iin.slice(4, 6)}`,
    s.locale,
    `seed:${s.number}`,
    s.kind,
    s.until,
  );
  await write(
    stack,
    `insert into request_documents (request_id, kind, file_id, file_unique_id, mime_type, file_size, file_name, added_at)
     select id, 'insurance_contract', 'f-' || number, 'u-' || number, 'image/jpeg', 1000, null, submitted_at from requests where number = ?`,
    s.number,
  );
}

const row = async (stack: Stack, number: string) =>
  (
    await query<{ status: string; reject_reason: string | null }>(
      stack,
      "select status, reject_reason from requests where number = ?",
      number,
    )
  )[0];

describe("R2 on the staff card: the stored contract, and no approval on an ended one", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let support: ScriptedUser;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support = stack.tg.user({ id: KK_SUPPORT, first_name: "Гүлнар", language_code: "kk" });
    await Promise.all([chooseLanguage(admin, "ru"), chooseLanguage(support, "kk")]);
    admin.command("/staff", `add ${KK_SUPPORT} support`);
    await until(admin, `Готово: ${KK_SUPPORT}`);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R2 (ru): a valid contract is on the card, the rules judge it on its term (not 'term missing'), and it is approved", async () => {
    const applicant = stack.tg.user({ id: 9861, first_name: "Азамат", language_code: "ru" });
    await chooseLanguage(applicant, "ru");
    await seedInsured(stack, {
      number: "A-2026-910001",
      userId: 9861,
      iin: makeIin("900101", 3, 861),
      locale: "ru",
      kind: "compulsory",
      until: "2027-12-31",
    });
    const card = await openCard(admin, "ru", "A-2026-910001");
    expect(card.text).toContain(
      fill("ru", "staff.card.insurance", { kind: L("ru", "apply.insurance.kinds.compulsory"), date: "2027-12-31" }),
    );
    expect(card.text).toContain(
      fill("ru", "staff.card.outcome_now", { outcome: `✅ ${L("ru", "staff.card.outcomes.accepted")}` }),
    );
    expect(card.text).not.toContain(firstSentence(L("ru", "rules.reasons.insurance_term_missing")));
    await admin.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    await until(admin, "A-2026-910001 одобрена");
    const approved = await until(applicant, "Заявка A-2026-910001 одобрена");
    expect(approved.text).toContain(fill("ru", "rules.notes.insurance_term", { date: "2027-12-31" }));
    expect((await row(stack, "A-2026-910001"))?.status).toBe("approved");
  });

  it("R2 R14 (kk): an ended contract is marked, approval is refused with why, and the offered refusal is 'not eligible', told to the applicant", async () => {
    const applicant = stack.tg.user({ id: 9862, first_name: "Бекзат", language_code: "kk" });
    await chooseLanguage(applicant, "kk");
    await seedInsured(stack, {
      number: "A-2026-910002",
      userId: 9862,
      iin: makeIin("880808", 3, 862),
      locale: "kk",
      kind: "voluntary",
      until: "2026-09-10",
    });
    const card = await openCard(support, "kk", "A-2026-910002");
    expect(card.text).toContain(
      fill("kk", "staff.card.insurance_ended", {
        kind: L("kk", "apply.insurance.kinds.voluntary"),
        date: "2026-09-10",
      }),
    );
    expect(card.text).toContain(
      `⛔ ${L("kk", "staff.card.outcomes.refused")}; ${firstSentence(L("kk", "rules.reasons.insurance_expired"))}`,
    );
    await support.press(L("kk", "staff.buttons.approve"), { message: card }).answer();
    const why = await until(
      support,
      fill("kk", "staff.insurance.expired", { number: "A-2026-910002", date: "2026-09-10" }).slice(0, 60),
    );
    expect(why.text).toContain("шартының мерзімі 2026 жылғы 10 қыркүйекте аяқталған");
    expect(buttons(why)).toEqual([L("kk", "staff.buttons.reject_insurance")]);
    expect((await row(stack, "A-2026-910002"))?.status).toBe("pending");
    await tap(support, L("kk", "staff.buttons.reject_insurance"));
    await until(support, fill("kk", "staff.decided.rejected", { number: "A-2026-910002" }));
    const told = await until(applicant, "A-2026-910002");
    expect(told.text).toContain(L("kk", "staff.reject_reasons.not_eligible"));
    expect(told.text).toContain(L("kk", "staff.reject_next.not_eligible").slice(0, 40));
    expect(await row(stack, "A-2026-910002")).toEqual({ status: "rejected", reject_reason: "not_eligible" });
  });

  it("R2 R7 (ru): a contract valid today that ends before the attachment takes effect (1 January) is not approved either", async () => {
    await seedInsured(stack, {
      number: "A-2026-910003",
      userId: 9863,
      iin: makeIin("770707", 4, 863),
      locale: "ru",
      kind: "voluntary",
      until: "2026-12-20",
    });
    const card = await openCard(admin, "ru", "A-2026-910003");
    expect(card.text).toContain(
      fill("ru", "staff.card.insurance", { kind: L("ru", "apply.insurance.kinds.voluntary"), date: "2026-12-20" }),
    );
    await admin.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    const why = await until(admin, "Одобрить заявку A-2026-910003");
    expect(why.text).toBe(
      fill("ru", "staff.insurance.ends_early", {
        number: "A-2026-910003",
        date: "2026-12-20",
        effective: "2027-01-01",
      }),
    );
    expect(why.text).toContain(
      "действует до 20 декабря 2026 года, а прикрепление вступит в силу только 1 января 2027 года",
    );
    expect((await row(stack, "A-2026-910003"))?.status).toBe("pending");
  });
});
