import { GrammyError, type Api, type RawApi } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../../bot/context.js";
import { parseFind } from "../../../bot/features/staff/find.js";
import { inScope } from "../../../bot/access.js";
import type { StaffRole } from "../../../data/schema/staff.js";
import { startOutboxWorker } from "../../../bot/outbox-worker.js";
import { parseRange } from "../../../bot/features/staff/stats.js";
import { createI18n, loadResources, type T } from "../../../bot/i18n.js";
import { createLogger } from "../../../bot/logger.js";
import { createRulesService } from "../../../bot/rules-service.js";
import { createDeps } from "../../../bot/deps.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { decide } from "../../../data/repositories/decisions.js";
import { exportRows, toCsv } from "../../../data/repositories/export.js";
import type { RequestRow } from "../../../data/repositories/requests.js";
import { findRequests, instantBounds, median, queuePage, requestStats } from "../../../data/repositories/stats.js";
import { getUser, touchUser } from "../../../data/repositories/users.js";
import { insertRequest } from "../../fixtures/requests.js";
import { freshDb, type TestDb } from "../directory/helpers.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";
import { testVault } from "../../fixtures/vault.js";

const NOW = new Date(IN_CAMPAIGN_UTC); // 10:00 in Almaty
let t: TestDb;
const add = (over: Partial<RequestRow> = {}): Promise<RequestRow> => insertRequest(t.db, over);

beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db, NOW);
});
afterAll(async () => {
  await t.dispose();
});

describe("staff queries", () => {
  it("the queue is scoped, overdue first, then oldest first, paged", async () => {
    const late = await add({ decision_due: "2026-09-10", submitted_at: "2026-09-09T05:00:00.000Z" });
    const older = await add({ submitted_at: "2026-09-01T05:00:00.000Z", decision_due: "2026-09-20" });
    const other = await add({ clinic_id: "almaty-gp-2", settlement_id: "almaty" });
    await add({ status: "approved", decided_at: "2026-09-14T09:00:00.000Z", decided_by: 1 });
    const all = await queuePage(t.db, { clinicIds: null, settlementId: null }, "2026-09-15", 0, 5);
    expect(all.items[0]?.id).toBe(late.id);
    expect(all.items[0]?.overdue).toBe(true);
    expect(all.items[1]?.id).toBe(older.id);
    expect(all.total).toBe(3);
    expect(all.overdue).toBe(1);
    const one = await queuePage(t.db, { clinicIds: ["almaty-gp-2"], settlementId: null }, "2026-09-15", 0, 5);
    expect(one.items.map((i) => i.id)).toEqual([other.id]);
    const none = await queuePage(t.db, { clinicIds: [], settlementId: null }, "2026-09-15", 0, 5);
    expect(none.total).toBe(0);
    const page2 = await queuePage(t.db, { clinicIds: null, settlementId: null }, "2026-09-15", 1, 2);
    expect(page2.items).toHaveLength(1);
    expect(inScope({ clinicIds: null, settlementId: "astana" }, other)).toBe(false);
  });

  it("find by IIN, number and Telegram id respects scope", async () => {
    const r = await add({ settlement_id: "shymkent", clinic_id: "x" });
    expect(
      await findRequests(
        t.db,
        { clinicIds: null, settlementId: null },
        { by: "iin", key: testVault.index(testVault.open(r.iin_sealed, "iin")) },
      ),
    ).toHaveLength(1);
    expect(
      await findRequests(
        t.db,
        { clinicIds: null, settlementId: "almaty" },
        { by: "number", number: r.number.toLowerCase() },
      ),
    ).toHaveLength(0);
    expect(
      await findRequests(t.db, { clinicIds: null, settlementId: "shymkent" }, { by: "user", userId: r.user_id }),
    ).toHaveLength(1);
  });

  it("stats count by status, place and ground with the median decision time and overdue counts", async () => {
    const range = { from: "2026-09-14", to: "2026-09-14" };
    const before = await requestStats(t.db, { clinicIds: null, settlementId: null }, range, "2026-09-15");
    await add({
      status: "rejected",
      decided_at: "2026-09-14T15:00:00.000Z",
      decided_by: 1,
      reject_reason: "quota_used",
    }); // 10 h
    await add({ status: "approved", decided_at: "2026-09-16T05:00:00.000Z", decided_by: 1 }); // 48 h, late
    const s = await requestStats(t.db, { clinicIds: null, settlementId: null }, range, "2026-09-15");
    expect(s.total).toBe(before.total + 2);
    expect(s.byStatus.rejected).toBe(1);
    expect(s.medianDecisionHours).toBe(10); // 4 h (seeded approval), 10 h, 48 h
    expect(s.decidedLate).toBe(1);
    expect(s.bySettlement[0]).toMatchObject({ key: "almaty" });
    expect(s.bySettlement[0]?.name?.ru).toBe("Алматы");
    expect(s.byGround[0]?.key).toBe("free_choice");
    expect(median([])).toBeNull();
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });

  it("Almaty days map to UTC instants (R17): a request at 23:30 Almaty belongs to that day", () => {
    expect(instantBounds({ from: "2026-09-14", to: "2026-09-14" })).toEqual({
      start: "2026-09-13T19:00:00.000Z",
      end: "2026-09-14T19:00:00.000Z",
    });
  });
});

describe("CSV export", () => {
  it("quotes per RFC 4180, defuses formulas and starts with a BOM", () => {
    const buf = toCsv(
      ["Номер", "Емхана", "Примечание", "Формула", "Число", "Пусто"],
      [["A-1", "Қалалық емхана; №1", 'say "hi", then\nleave', "=HYPERLINK(1)", -5, null]],
    );
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString("utf8")).toBe(
      'Номер;Емхана;Примечание;Формула;Число;Пусто\r\nA-1;"Қалалық емхана; №1";"say ""hi"", then\nleave";\'=HYPERLINK(1);-5;\r\n',
    );
  });

  it("exports rows of the range within scope with the full IIN and the number of documents", async () => {
    const r = await add({ submitted_at: "2026-09-20T10:00:00.000Z" });
    await t.db
      .insertInto("request_documents")
      .values({
        request_id: r.id,
        kind: "birth_certificate",
        file_id: "f",
        file_unique_id: "u",
        mime_type: "image/jpeg",
        file_size: 1,
        file_name: null,
        added_at: "2026-09-20T10:00:00.000Z",
      })
      .execute();
    const rows = await exportRows(
      t.db,
      { clinicIds: ["almaty-gp-1"], settlementId: null },
      { from: "2026-09-20", to: "2026-09-20" },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: r.number, iin_sealed: r.iin_sealed, documents: 1 });
    expect(rows[0]?.clinic_ru).toBeTruthy();
  });

  it("R2: an insured applicant's contract goes into the export", async () => {
    const r = await add({
      submitted_at: "2026-09-21T10:00:00.000Z",
      applicant_category: "eaeu_worker",
      insurance_kind: "voluntary",
      insurance_valid_until: "2027-12-31",
    });
    const rows = await exportRows(
      t.db,
      { clinicIds: null, settlementId: null },
      { from: "2026-09-21", to: "2026-09-21" },
    );
    expect(rows.find((x) => x.number === r.number)).toMatchObject({
      insurance_kind: "voluntary",
      insurance_valid_until: "2027-12-31",
    });
  });
});

describe("decisions and notices", () => {
  function deps(i18n: Deps["i18n"]): Deps {
    return createDeps({
      db: t.db,
      vault: testVault,
      config: { adminIds: [], broadcastRate: 28, rateLimitPerMinute: 60 },
      clock: { now: () => NOW },
      log: createLogger("silent"),
      i18n,
      rules: createRulesService(t.db),
    });
  }

  it("exactly one of two simultaneous decisions wins", async () => {
    const r = await add();
    const at = NOW.toISOString();
    const results = await Promise.all([
      decide(t.db, r.id, 1, { kind: "approve" }, at),
      decide(t.db, r.id, 2, { kind: "reject", reason: "unreliable_data", note: null }, at),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok && x.reason === "already_decided")).toHaveLength(1);
  });

  it("the notice goes in the applicant's current language; a 403 marks them blocked and is not an error", async () => {
    const i18n = await createI18n();
    const d = deps(i18n);
    /** The outbox worker over a fake Api, until it has sent what is owed. */
    const send = async (api: Api<RawApi>) => {
      let idle = () => {};
      const first = new Promise<void>((resolve) => (idle = resolve));
      const worker = startOutboxWorker(d, api as unknown as Api, { pollMs: 60_000, onIdle: () => idle() });
      await first;
      await worker.stop();
    };
    const r = await add({ locale: "ru" });
    await touchUser(t.db, r.user_id, NOW.toISOString());
    await t.db.updateTable("users").set({ language: "kk" }).where("id", "=", r.user_id).execute();
    await decide(t.db, r.id, 1, { kind: "reject", reason: "clinic_full", note: null }, NOW.toISOString());
    const sent: { chat: number; text: string }[] = [];
    await send({
      sendMessage: (chat: number, text: string) => (sent.push({ chat, text }), Promise.resolve({})),
    } as unknown as Api<RawApi>);
    const mine = sent.filter((m) => m.chat === r.user_id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain(i18n.t("kk")("staff.reject_reasons.clinic_full"));
    expect(mine[0]?.text).toContain("1414");
    const other = await add();
    await touchUser(t.db, other.user_id, NOW.toISOString());
    await decide(t.db, other.id, 1, { kind: "approve" }, NOW.toISOString());
    await send({
      sendMessage: () =>
        Promise.reject(
          new GrammyError(
            "blocked",
            { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
            "sendMessage",
            {},
          ),
        ),
    } as unknown as Api<RawApi>);
    expect((await getUser(t.db, other.user_id))?.blocked).toBe(1);
  });
});

describe("parsing and menus", () => {
  it("/find tells an IIN, a request number and a Telegram id apart", () => {
    expect(parseFind("061211600012")).toEqual({ by: "iin", iin: "061211600012" });
    expect(parseFind("a-2026-000123")).toEqual({ by: "number", number: "A-2026-000123" });
    expect(parseFind("id 123456789")).toEqual({ by: "user", userId: 123456789 });
    expect(parseFind("123456789")).toBeNull();
    expect(parseFind("")).toBeNull();
    expect(parseFind("Иванов")).toBeNull();
  });

  it("date ranges: none, one day to today, two days; wrong or reversed dates are refused", () => {
    expect(parseRange("", "2026-09-15")).toBeNull();
    expect(parseRange("2026-09-01", "2026-09-15")).toEqual({ from: "2026-09-01", to: "2026-09-15" });
    expect(parseRange("2026-09-01 2026-09-03", "2026-09-15")).toEqual({ from: "2026-09-01", to: "2026-09-03" });
    expect(parseRange("2026-02-30", "2026-09-15")).toBe("bad");
    expect(parseRange("2026-09-03 2026-09-01", "2026-09-15")).toBe("bad");
    expect(parseRange("a b c", "2026-09-15")).toBe("bad");
    // The usage shows DD.MM.YYYY: typed that way it means the same days.
    expect(parseRange("01.09.2026 03.09.2026", "2026-09-15")).toEqual({ from: "2026-09-01", to: "2026-09-03" });
    expect(parseRange("30.02.2026", "2026-09-15")).toBe("bad");
  });

  it("menus follow the role; every staff text exists in both languages with the same variables", async () => {
    const i18n = await createI18n();
    const { commands } = createDeps({ db: t.db } as Parameters<typeof createDeps>[0]);
    const staffCommandList = (m: { role: StaffRole } | null, t: T) => commands.forRole(m?.role, t);
    expect(staffCommandList(null, i18n.t("ru"))).toEqual([]);
    expect(staffCommandList({ role: "support" }, i18n.t("kk")).map((c) => c.command)).toEqual([
      "queue",
      "find",
      "stats",
      "export",
      "qr",
    ]);
    expect(
      staffCommandList({ role: "admin" }, i18n.t("kk")).every(
        (c) => c.description.length > 0 && !c.description.startsWith("staff."),
      ),
    ).toBe(true);
    const res = loadResources();
    const flat = (o: unknown, p = ""): Record<string, string> =>
      Object.entries(o as Record<string, unknown>).reduce<Record<string, string>>(
        (acc, [k, v]) =>
          typeof v === "object" && v !== null
            ? { ...acc, ...flat(v, `${p}${k}.`) }
            : { ...acc, [`${p}${k}`]: String(v) },
        {},
      );
    const ru = flat(res.ru.staff);
    const kk = flat(res.kk.staff);
    expect(Object.keys(kk).sort()).toEqual(Object.keys(ru).sort());
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(ru)) expect(vars(kk[key] ?? ""), key).toEqual(vars(ru[key] ?? ""));
  });
});
