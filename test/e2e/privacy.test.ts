import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyFilePath } from "../../data/data-key.js";
import type { ScriptedUser, StoredMessage } from "../../scripts/emulator/index.js";
import { ROOT } from "../../scripts/stack/bot-process.js";
import { buttons, chooseLanguage, head, L, tap, until, untilMatch } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { testsOnPostgres } from "../../scripts/stack/postgres.js";
import { makeIin } from "../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../dates.js";
import { scanDatabaseAt } from "../fixtures/scan.js";
import { query, vaultOf } from "./staff-seed.js";
import { walkTo } from "./walk.js";

// Consent before personal data, the person's rights (/privacy) and the IINs at rest, through the real bot (Law № 94-V).
type Lang = "ru" | "kk";
const ADMIN = 9601;
const mode = (path: string) => statSync(path).mode & 0o777;
/** A locale string's text before its first variable, without tags: what a bot message contains. */
const lead = (lang: Lang, key: string) =>
  (
    L(lang, key)
      .replace(/<[^>]+>/g, "")
      .split("{{")[0] ?? ""
  ).trim();

/** The next bot message (after `before`) the predicate accepts. */
const after = (u: ScriptedUser, before: number, accepts: (m: StoredMessage) => boolean) =>
  u.waitFor((m) => u.messages().indexOf(m) >= before && accepts(m));

describe("personal data: consent first, the person's rights, IINs never in clear", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN, adminIds: [ADMIN] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // PostgreSQL has no key file: its stack passes DATA_KEY.
  it.skipIf(testsOnPostgres())(
    "the first start without DATA_KEY says in one line where it wrote the key, owner-only; the next start says nothing",
    async () => {
      const keyFile = keyFilePath(stack.dbPath);
      const lines = stack.bot
        .output()
        .split("\n")
        .filter((l) => l.startsWith("emhana: no DATA_KEY"));
      expect(lines).toEqual([
        `emhana: no DATA_KEY set: a new data key was written to ${keyFile} (owner-only); keep a copy in a secret store, without it stored IINs cannot be read`,
      ]);
      expect(mode(keyFile)).toBe(0o600);
      await stack.restart();
      expect(stack.bot.output()).not.toContain("no DATA_KEY");
    },
  );

  for (const lang of ["ru", "kk"] as const) {
    it(`(${lang}) the notice comes before the IIN question; Decline keeps FAQ and clinics working and /apply asks again; Agree goes on`, async () => {
      const id = lang === "ru" ? 9611 : 9612;
      const u = stack.tg.user({ id, first_name: lang === "ru" ? "Данияр" : "Әлия", language_code: lang });
      await chooseLanguage(u, lang);
      const before = u.messages().length;
      u.command("/apply");
      const notice = await until(u, lead(lang, "privacy.consent.before"));
      // Who runs it (not set yet: said so), the purpose, what, where and how long (the policy's numbers), a child's
      // representative, the rights and how to withdraw.
      const text = notice.text ?? "";
      expect(text).toContain(lead(lang, "start.operator_unknown"));
      expect(text).toContain(L(lang, "privacy.period.days_many").replace("{{count}}", "30"));
      expect(text).toContain(L(lang, "privacy.period.days_many").replace("{{count}}", "90"));
      expect(text).toContain(L(lang, "privacy.period.years_few").replace("{{count}}", "3"));
      expect(text).toContain("/privacy");
      expect(text).toContain("Telegram");
      expect(buttons(notice)).toEqual([L(lang, "privacy.consent.agree"), L(lang, "privacy.consent.decline")]);
      // Nothing of the application was asked before it.
      const asked = u.messages().slice(before);
      expect(asked.some((m) => (m.text ?? "").includes(lead(lang, "apply.who.q")))).toBe(false);
      expect(asked.some((m) => (m.text ?? "").includes(lead(lang, "apply.iin.q_self")))).toBe(false);

      await tap(u, L(lang, "privacy.consent.decline"));
      await until(u, lead(lang, "privacy.consent.declined"));
      expect(await query(stack, "select * from consents where user_id = ?", id)).toEqual([]);
      expect(await query(stack, "select action from audit_log where actor_id = ?", id)).toEqual([
        { action: "consent_declined" },
      ]);
      u.command("/faq");
      await until(u, head(lang, "faq.title"));
      u.command("/clinics");
      await until(u, head(lang, "clinics.ask_location"));
      u.command("/contacts");
      await untilMatch(u, (m) => (m.text ?? "").length > 0 && !(m.text ?? "").includes(lead(lang, "common.error")));

      u.command("/apply");
      const again = await until(u, lead(lang, "privacy.consent.before"));
      await u.press(L(lang, "privacy.consent.agree"), { message: again }).answer();
      // The thanks opens the application's first message: what is possible today, then the first question.
      expect((await until(u, lead(lang, "privacy.consent.given"))).text).toContain(lead(lang, "apply.who.q"));
      // Stored with the update's other writes, which commit once its replies are out.
      const version = async () =>
        (await query<{ version: string }>(stack, "select version from consents where user_id = ?", id))[0]?.version;
      await expect.poll(version).toMatch(/^[0-9a-f]{12}$/);
      // Agreed: the questions follow, the IIN's among them, and the notice is not asked again on the way.
      await walkTo(u, "iin", { lang, from: "who" });
      expect(u.messages().filter((m) => (m.text ?? "").includes(lead(lang, "privacy.consent.before")))).toHaveLength(2);
    });
  }

  it("/privacy is in the command menu and /help, in both languages", async () => {
    for (const lang of ["ru", "kk"] as const) {
      const menu = stack.tg.commands({ type: "all_private_chats" }, lang) ?? [];
      expect(menu.find((c) => c.command === "privacy")?.description).toBe(L(lang, "help.commands.privacy"));
      const u = stack.tg.user({ id: lang === "ru" ? 9621 : 9622, first_name: "Help", language_code: lang });
      await chooseLanguage(u, lang);
      u.command("/help");
      const help = await until(u, "/privacy");
      expect(help.text).toContain(`/privacy — ${L(lang, "help.commands.privacy")}`);
    }
  });

  it("send me my data: a JSON file with that person's requests, draft, documents, consent and language, nothing of anyone else's (ru, kk)", async () => {
    const a = stack.tg.user({ id: 9631, first_name: "Айгерим", language_code: "ru" });
    const b = stack.tg.user({ id: 9632, first_name: "Ерлан", language_code: "kk" });
    await Promise.all([chooseLanguage(a, "ru"), chooseLanguage(b, "kk")]);
    const iinA = makeIin("880808", 4, 631);
    const iinB = makeIin("870707", 3, 632);
    const numberA = /A-2026-\d{6}/.exec((await walkTo(a, "filed", { iin: iinA })).text ?? "")?.[0] ?? "";
    const numberB = /A-2026-\d{6}/.exec((await walkTo(b, "filed", { lang: "kk", iin: iinB })).text ?? "")?.[0] ?? "";
    for (const [u, lang, mine, theirs] of [
      [a, "ru", { iin: iinA, number: numberA, id: 9631 }, { iin: iinB, number: numberB, id: 9632 }],
      [b, "kk", { iin: iinB, number: numberB, id: 9632 }, { iin: iinA, number: numberA, id: 9631 }],
    ] as const) {
      u.command("/privacy");
      const overview = await until(u, lead(lang, "privacy.menu.intro"));
      expect(overview.text).toContain(mine.number);
      expect(overview.text).not.toContain(theirs.number);
      const before = u.messages().length;
      await u.press(L(lang, "privacy.buttons.copy"), { message: overview }).answer();
      const doc = await after(u, before, (m) => m.document !== undefined);
      expect(doc.document?.file_name).toMatch(/^emhana-my-data-2026-09-15\.json$/);
      const json = stack.tg.file(doc.document?.file_id ?? "")?.bytes.toString("utf8") ?? "";
      const copy = JSON.parse(json) as { telegram_user_id: number; requests: { number: string; iin: string }[] };
      expect(copy.telegram_user_id).toBe(mine.id);
      expect(copy.requests).toEqual([expect.objectContaining({ number: mine.number, iin: mine.iin })]);
      expect(json).toMatch(/"consent": \{\s+"version"/);
      for (const other of [theirs.iin, theirs.number, String(theirs.id)]) expect(json).not.toContain(other);
    }
    expect(await query(stack, "select actor_id from audit_log where action = 'privacy_copy' order by id")).toEqual([
      { actor_id: 9631 },
      { actor_id: 9632 },
    ]);
  });

  // The SQLite file, its WAL and `npm run backup` of it; PostgreSQL keeps neither file nor key beside the data.
  it.skipIf(testsOnPostgres())(
    "the database file, its WAL and a backup hold no applicant's IIN in clear, are owner-only, and the backup holds no key",
    async () => {
      const u = stack.tg.user({ id: 9641, first_name: "Марат", language_code: "ru" });
      await chooseLanguage(u, "ru");
      const iin = makeIin("791212", 3, 641);
      await walkTo(u, "filed", { iin });
      const backup = join(stack.dir, "backup.sqlite");
      const code = await new Promise<number | null>((resolve) => {
        const proc = spawn(process.execPath, ["--import", "tsx", "scripts/backup.ts", backup], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? "", DOTENV_CONFIG_PATH: "/dev/null", DATABASE_URL: `file:${stack.dbPath}` },
          stdio: "ignore",
        });
        proc.once("exit", resolve);
      });
      expect(code).toBe(0);
      const files = [stack.dbPath, `${stack.dbPath}-wal`, backup];
      expect(files.every(existsSync)).toBe(true);
      const key = readFileSync(keyFilePath(stack.dbPath), "utf8").trim();
      const everyIin = (await query<{ v: string }>(stack, "select iin_sealed v from requests")).map((r) =>
        vaultOf(stack).open(r.v, "iin"),
      );
      expect(everyIin).toContain(iin);
      for (const file of files) {
        expect(mode(file), file).toBe(0o600);
        const bytes = readFileSync(file).toString("latin1");
        for (const each of everyIin) expect(bytes.includes(each), `${file} holds an IIN in clear`).toBe(false);
        expect(bytes.includes(key)).toBe(false);
        expect(bytes.includes(Buffer.from(key, "base64").toString("latin1"))).toBe(false);
      }
    },
  );

  it("withdraw consent and delete: nothing of the person left outside what retention keeps; staff see it on the card; /apply asks again", async () => {
    const u = stack.tg.user({ id: 9651, first_name: "Гульнара", last_name: "Сейткали", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const child = makeIin("190303", 5, 651);
    const filed = await walkTo(u, "filed", { forChild: true, iin: child, documents: 1 });
    const number = /A-2026-\d{6}/.exec(filed.text ?? "")?.[0] ?? "";
    const fileIds = (
      await query<{ file_id: string; file_unique_id: string }>(
        stack,
        "select d.file_id, d.file_unique_id from request_documents d join requests r on r.id = d.request_id where r.number = ?",
        number,
      )
    ).flatMap((d) => [d.file_id, d.file_unique_id]);
    expect(fileIds.length).toBeGreaterThan(0);
    // Half an application for another child, so a draft and a conversation are stored too.
    await walkTo(u, "region", { forChild: true, iin: makeIin("200404", 6, 652) });
    const needles = [child, makeIin("200404", 6, 652), "Гульнара", "Сейткали", ...fileIds];
    expect((await scanDatabaseAt(stack.databaseUrl, needles, vaultOf(stack))).length).toBeGreaterThan(0);

    u.command("/privacy");
    const overview = await until(u, lead("ru", "privacy.menu.intro"));
    await u.press(L("ru", "privacy.buttons.erase"), { message: overview }).answer();
    const confirm = await until(u, lead("ru", "privacy.erase.confirm"));
    expect(confirm.text).toContain(L("ru", "privacy.period.years_few").replace("{{count}}", "3"));
    await u.press(L("ru", "privacy.erase.yes"), { message: confirm }).answer();
    const done = await until(u, lead("ru", "privacy.erase.done"));
    expect(done.text).toContain(number);

    // Every table, sealed values opened: none of their IINs, names or file ids.
    expect(await scanDatabaseAt(stack.databaseUrl, needles, vaultOf(stack))).toEqual([]);
    expect(await query(stack, "select status, erased_by, iin_index from requests where number = ?", number)).toEqual([
      { status: "withdrawn", erased_by: "applicant", iin_index: null },
    ]);
    expect(await query(stack, "select subscribed from users where id = 9651")).toEqual([{ subscribed: 0 }]);

    // Staff: the card says the data were deleted at the applicant's request, and offers no IIN to show.
    const admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    await chooseLanguage(admin, "ru");
    admin.command("/find", number);
    const found = await until(admin, number);
    await admin.press(buttons(found).find((b) => b.includes(number)) ?? "", { message: found }).answer();
    const card = await until(admin, lead("ru", "privacy.staff.erased_applicant"));
    expect(buttons(card)).not.toContain(L("ru", "staff.buttons.show_iin"));

    u.command("/apply");
    await until(u, lead("ru", "privacy.consent.before"));
  });

  it("/audit privacy lists every access to full personal data: a full IIN shown, documents opened, a copy of one's data", async () => {
    const admin = stack.tg.user({ id: ADMIN, first_name: "Админ", language_code: "ru" });
    const u = stack.tg.user({ id: 9661, first_name: "Бекзат", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const number = /A-2026-\d{6}/.exec((await walkTo(u, "filed", { iin: makeIin("760606", 3, 661) })).text ?? "")?.[0];
    admin.command("/find", number ?? "");
    const found = await until(admin, number ?? "");
    await admin.press(buttons(found).find((b) => b.includes(number ?? "")) ?? "", { message: found }).answer();
    const card = await until(admin, `${number} —`);
    await admin.press(L("ru", "staff.buttons.show_iin"), { message: card }).answer();
    await admin.waitFor(
      (m) => m.message_id === card.message_id && !buttons(m).includes(L("ru", "staff.buttons.show_iin")),
    );
    admin.command("/audit", "privacy");
    const trail = await until(admin, lead("ru", "privacy.audit.title"));
    expect(trail.text).toContain(`${L("ru", "privacy.audit.actions.show_iin")} · ${number}`);
    expect(trail.text).toContain(L("ru", "privacy.audit.actions.privacy_copy"));
    admin.command("/audit", "privacy 2026-01-01 2026-01-31");
    await until(admin, lead("ru", "privacy.audit.empty"));
    admin.command("/audit", "privacy 2026-13-01");
    await until(admin, lead("ru", "privacy.audit.usage"));
  });
});
