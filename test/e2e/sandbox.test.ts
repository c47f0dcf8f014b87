import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readShippedDirectory } from "../../data/datasets/load-directory.js";
import { PERSONAS, startSandbox, type Sandbox } from "../../scripts/sandbox/index.js";
import { locationPresets } from "../../scripts/sandbox/locations.js";
import { commandMenu } from "../../scripts/sandbox/views.js";
import { startEmulator } from "../../scripts/emulator/index.js";
import { L } from "../../scripts/stack/flow.js";
import { makeIin } from "../../scripts/stack/people.js";
import { IN_CAMPAIGN } from "../dates.js";
import { AUTUMN_CAMPAIGN, overridePolicy } from "./policy.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
// Debian's Chromium, headless; no browser is ever downloaded and nothing talks to the network.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CLOCK = new Date(IN_CAMPAIGN);
const SHOTS = resolve(import.meta.dirname, "../../test-results");

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

describe("sandbox pieces without a browser", () => {
  it("every location preset is in its city: the nearest clinic of the directory is that city's, a few km away", () => {
    const presets = locationPresets();
    expect(presets.slice(0, 7).map((p) => p.city)).toEqual([
      "astana",
      "astana",
      "astana",
      "almaty",
      "almaty",
      "almaty",
      "shymkent",
    ]);
    expect(new Set(presets.map((p) => p.city)).size).toBeGreaterThanOrEqual(15);
    const { clinics } = readShippedDirectory();
    for (const p of presets) {
      const here = { lat: p.latitude, lon: p.longitude };
      const nearest = [...clinics.clinics].sort((a, b) => distanceKm(here, a) - distanceKm(here, b))[0];
      expect({ preset: `${p.city}/${p.name.ru}`, city: nearest?.settlement }).toEqual({
        preset: `${p.city}/${p.name.ru}`,
        city: p.city,
      });
      expect(distanceKm(here, nearest ?? here)).toBeLessThan(12);
    }
  });

  it("the command menu is resolved like Telegram: chat scope, then all private chats, then default; language first", async () => {
    const tg = await startEmulator();
    try {
      const set = (scope: object, names: string[], language_code?: string) =>
        tg.call("setMyCommands", {
          scope,
          commands: names.map((command) => ({ command, description: command })),
          ...(language_code ? { language_code } : {}),
        });
      await set({ type: "default" }, ["d"]);
      expect(commandMenu(tg, 5, "kk").map((c) => c.command)).toEqual(["d"]);
      await set({ type: "all_private_chats" }, ["p"]);
      await set({ type: "all_private_chats" }, ["pkk"], "kk");
      expect(commandMenu(tg, 5, "kk").map((c) => c.command)).toEqual(["pkk"]);
      expect(commandMenu(tg, 5, "ru").map((c) => c.command)).toEqual(["p"]);
      await set({ type: "chat", chat_id: 5 }, ["c"]);
      expect(commandMenu(tg, 5, "kk").map((c) => c.command)).toEqual(["c"]);
      expect(commandMenu(tg, 6, "kk").map((c) => c.command)).toEqual(["pkk"]);
    } finally {
      await tg.close();
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)(
  HAS_CHROMIUM
    ? "the sandbox in Chromium"
    : `the sandbox in Chromium — SKIPPED: no ${CHROMIUM} (apt-get install -y chromium)`,
  // A browser and a bot on a busy two-core machine: room beyond the usual 30 s.
  { timeout: 60_000 },
  () => {
    let dir: string;
    let sandbox: Sandbox;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const botLog = new PassThrough();
    let log = "";
    botLog.on("data", (d: Buffer) => (log += d.toString()));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "emhana-sandbox-"));
      [sandbox, browser] = await Promise.all([
        startSandbox({ port: 0, databasePath: join(dir, "sandbox.sqlite"), clockStart: CLOCK, botLog }),
        chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
      ]);
      // R12: the proof of temporary residence is a policy option (off in the shipped 2026 policy); the citizen below
      // uploads one, so it is on here, inside the campaign the clock is set in.
      await overridePolicy(`file:${join(dir, "sandbox.sqlite")}`, 2026, {
        campaign: AUTUMN_CAMPAIGN,
        requireProofForTemporaryResidence: true,
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (e) => pageErrors.push(e.message));
    });
    afterAll(async () => {
      await browser?.close();
      await sandbox?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const chat = () => page.locator("#messages");
    /** Waits for a bot message containing the fragment (edits count too). */
    const botSays = (fragment: string | RegExp) => chat().locator(".row.in", { hasText: fragment }).last().waitFor();
    /** Presses the newest live inline button with exactly this label. */
    const press = (label: string) => chat().locator(".inline-button").getByText(label, { exact: true }).last().click();
    const type = async (text: string) => {
      await page.locator("#text").fill(text);
      await page.locator("#text").press("Enter");
    };

    it("a Kazakh-speaking citizen applies by clicking through the chat, uploads a document and gets a request number", async () => {
      await page.goto(sandbox.url);
      await page.locator('[data-persona="citizen-kk"]').click();
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("kk");
      await page.locator("#start-button").click();
      await press("Қазақша");
      await botSays("Сәлеметсіз бе, Ерлан");
      // The command menu follows the chosen language (a chat-scoped list the bot registers).
      await page.locator("#menu-button").click();
      await page.locator(".command-item", { hasText: L("kk", "help.commands.status") }).waitFor();
      await page.keyboard.press("Escape");

      await press(L("kk", "menu.apply"));
      // The privacy notice comes before anything personal is asked.
      await botSays(L("kk", "privacy.consent.before"));
      await press(L("kk", "privacy.consent.agree"));
      await botSays("Кімді бекітеміз");
      await press(L("kk", "apply.who.self"));
      await press(L("kk", "apply.category.options.citizen"));
      await botSays("ЖСН-іңіз");
      await type(makeIin("900101", 3, 21));
      await botSays("ЖСН қабылданды");
      await press("Астана қаласы");
      // Nearest clinics from a shared location: reply keyboard → the location picker → a preset point.
      await press(L("kk", "apply.clinic.nearest_button"));
      await page.locator("#reply-keyboard .key", { hasText: L("kk", "apply.place.share_location") }).click();
      await page.locator("#location-dialog .point", { hasText: "Бәйтерек" }).click();
      const nearest = chat()
        .locator(".row.in", { hasText: "ең жақын емханалар" })
        .filter({ has: page.locator(".inline-button", { hasText: / км$/ }) })
        .last();
      await nearest.waitFor();
      const clinic = (await nearest.locator(".inline-button").allTextContents()).find(
        (t) => / км$/.test(t) && !t.startsWith("⛔"),
      );
      expect(clinic).toBeDefined();
      await press(clinic ?? "");
      await botSays("Бекіту негізі");
      await press(L("kk", "rules.grounds.free_choice.title"));
      await botSays("Тұратын мекенжай");
      await press(L("kk", "apply.residence.temporary"));
      await botSays(L("kk", "rules.documents.residence_proof"));

      const pdf = join(dir, "rent-contract.pdf");
      writeFileSync(pdf, "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
      await page.locator("#file-document").setInputFiles(pdf);
      await chat().locator(".row.out .doc-name", { hasText: "rent-contract.pdf" }).waitFor();
      await botSays("Алынған беттер: 1");
      await press(L("kk", "apply.documents.done"));
      await botSays("Өтінімді тексеріңіз");
      await press(L("kk", "apply.summary.confirm"));
      await botSays(/A-2026-\d{6}/);
      const done = await chat()
        .locator(".row.in", { hasText: /A-2026-\d{6}/ })
        .last()
        .textContent();
      expect(done).toMatch(/A-2026-\d{6} өтінімі қабылданып/);

      // With the chat full, a button's short answer shows over the chat's header, never over a message.
      await type("/language");
      await press("Қазақша");
      const toast = page.locator("#toast:not([hidden])");
      await toast.waitFor();
      const box = await toast.boundingBox();
      expect(box).not.toBeNull();
      const visible = await chat().evaluate((list) => {
        const view = list.getBoundingClientRect();
        return [...list.querySelectorAll(".row")]
          .map((row) => row.getBoundingClientRect())
          .map((r) => ({ top: Math.max(r.top, view.top), bottom: Math.min(r.bottom, view.bottom) }))
          .filter((r) => r.bottom > r.top);
      });
      expect(visible.length).toBeGreaterThan(3);
      for (const r of visible) {
        const overlaps = box !== null && box.y < r.bottom && box.y + box.height > r.top;
        expect(overlaps, `the toast covers a message at ${r.top}–${r.bottom}`).toBe(false);
      }

      mkdirSync(SHOTS, { recursive: true });
      const shot = join(SHOTS, "sandbox-kk-application.png");
      await page.screenshot({ path: shot });
      const png = readFileSync(shot);
      expect(png.length).toBeGreaterThan(10_000);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    });

    it("a newcomer opens a clinic's link from the page (🔗), picks Kazakh, lands on the clinic's card and applies there", async () => {
      const shot = async (name: string) => {
        // A button's short answer fades after a moment: the picture shows the chat itself.
        await page.locator("#toast").waitFor({ state: "hidden" });
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `sandbox-kk-link-${name}.png`) });
      };
      await page.locator('[data-persona="visitor-kk"]').click();
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("kk");
      // A chat that never started: START, and beside it "open by link", as a poster's QR code would open it.
      await page.locator("#start-button").waitFor();
      await page.locator("#link-button").click();
      const dialog = page.locator("#link-dialog");
      await dialog.waitFor();
      await page.locator("#link-input").fill("https://t.me/some_other_bot?start=c_almaty-gp-4");
      await page.locator("#link-open").click();
      await page.locator("#link-error", { hasText: "басқа ботқа" }).waitFor();
      await page.locator("#link-input").fill("https://t.me/emhana_sandbox_bot?start=c_almaty-gp-4");
      await shot("1-open-by-link");
      await page.locator("#link-open").click();
      await dialog.waitFor({ state: "hidden" });
      // Telegram sends /start with the payload; the bot asks the language first, then shows the clinic.
      await chat().locator(".row.out", { hasText: "/start c_almaty-gp-4" }).waitFor();
      await press("Қазақша");
      await botSays("Сәлеметсіз бе, Гүлнар");
      await botSays(L("kk", "links.clinic_lead"));
      await botSays("№4 қалалық емхана");
      await shot("2-clinic-card");
      await press(L("kk", "links.apply_here"));
      await botSays(L("kk", "privacy.consent.before"));
      await press(L("kk", "privacy.consent.agree"));
      await press(L("kk", "apply.who.self"));
      await press(L("kk", "apply.category.options.citizen"));
      await botSays("ЖСН-іңіз");
      await type(makeIin("870707", 4, 33));
      await botSays("ЖСН қабылданды");
      await press("Алматы қаласы");
      // The link's clinic comes first in the list, marked as the one the person came for.
      await botSays(L("kk", "links.preferred"));
      await shot("3-clinic-offered-first");
      await press("№4 қалалық емхана");
      await botSays("Бекіту негізі");
      await press(L("kk", "rules.grounds.free_choice.title"));
      await botSays("Тұратын мекенжай");
      await press(L("kk", "apply.residence.registered"));
      await botSays("Өтінімді тексеріңіз");
      await press(L("kk", "apply.summary.confirm"));
      await botSays(/A-2026-\d{6}/);
      await shot("4-request-filed");
      const done = await chat()
        .locator(".row.in", { hasText: /A-2026-\d{6}/ })
        .last()
        .textContent();
      expect(done).toMatch(/A-2026-\d{6} өтінімі қабылданып/);
      expect(pageErrors).toEqual([]);
    });

    it("an operator's broadcast from the page reaches the citizens' chats, each in their language", async () => {
      await page.locator('[data-persona="operator"]').click();
      await type("/broadcast");
      await botSays("Новая рассылка");
      await press(L("ru", "broadcast.compose.audience.all"));
      await botSays("Шаг 2 из 4");
      await type("Проверка связи: поликлиники работают до 20:00");
      await botSays("Шаг 3 из 4");
      await type("Байланысты тексеру: емханалар 20:00-ге дейін жұмыс істейді");
      await botSays("Проверьте рассылку");
      await press(L("ru", "broadcast.compose.send_now"));
      await botSays("запущена");
      // Unread badges appear on the personas' entries as the messages arrive, then the chats show them.
      await page.locator('[data-persona="citizen-kk"] .badge').waitFor();
      await page.locator('[data-persona="citizen-ru"] .badge').waitFor();
      await page.locator('[data-persona="citizen-kk"]').click();
      await botSays("Байланысты тексеру: емханалар 20:00-ге дейін");
      await page.locator('[data-persona="citizen-ru"]').click();
      await botSays("Проверка связи: поликлиники работают до 20:00");
      expect(log).not.toMatch(/"level":(50|60)/);
    });

    it("draws the bot's formatting from entities, never its markup, and shows edits and deletions in place", async () => {
      const chatId = PERSONAS.find((p) => p.key === "admin")?.id ?? 0;
      await page.locator('[data-persona="admin"]').click();
      // As if the bot sent it: through the emulator's Bot API pipeline, HTML parsed into entities there.
      const text =
        "<b>жирный</b> <i>курсив</i> <u>подчёркнутый</u> <s>зачёркнутый</s> <code>код</code>\n<pre>блок кода</pre>" +
        '<blockquote>цитата</blockquote><tg-spoiler>скрытое</tg-spoiler> <a href="https://egov.kz">eGov</a> ' +
        '<a href="javascript:alert(1)">ссылка-ловушка</a> &lt;img src=x onerror=alert(1)&gt;';
      const sent = await sandbox.tg.call("sendMessage", { chat_id: chatId, parse_mode: "HTML", text });
      const id = (sent.body as { result?: { message_id: number } }).result?.message_id;
      expect(id).toBeDefined();
      const row = chat().locator(`.row[data-id="${id}"]`);
      await row.waitFor();
      const inner = async (selector: string) => row.locator(`.text ${selector}`).first().textContent();
      expect([await inner("b"), await inner("i"), await inner("u"), await inner("s"), await inner("code")]).toEqual([
        "жирный",
        "курсив",
        "подчёркнутый",
        "зачёркнутый",
        "код",
      ]);
      expect([await inner("pre"), await inner("blockquote"), await inner(".spoiler")]).toEqual([
        "блок кода",
        "цитата",
        "скрытое",
      ]);
      expect(await row.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
        "https://egov.kz/",
      ]);
      expect(await row.locator("img").count()).toBe(0);
      expect(await row.textContent()).toContain("ссылка-ловушка <img src=x onerror=alert(1)>");
      await row.locator(".spoiler").click();
      await row.locator(".spoiler.revealed").waitFor();

      await sandbox.tg.call("editMessageText", {
        chat_id: chatId,
        message_id: id,
        parse_mode: "HTML",
        text: "<b>исправлено</b> ботом",
      });
      await row.locator(".text b", { hasText: "исправлено" }).waitFor();
      expect(await chat().locator(`.row[data-id="${id}"]`).count()).toBe(1);
      expect(await row.locator(".meta").textContent()).toContain("изменено");
      await sandbox.tg.call("deleteMessage", { chat_id: chatId, message_id: id });
      await row.waitFor({ state: "detached" });
      expect(pageErrors).toEqual([]);
    });
  },
);
