import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { buttons, chooseLanguage, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { applyInAlmaty, query, seedRequest, storedIin, write } from "./staff-seed.js";
import { IN_CAMPAIGN } from "../dates.js";

const ADMIN = 9001;
const OWN = 9401; // support of the request's clinic at first, then moved to another one
const OTHER_CLINIC = 9402; // support of another clinic in the same city
const OTHER_CITY = 9403; // support of another settlement

const statusOf = async (stack: Stack, id: number) =>
  (await query<{ status: string }>(stack, "select status from requests where id = ?", id))[0]?.status;
const auditBy = async (stack: Stack, actor: number, requestId: number) =>
  (
    await query<{ action: string }>(
      stack,
      "select action from audit_log where actor_id = ? and request_id = ? order by id",
      actor,
      requestId,
    )
  ).map((r) => r.action);

async function openFromQueue(u: ScriptedUser, number: string): Promise<StoredMessage> {
  const before = u.messages().length;
  const isNew = (m: StoredMessage) => u.messages().indexOf(m) >= before;
  u.command("/queue");
  const list = await u.waitFor((m) => isNew(m) && buttons(m).some((b) => b.includes(number)));
  await u.press(buttons(list).find((b) => b.includes(number)) ?? "", { message: list }).answer();
  return u.waitFor(
    (m) => isNew(m) && (m.text ?? "").startsWith(number) && buttons(m).includes(L("ru", "staff.buttons.approve")),
  );
}

describe("staff scope at action time, show IIN and the audit trail, end to end", () => {
  let stack: Stack;
  let admin: ScriptedUser;
  let own: ScriptedUser;
  let otherClinic: ScriptedUser;
  let otherCity: ScriptedUser;
  const iin = makeIin("920315", 3, 411);
  let number = "";
  let id = 0;

  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
    admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    own = stack.tg.user({ id: OWN, first_name: "Жанна", language_code: "ru" });
    otherClinic = stack.tg.user({ id: OTHER_CLINIC, first_name: "Бауыржан", language_code: "ru" });
    otherCity = stack.tg.user({ id: OTHER_CITY, first_name: "Гульнар", language_code: "ru" });
    await Promise.all([admin, own, otherClinic, otherCity].map((u) => chooseLanguage(u, "ru")));
    for (const [who, scope] of [
      [OWN, "clinic:almaty-gp-1"],
      [OTHER_CLINIC, "clinic:almaty-gp-4"],
      [OTHER_CITY, "settlement:astana"],
    ] as const) {
      admin.command("/staff", `add ${who} support ${scope}`);
      await until(admin, `Готово: ${who}`);
    }
    // A real request, through the application flow, for almaty-gp-1.
    const citizen = stack.tg.user({ id: 9501, first_name: "Айдана", language_code: "ru" });
    await chooseLanguage(citizen, "ru");
    number = await applyInAlmaty(citizen, iin);
    const [stored] = await query<{ id: number }>(stack, "select id from requests where number = ?", number);
    id = stored?.id ?? 0;
    expect(id).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("support of another clinic or settlement: not in their queue, and a forged button with the real id is told 'out of scope'", async () => {
    for (const u of [otherClinic, otherCity]) {
      u.command("/queue");
      await until(u, L("ru", "staff.queue.empty"));
      for (const data of [
        `sc:approve:${id}`,
        `sc:iin:${id}`,
        `sc:reject:${id}`,
        `sr:clinic_full:${id}`,
        `sd:birth_certificate:${id}`,
        `sc:files:${id}`,
      ]) {
        expect((await u.pressForged(data).answer()).text, data).toBe(L("ru", "staff.not_in_scope"));
      }
      u.command("/find", number);
      await until(u, L("ru", "staff.find.none"));
    }
    expect(await statusOf(stack, id)).toBe("pending");
    expect(await auditBy(stack, OTHER_CLINIC, id)).toEqual([]);
    expect(await auditBy(stack, OTHER_CITY, id)).toEqual([]);
  });

  it("show IIN (audited) for the member in scope; moved to another clinic, their open card's approve is out of scope and changes nothing", async () => {
    const card = await openFromQueue(own, number);
    expect(card.text).not.toContain(iin);
    await own.press(L("ru", "staff.buttons.show_iin"), { message: card }).answer();
    const shown = await own.waitFor((m) => m.message_id === card.message_id && (m.text ?? "").includes(iin));
    expect(buttons(shown)).not.toContain(L("ru", "staff.buttons.show_iin"));
    expect(await auditBy(stack, OWN, id)).toEqual(["view", "show_iin"]);
    const details = await query<{ details: string | null }>(
      stack,
      "select details from audit_log where request_id = ?",
      id,
    );
    expect(details.every((d) => !(d.details ?? "").includes(iin))).toBe(true);

    admin.command("/staff", `add ${OWN} support clinic:almaty-gp-4`);
    await until(admin, `Готово: ${OWN}`);
    const answer = await own.press(L("ru", "staff.buttons.approve"), { message: shown }).answer();
    expect(answer.text).toBe(L("ru", "staff.not_in_scope"));
    expect((await own.pressForged(`sr:unreliable_data:${id}`).answer()).text).toBe(L("ru", "staff.not_in_scope"));
    expect(await statusOf(stack, id)).toBe("pending");
    expect(await auditBy(stack, OWN, id)).toEqual(["view", "show_iin"]);
    expect(
      await query(stack, "select iin_index from attachments where iin_index = ?", storedIin(stack, iin)[1]),
    ).toEqual([]);
  });

  it("/audit <number> lists that request's trail only, without the IIN; an unknown number gets the usage", async () => {
    const other = await seedRequest(stack, {
      number: "A-2026-900101",
      userId: 9502,
      iin: makeIin("880101", 3, 412),
      locale: "ru",
    });
    admin.command("/find", "A-2026-900101"); // audited under the other request
    await until(admin, "Найдено заявок: 1");
    expect(other).toBeGreaterThan(id);
    admin.command("/audit", number);
    const trail = await until(admin, "Журнал действий");
    expect(trail.text).toContain("записей: 2");
    expect(trail.text).toMatch(new RegExp(`${OWN} · show_iin · ${number}`));
    expect(trail.text).toMatch(new RegExp(`${OWN} · view · ${number}`));
    expect(trail.text).not.toContain("A-2026-900101");
    expect(trail.text).not.toContain(iin);
    admin.command("/audit", "A-2026-999999");
    await until(admin, "Журнал: /audit");
  });

  it("export: the settlement column is in the exporting member's language", async () => {
    await seedRequest(stack, {
      number: "A-2026-900103",
      userId: 9504,
      iin: makeIin("830303", 4, 414),
      locale: "kk",
      clinic: "sample-oskemen-01",
      settlement: "oskemen",
    });
    const kk = stack.tg.user({ id: 9404, first_name: "Әсел", language_code: "kk" });
    await chooseLanguage(kk, "kk");
    admin.command("/staff", "add 9404 support settlement:oskemen");
    await until(admin, "Готово: 9404");
    const rowOf = async (u: ScriptedUser) => {
      const before = u.messages().length;
      u.command("/export", "2026-09-15 2026-09-15");
      const doc = await u.waitFor((m) => m.document !== undefined && u.messages().indexOf(m) >= before);
      const lines = (stack.tg.file(doc.document?.file_id ?? "")?.bytes ?? Buffer.alloc(0))
        .subarray(3)
        .toString("utf8")
        .trimEnd()
        .split("\r\n");
      return { header: lines[0] ?? "", row: lines.find((l) => l.startsWith("A-2026-900103;")) ?? "" };
    };
    const inKazakh = await rowOf(kk);
    expect(inKazakh.header).toContain(L("kk", "staff.export.columns.settlement"));
    expect(inKazakh.row).toContain(";Өскемен;");
    expect(inKazakh.row).toContain("№41 қалалық емхана");
    const inRussian = await rowOf(admin);
    expect(inRussian.row).toContain(";Усть-Каменогорск;");
    expect(inRussian.row).toContain("Городская поликлиника №41");
  });

  it("R6: a clinic full by approval time: approve is refused with a 'reject: clinic full' offer, which then works", async () => {
    const applicant = stack.tg.user({ id: 9503, first_name: "Нурлан", language_code: "kk" });
    await chooseLanguage(applicant, "kk");
    const full = await seedRequest(stack, {
      number: "A-2026-900102",
      userId: 9503,
      iin: makeIin("790202", 3, 413),
      locale: "kk",
      clinic: "almaty-gp-7",
    });
    await write(stack, "update clinics set attached = capacity where id = 'almaty-gp-7'");
    const [{ attached: before } = { attached: -1 }] = await query<{ attached: number }>(
      stack,
      "select attached from clinics where id = 'almaty-gp-7'",
    );
    const card = await openFromQueue(admin, "A-2026-900102");
    await admin.press(L("ru", "staff.buttons.approve"), { message: card }).answer();
    const refused = await until(admin, "Одобрить заявку A-2026-900102 нельзя");
    expect(buttons(refused)).toEqual([L("ru", "staff.buttons.reject_full")]);
    expect(await statusOf(stack, full)).toBe("pending");
    await tap(admin, L("ru", "staff.buttons.reject_full"));
    await until(admin, "A-2026-900102 отклонена");
    const told = await until(applicant, "A-2026-900102");
    expect(told.text).toContain(L("kk", "staff.reject_reasons.clinic_full"));
    expect(await query(stack, "select status, reject_reason from requests where id = ?", full)).toEqual([
      { status: "rejected", reject_reason: "clinic_full" },
    ]);
    expect(
      (await query<{ attached: number }>(stack, "select attached from clinics where id = 'almaty-gp-7'"))[0]?.attached,
    ).toBe(before);
  });
});
