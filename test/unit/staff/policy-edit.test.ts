import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createI18n, type T } from "../../../bot/i18n.js";
import { createRulesService, holidaysKey, policyKey } from "../../../bot/rules-service.js";
import { changedFields, policyDiff, tableDiff } from "../../../bot/features/staff/policy/describe.js";
import { applyEdit } from "../../../bot/features/staff/policy/edit.js";
import { fromMask, toMask } from "../../../bot/features/staff/policy/keyboards.js";
import { cancel, confirm, propose } from "../../../bot/features/staff/policy/pending.js";
import { openDatabase, type OpenedDatabase } from "../../../data/db.js";
import { loadHolidayYears, policyForYear } from "../../../data/datasets/load-rules-data.js";
import { migrateToLatest } from "../../../data/migrate.js";
import { getSetting, putSetting } from "../../../data/repositories/settings.js";
import { GROUNDS, PolicySchema, type Policy } from "../../../rules/index.js";

// An admin's policy change: parsed from a command's words, validated whole by the policy schema, shown as
// before/after, and applied only if the year's policy is still the one it was computed from.

const base = policyForYear(2026);
const edit = (field: string, words: string, policy: Policy = base) =>
  applyEdit(policy, field, words.split(" ").filter(Boolean), policyForYear(2025).campaign);

describe("policy edits (the same schema as the data files)", () => {
  it("R9: the quota and whether a campaign change counts toward it", () => {
    expect(edit("quota", "1")).toMatchObject({ ok: true, next: { freeChangesPerYear: 1 } });
    expect(edit("quota", "13")).toMatchObject({ ok: false });
    expect(edit("quota", "two")).toMatchObject({ ok: false });
    expect(edit("counts", "on")).toMatchObject({ ok: true, next: { campaignCountsTowardQuota: true } });
  });

  it("R7: a campaign's dates or none; its effective day kept, or the nearest year's when it had none", () => {
    expect(edit("campaign", "off")).toMatchObject({ ok: true, next: { campaign: null } });
    const moved = edit("campaign", "03-01 04-30 07-01+0");
    expect(moved).toMatchObject({
      ok: true,
      next: { campaign: { start: "03-01", end: "04-30", effectiveFrom: { monthDay: "07-01", yearOffset: 0 } } },
    });
    const noCampaign = { ...base, campaign: null };
    expect(edit("campaign", "09-15 11-15", noCampaign)).toMatchObject({
      ok: true,
      next: { campaign: { start: "09-15", end: "11-15", effectiveFrom: { monthDay: "01-01", yearOffset: 1 } } },
    });
    // The schema's own checks: no such day, a window ending before it starts.
    expect(edit("campaign", "02-30 04-30")).toMatchObject({ ok: false });
    expect(edit("campaign", "11-01 09-01")).toMatchObject({ ok: false });
    expect(edit("effective", "campaign 02-01 +1")).toMatchObject({
      ok: true,
      next: { campaign: { effectiveFrom: { monthDay: "02-01", yearOffset: 1 } } },
    });
    expect(edit("effective", "campaign 02-01 +1", noCampaign)).toMatchObject({ ok: false });
    expect(edit("effective", "outside 01-01 +1")).toMatchObject({
      ok: true,
      next: { effectiveOutsideCampaign: { monthDay: "01-01", yearOffset: 1 } },
    });
    expect(
      edit("effective", "outside decision", {
        ...base,
        effectiveOutsideCampaign: { monthDay: "01-01", yearOffset: 1 },
      }),
    ).toMatchObject({ ok: true, next: { effectiveOutsideCampaign: "on_decision" } });
  });

  it("R8, R11–R13: grounds and document lists by code; unknown codes and duplicates are refused", () => {
    expect(edit("grounds", "residence_change,free_choice")).toMatchObject({
      ok: true,
      next: { groundsOutsideCampaign: ["residence_change", "free_choice"] },
    });
    expect(edit("grounds", "work")).toMatchObject({ ok: false });
    expect(edit("grounds", "free_choice free_choice")).toMatchObject({ ok: false });
    expect(edit("documents", "child birth_certificate residence_permit")).toMatchObject({
      ok: true,
      next: { documents: { child: ["birth_certificate", "residence_permit"] } },
    });
    expect(edit("documents", "pensioner identity_document")).toMatchObject({
      ok: true,
      next: { documents: { specialCategories: { pensioner: ["identity_document"] } } },
    });
    // R12: a proof of residence needs at least one document.
    expect(edit("documents", "proof")).toMatchObject({ ok: false });
    expect(edit("documents", "nowhere birth_certificate")).toMatchObject({ ok: false });
    expect(edit("proof", "on")).toMatchObject({ ok: true, next: { requireProofForTemporaryResidence: true } });
    expect(edit("under", "off")).toMatchObject({ ok: true, next: { actualResidenceUnderAge: null } });
  });

  it("R10 and the status: term, end of the working day, status and sources", () => {
    expect(edit("term", "3")).toMatchObject({ ok: true, next: { decisionWorkingDays: 3 } });
    expect(edit("term", "0")).toMatchObject({ ok: false });
    expect(edit("ends", "17:30")).toMatchObject({ ok: true, next: { workingDayEnds: "17:30" } });
    expect(edit("ends", "25:00")).toMatchObject({ ok: false });
    expect(edit("status", "confirmed")).toMatchObject({ ok: true, next: { status: "confirmed" } });
    const added = edit("source", "add 2026-08-20 Приказ № 1");
    expect(added.ok && added.next.sources.at(-1)).toEqual({ source: "Приказ № 1", date: "2026-08-20" });
    expect(edit("source", "add 2026-02-30 Приказ")).toMatchObject({ ok: false });
    expect(edit("source", "remove 1")).toMatchObject({ ok: true });
    expect(edit("source", `remove ${base.sources.length + 1}`)).toMatchObject({ ok: false });
    // Removing the only source leaves none: the schema asks for at least one.
    expect(edit("source", "remove 1", { ...base, sources: base.sources.slice(0, 1) })).toMatchObject({ ok: false });
    expect(edit("colour", "blue")).toMatchObject({ ok: false });
  });

  it("every accepted edit is a valid policy", () => {
    for (const [field, words] of [
      ["quota", "0"],
      ["campaign", "off"],
      ["grounds", ""],
      ["documents", "child"],
    ] as const) {
      const r = edit(field, words);
      if (r.ok) expect(PolicySchema.safeParse(r.next).success).toBe(true);
    }
  });

  it("a set of codes survives the buttons' bit mask", () => {
    const chosen = ["residence_change", "first_attachment"];
    expect(fromMask(GROUNDS, toMask(GROUNDS, chosen))).toEqual(chosen);
    expect(fromMask(GROUNDS, "zzzz")).toBeNull();
  });
});

describe("before/after", () => {
  let t: T;
  beforeAll(async () => {
    t = (await createI18n()).t("ru");
  });

  it("names only what changes, with the values in words", () => {
    const after = { ...base, freeChangesPerYear: 1, campaign: null };
    expect(changedFields(base, after, t).fields).toEqual(["campaign", "effective", "quota"]);
    const lines = policyDiff(t, base, after);
    expect(lines).toContain("• Смен по свободному выбору в год: 2 → 1");
    expect(policyDiff(t, base, base)).toEqual([]);
    // A field the view does not show is named.
    expect(policyDiff(t, base, { ...base, note: "x" })).toEqual([t("policy.admin.change_keys", { keys: "note" })]);
  });

  it("R10: a holiday table's days added and removed", () => {
    const shipped = loadHolidayYears().find((y) => y.year === 2027);
    if (!shipped) throw new Error("no 2027 table");
    const next = { ...shipped, days: [...shipped.days, { date: "2027-03-16", kind: "transferred_day_off" as const }] };
    const lines = tableDiff(t, shipped, false, next).join("\n");
    expect(lines).toContain("16.03.2027 (перенесённый выходной)");
    expect(lines).not.toContain("Убрано");
  });
});

describe("a proposal, confirmed", () => {
  let database: OpenedDatabase;
  beforeAll(async () => {
    database = openDatabase(":memory:");
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
  });
  const at = "2026-09-15T05:00:00.000Z";

  it("writes the override and the audit row, once; an older nonce is stale", async () => {
    const deps = { db: database.db, rules: createRulesService(database.db) };
    const after = { ...base, freeChangesPerYear: 1 };
    const old = await propose(deps, 1, { kind: "policy", year: 2026, after, via: "command", fields: "quota" }, at);
    const nonce = await propose(deps, 1, { kind: "policy", year: 2026, after, via: "command", fields: "quota" }, at);
    expect(await confirm(deps, 1, old, at)).toEqual({ kind: "stale" });
    expect(await confirm(deps, 1, nonce, at)).toMatchObject({ kind: "applied" });
    expect(await getSetting(database.db, policyKey(2026), PolicySchema)).toEqual(after);
    expect(await confirm(deps, 1, nonce, at)).toEqual({ kind: "stale" });
    const audit = await database.db.selectFrom("audit_log").selectAll().execute();
    expect(audit.map((a) => JSON.parse(a.details ?? "{}") as unknown)).toEqual([
      { key: "policy:2026", via: "command", fields: "quota" },
    ]);
  });

  it("is not applied when the year's policy changed since it was shown (another admin)", async () => {
    const deps = { db: database.db, rules: createRulesService(database.db) };
    const nonce = await propose(
      deps,
      1,
      {
        kind: "policy",
        year: 2027,
        after: { ...policyForYear(2027), decisionWorkingDays: 2 },
        via: "button",
        fields: "term",
      },
      at,
    );
    await putSetting(database.db, policyKey(2027), { ...policyForYear(2027), freeChangesPerYear: 3 }, at, 2);
    expect(await confirm(deps, 1, nonce, at)).toEqual({ kind: "changed", year: 2027 });
    expect(await getSetting(database.db, policyKey(2027), PolicySchema)).toMatchObject({
      freeChangesPerYear: 3,
      decisionWorkingDays: 1,
    });
  });

  it("back to the shipped data removes the override; a cancelled proposal is gone", async () => {
    const deps = { db: database.db, rules: createRulesService(database.db) };
    const reset = await propose(deps, 1, { kind: "policy", year: 2027, after: null, via: "command", fields: "" }, at);
    expect(await confirm(deps, 1, reset, at)).toMatchObject({ kind: "applied" });
    expect(await deps.rules.policyOf(2027)).toEqual(policyForYear(2027));
    const table = loadHolidayYears().find((y) => y.year === 2027);
    const nonce = await propose(
      deps,
      1,
      { kind: "holidays", year: 2027, after: { ...table!, status: "confirmed" }, via: "file", fields: "days" },
      at,
    );
    expect(await cancel(deps, 1, nonce)).toBe(true);
    expect(await confirm(deps, 1, nonce, at)).toEqual({ kind: "stale" });
    expect(await getSetting(database.db, holidaysKey(2027), PolicySchema)).toBeUndefined();
  });
});
