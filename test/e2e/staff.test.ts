import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, tap, until, untilAny } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { maskIin, maskIinBesideBirthDate } from "../../rules/index.js";
import { makeIin } from "../../scripts/stack/people.js";
import { applyInAlmaty, query, seedRequest } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";

// The clock starts IN_CAMPAIGN: approvals take effect on 1 January 2027 (R7).
const ADMIN = 9001;

type Row = { status: string; decided_by: number | null; reject_reason: string | null; reject_note: string | null };
async function row(stack: Stack, number: string): Promise<Row> {
  const [found] = await query<Row>(
    stack,
    "select status, decided_by, reject_reason, reject_note from requests where number = ?",
    number,
  );
  if (!found) throw new Error(`no request ${number}`);
  return found;
}

/** Opens a request's card from /queue and returns the card message. */
async function openCard(u: ScriptedUser, number: string): Promise<StoredMessage> {
  const before = u.messages().length;
  const isNew = (m: StoredMessage) => u.messages().indexOf(m) >= before;
  u.command("/queue");
  const list = await u.waitFor((m) => isNew(m) && buttons(m).some((b) => b.includes(number)));
  const label = buttons(list).find((b) => b.includes(number)) ?? "";
  await u.press(label, { message: list }).answer();
  return u.waitFor(
    (m) => isNew(m) && (m.text ?? "").startsWith(number) && buttons(m).includes(L("ru", "staff.buttons.show_iin")),
  );
}

describe("support staff end to end", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let support: ScriptedUser;
  let colleague: ScriptedUser;
  const ruIin = makeIin("900101", 3, 101);
  const kkIin = makeIin("850505", 4, 202);
  let realNumber = "";

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    support = stack.tg.user({ id: 9101, first_name: "Сауле", language_code: "ru" });
    colleague = stack.tg.user({ id: 9102, first_name: "Марат", language_code: "ru" });
    await Promise.all([chooseLanguage(admin, "ru"), chooseLanguage(support, "ru"), chooseLanguage(colleague, "ru")]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("a non-staff user typing /queue gets the ordinary unknown-command answer", async () => {
    const citizen = stack.tg.user({ id: 9200, first_name: "Ержан", language_code: "ru" });
    await chooseLanguage(citizen, "ru");
    citizen.command("/queue");
    await until(citizen, L("ru", "common.unknown"));
    citizen.command("/staff", "add 9200 admin");
    await until(citizen, L("ru", "common.unknown"));
  });

  it("an ADMIN_IDS admin gets the staff menu on /start and adds support by command and by a forwarded message", async () => {
    const since = stack.tg.lastCallSeq();
    admin.command("/start");
    await stack.tg.waitForCall("setMyCommands", {
      since,
      predicate: (c) => JSON.stringify(c.params).includes(`"chat_id":${ADMIN}`),
    });
    const adminMenu = stack.tg.commands({ type: "chat", chat_id: ADMIN })?.map((c) => c.command) ?? [];
    expect(adminMenu).toEqual(expect.arrayContaining(["apply", "queue", "staff", "audit", "settings", "export"]));

    admin.command("/staff", "add 9101 support");
    await until(admin, "9101");
    await until(support, L("ru", "staff.roles.support"));
    const supportMenu = stack.tg.commands({ type: "chat", chat_id: 9101 })?.map((c) => c.command) ?? [];
    expect(supportMenu).toEqual(expect.arrayContaining(["apply", "status", "queue", "find", "stats", "export"]));
    expect(supportMenu).not.toContain("staff");

    admin.forward({ from: { id: 9102, first_name: "Марат" }, text: "добавьте меня" });
    await until(admin, "Марат");
    await tap(admin, L("ru", "staff.roles.support"));
    await until(colleague, L("ru", "staff.roles.support"));

    admin.command("/staff", "add nonsense");
    await until(admin, "/staff list");

    // Someone who never opened the bot: the role is given, the admin is told no message could reach them yet.
    const calls = stack.tg.calls("sendMessage").length;
    admin.command("/staff", "add 9199 support");
    const added = await until(admin, "9199");
    expect(added.text).toContain(L("ru", "staff.admin.not_started"));
    expect(
      stack.tg
        .calls("sendMessage")
        .slice(calls)
        .filter((c) => !c.ok),
    ).toEqual([]);
  });

  it("support approves one request and rejects another; each applicant hears it in their own language", async () => {
    const ru = stack.tg.user({ id: 9201, first_name: "Айгерим", language_code: "ru" });
    const kk = stack.tg.user({ id: 9202, first_name: "Ерлан", language_code: "kk" });
    await Promise.all([chooseLanguage(ru, "ru"), chooseLanguage(kk, "kk")]);
    // The first request comes through the real application flow.
    realNumber = await applyInAlmaty(ru, ruIin);
    await seedRequest(stack, { number: "A-2026-900002", userId: 9202, iin: kkIin, locale: "kk" });
    // Overdue (due before today) comes first in the queue.
    await seedRequest(stack, {
      number: "A-2026-900003",
      userId: 9203,
      iin: makeIin("770707", 3, 303),
      locale: "ru",
      due: "2026-09-10",
    });

    support.command("/queue");
    const list = await until(support, "Очередь");
    expect(buttons(list)[0]).toMatch(/^⏰ A-2026-900003/);

    const card = await openCard(support, realNumber);
    // R18: beside the birth date, only the IIN's last two digits.
    expect(card.text).toContain(maskIinBesideBirthDate(ruIin));
    expect(card.text).not.toContain(ruIin.slice(0, 4) + "•");
    expect(card.text).not.toContain(ruIin);
    expect(card.text).toContain("действует с 1 января 2027 года");
    expect(card.text).toContain(L("ru", "staff.card.outcomes.accepted"));
    await support.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    await until(support, `${realNumber} одобрена`);
    const approved = await until(ru, `Заявка ${realNumber} одобрена`);
    expect(approved.text).toContain("вступает в силу с 1 января 2027 года");
    expect(approved.text).toContain(`Заявитель: вы, ИИН ${maskIin(ruIin)}`);
    expect(await row(stack, realNumber)).toMatchObject({ status: "approved", decided_by: 9101 });

    const second = await openCard(support, "A-2026-900002");
    await support.press(L("ru", "staff.buttons.reject"), { message: second }).answer();
    await tap(support, L("ru", "staff.reject_buttons.other_settlement"));
    await until(support, "A-2026-900002 отклонена");
    const refused = await until(kk, "A-2026-900002");
    expect(refused.text).toContain(L("kk", "staff.reject_reasons.other_settlement"));
    expect(refused.text).toContain(`ЖСН ${maskIin(kkIin)}`);
    expect(refused.text).toContain("1414");
    expect(await row(stack, "A-2026-900002")).toMatchObject({ status: "rejected", reject_reason: "other_settlement" });
  });

  it("a refusal for another reason takes the reviewer's words, and survives a restart between the press and the text", async () => {
    const u = stack.tg.user({ id: 9204, first_name: "Дина", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await seedRequest(stack, { number: "A-2026-900004", userId: 9204, iin: makeIin("880808", 4, 404), locale: "ru" });
    const card = await openCard(support, "A-2026-900004");
    await support.press(L("ru", "staff.buttons.reject"), { message: card }).answer();
    await tap(support, L("ru", "staff.reject_buttons.other"));
    await until(support, "Напишите одним сообщением");
    await stack.restart();
    support.sendSticker();
    await until(support, L("ru", "staff.reject.note_hint").slice(0, 20));
    support.send("Адрес в заявке не совпадает с документами");
    await until(support, "A-2026-900004 отклонена");
    const told = await until(u, "A-2026-900004");
    expect(told.text).toContain("Адрес в заявке не совпадает с документами");
    expect(await row(stack, "A-2026-900004")).toMatchObject({
      reject_reason: "other",
      reject_note: "Адрес в заявке не совпадает с документами",
    });
  });

  it("two staff deciding the same request at once: exactly one wins, the other is told who decided, by name", async () => {
    await seedRequest(stack, { number: "A-2026-900005", userId: 9205, iin: makeIin("950303", 3, 505), locale: "ru" });
    const a = await openCard(support, "A-2026-900005");
    const b = await openCard(colleague, "A-2026-900005");
    const pa = support.press(L("ru", "staff.buttons.approve"), { message: a });
    const pb = colleague.press(L("ru", "staff.buttons.approve"), { message: b });
    await Promise.all([pa.answer(), pb.answer()]);
    const outcomes = await Promise.all(
      [support, colleague].map((s) => untilAny(s, ["A-2026-900005 одобрена", "уже рассмотрена"])),
    );
    // sort() is in place: sort a copy, so outcomes[0] stays the support's own outcome.
    expect([...outcomes].sort()).toEqual(["A-2026-900005 одобрена", "уже рассмотрена"]);
    const loser = outcomes[0] === "уже рассмотрена" ? support : colleague;
    const winner = loser === support ? 9102 : 9101;
    // The name the colleague was last seen with, not a bare Telegram id.
    expect(loser.messages().at(-1)?.text).toContain(`Решение принял(а) ${winner === 9101 ? "Сауле" : "Марат"},`);
    expect(loser.messages().at(-1)?.text).not.toContain(String(winner));
    expect((await row(stack, "A-2026-900005")).decided_by).toBe(winner);
  });

  it("forged or stale staff buttons get a short answer and change nothing", async () => {
    expect((await support.pressForged("sc:approve:abc").answer()).text).toBe(L("ru", "common.stale_button"));
    expect((await support.pressForged("sr:bribe:1").answer()).text).toBe(L("ru", "common.stale_button"));
    expect((await support.pressForged("sc:approve:999999").answer()).text).toBe(L("ru", "staff.not_in_scope"));
    const stranger = stack.tg.user({ id: 9299, first_name: "Гость", language_code: "ru" });
    await chooseLanguage(stranger, "ru");
    // To someone who is not staff a forged staff button is any stale button: nothing says staff actions exist.
    for (const data of [
      "sc:approve:1",
      "sq:0",
      "sr:other:1",
      "sd:id_document:1",
      "sa:admin:9299",
      "sn:cancel",
      "pol:v:2026",
      "bcx:resume:1",
      "bcr:opening",
    ])
      expect((await stranger.pressForged(data).answer()).text, data).toBe(L("ru", "common.stale_button"));
    support.sendSticker();
    await until(support, L("ru", "common.unknown"));
  });

  it("a removed staff member's old button does nothing but say so", async () => {
    await seedRequest(stack, { number: "A-2026-900006", userId: 9206, iin: makeIin("910909", 3, 606), locale: "ru" });
    const card = await openCard(colleague, "A-2026-900006");
    admin.command("/staff", "remove 9102");
    await until(admin, "удалён");
    const answer = await colleague.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    expect(answer.text).toBe(L("ru", "staff.no_access"));
    expect((await row(stack, "A-2026-900006")).status).toBe("pending");
    expect(stack.tg.commands({ type: "chat", chat_id: 9102 })?.map((c) => c.command)).not.toContain("queue");
    colleague.command("/queue");
    await until(colleague, L("ru", "common.unknown"));
  });

  it("a member removed before choosing a language is left no menu of the chat's own: their app's language shows", async () => {
    const late = stack.tg.user({ id: 9104, first_name: "Ерлан", language_code: "kk" });
    late.command("/start");
    await late.nextMessage();
    admin.command("/staff", "add 9104 support");
    await until(admin, "9104");
    const seen = () => stack.tg.menuSeenBy(9104, "kk");
    await expect.poll(() => seen().map((c) => c.command)).toContain("queue");
    admin.command("/staff", "remove 9104");
    await until(admin, "удалён");
    await expect.poll(() => stack.tg.commands({ type: "chat", chat_id: 9104 })).toBeUndefined();
    expect(seen().find((c) => c.command === "status")?.description).toBe(L("kk", "help.commands.status"));
    expect(seen().map((c) => c.command)).not.toContain("queue");
  });

  it("needs documents: the applicant is asked, their photo returns the request to the queue", async () => {
    const u = stack.tg.user({ id: 9207, first_name: "Алма", language_code: "kk" });
    await chooseLanguage(u, "kk");
    await seedRequest(stack, { number: "A-2026-900007", userId: 9207, iin: makeIin("120202", 6, 707), locale: "kk" });
    const card = await openCard(support, "A-2026-900007");
    await support.press(L("ru", "staff.buttons.ask_document"), { message: card }).answer();
    await tap(support, L("ru", "rules.documents.birth_certificate"));
    await until(support, "запрошен документ");
    const asked = await until(u, "A-2026-900007");
    expect(asked.text).toContain(L("kk", "rules.documents.birth_certificate"));
    expect((await row(stack, "A-2026-900007")).status).toBe("needs_documents");
    // A sticker meanwhile is answered with what is awaited, not "I did not understand".
    u.sendSticker();
    const reminder = await until(u, "құжат күтілуде");
    expect(reminder.text).toContain(L("kk", "rules.documents.birth_certificate"));
    // A request seeded without the person's consent (as one from before the notice): the document is asked about
    // first, and taken once they agree.
    u.sendPhoto();
    await until(u, L("kk", "privacy.consent.before_upload"));
    await tap(u, L("kk", "privacy.consent.agree"));
    await until(u, L("kk", "privacy.consent.upload_again"));
    expect((await row(stack, "A-2026-900007")).status).toBe("needs_documents");
    u.sendPhoto();
    await until(u, "Рақмет");
    expect((await row(stack, "A-2026-900007")).status).toBe("pending");
    // The reviewer who asked hears of it, with the card one tap away.
    const told = await until(support, "A-2026-900007");
    expect(told.text).toContain("пришёл запрошенный документ");
    expect(buttons(told)).toEqual([L("ru", "staff.upload.open_card")]);
    const again = await openCard(support, "A-2026-900007");
    expect(buttons(again)).toContain(L("ru", "staff.buttons.files").replace("{{count}}", "1"));
    await support.press(L("ru", "staff.buttons.files").replace("{{count}}", "1"), { message: again }).answer();
    await support.waitFor((m) => m.photo !== undefined);
  });

  it("export arrives as a CSV document with a BOM and the right rows, and is audited", async () => {
    // Full IINs: the admin asks for them explicitly, after the dates as the usage shows them.
    admin.command("/export", "01.09.2026 30.09.2026 full");
    const doc = await admin.waitFor((m) => m.document !== undefined);
    expect(doc.document?.file_name).toBe("requests-2026-09-01-2026-09-30.csv");
    const file = stack.tg.file(doc.document?.file_id ?? "");
    const bytes = file?.bytes ?? Buffer.alloc(0);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toContain("ИИН");
    expect(lines).toHaveLength(1 + 7);
    const approved = lines.find((l) => l.startsWith(`${realNumber};`));
    expect(approved).toContain(`;${L("ru", "staff.export.statuses.approved")};`);
    expect(approved).toContain(`"=""${ruIin}"""`);
    // Region and settlement by name, not by code.
    expect(approved).toContain(";Алматы;Алматы;");
    expect(approved).not.toContain(";almaty;");
    expect(lines.find((l) => l.startsWith("A-2026-900004;"))).toContain("Адрес в заявке не совпадает с документами");
    admin.command("/audit");
    const trail = await until(admin, "Журнал действий");
    expect(trail.text).toContain("export_full");
    expect(trail.text).toContain(realNumber);
    expect(trail.text).not.toContain(ruIin);
    admin.command("/export", "2026-13-01");
    await until(admin, "Выгрузка:");
  });

  it("find by IIN, stats and settings work for staff; the IIN is never written to the audit log", async () => {
    support.command("/find", ruIin);
    const found = await until(support, "Найдено заявок: 1");
    const line = buttons(found).find((b) => b.includes(realNumber)) ?? "";
    // Approved by now: its status, and no due day any more.
    expect(line).toContain(L("ru", "requests.status.approved"));
    expect(line).not.toMatch(/\d{2}\.\d{2}\.\d{4}$/);
    support.command("/stats");
    const stats = await until(support, "Кампания");
    expect(stats.text).toContain("Заявок: 7");
    // Today is one day, not "15.09.2026 – 15.09.2026".
    expect(stats.text).toMatch(/Сегодня: \d{2}\.\d{2}\.\d{4}\n/);
    expect(stats.text).toMatch(/Просрочено сейчас: 1/);
    // A policy change is shown as before/after and applied on Apply.
    admin.command("/settings", "campaign off");
    await until(admin, "круглый год");
    await admin.press(L("ru", "policy.admin.buttons.apply")).answer();
    await until(admin, "Правила на 2026 год изменены");
    admin.command("/settings", "contacts +7 727 000 00 00");
    await until(admin, "+7 727 000 00 00");
    const log = await query<{ details: string | null }>(stack, "select details from audit_log");
    const [policy] = await query<{ value: string }>(stack, "select value from settings where key = 'policy:2026'");
    expect(log.map((e) => e.details ?? "").join(" ")).not.toContain(ruIin);
    expect(JSON.parse(policy?.value ?? "null")).toMatchObject({ year: 2026, campaign: null });
  });
});
