import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fontkit from "fontkit";
import jsqr from "jsqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLINIC_ID_IN_LINK_MAX, clinicIdForDigest, clinicLink, parseStartPayload } from "../../../bot/deep-links.js";
import { createI18n, type I18n } from "../../../bot/i18n.js";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { clinicIdsLongerThan } from "../../../data/repositories/clinic-links.js";
import { getClinic, upsertClinic } from "../../../data/repositories/clinics.js";
import { getOperator, OPERATOR_KEY, putSetting } from "../../../data/repositories/settings.js";
import { posterContent } from "../../../scripts/posters/content.js";
import { loadPosterFonts, renderPoster } from "../../../scripts/posters/render.js";
import { selectClinics } from "../../../scripts/posters/select.js";
import { startEmulator } from "../../../scripts/emulator/index.js";
import { rawSql } from "../../fixtures/database.js";
import { freshDb, type TestDb } from "../directory/helpers.js";
import { grayImage, namedRefs, pages, readPdf, showText, toUnicode, value, type Pdf } from "./pdf-reader.js";

const root = new URL("../../../", import.meta.url).pathname;
const KAZAKH = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/gu;

let t: TestDb;
let out: string;
let i18n: I18n;
beforeAll(async () => {
  t = await freshDb();
  await seedDirectoryIfEmpty(t.db);
  out = mkdtempSync(join(tmpdir(), "emhana-posters-"));
  i18n = await createI18n();
});
afterAll(async () => {
  await t.dispose();
  rmSync(out, { recursive: true, force: true });
});

async function posterOf(id: string, username = "emhana_test_bot"): Promise<{ file: string; link: string }> {
  const clinic = await getClinic(t.db, id);
  if (!clinic) throw new Error(`no clinic ${id}`);
  const link = clinicLink(username, id);
  const pdf = await renderPoster(posterContent(clinic, link, await getOperator(t.db), i18n), loadPosterFonts());
  const file = join(out, `${id}.pdf`);
  writeFileSync(file, pdf);
  return { file, link };
}

function onlyPage(pdf: Pdf) {
  const list = pages(pdf);
  expect(list).toHaveLength(1);
  return list[0] ?? { dict: "" };
}

/** The page's one image, decoded and read as a QR code; with where it is drawn and how large. */
function qrOf(pdf: Pdf): { text: string | undefined; size: number; x: number; y: number } {
  const page = onlyPage(pdf);
  const resources = pdf.get(value(page.dict, "Resources")).dict;
  const images = [...namedRefs(resources, "XObject")];
  expect(images).toHaveLength(1);
  const [name, ref] = images[0] ?? ["", ""];
  const { width, height, gray } = grayImage(pdf, pdf.get(ref));
  const rgba = new Uint8ClampedArray(width * height * 4);
  gray.forEach((g, i) => rgba.set([g, g, g, 255], i * 4));
  const content = pdf.get(value(page.dict, "Contents")).stream?.toString("latin1") ?? "";
  const placed = new RegExp(`([\\d.]+) 0 0 (-?[\\d.]+) ([\\d.-]+) ([\\d.-]+) cm\\s*/${name} Do`).exec(content);
  const [w, h, x, y] = (placed?.slice(1) ?? []).map(Number);
  expect(Math.abs(h ?? 0)).toBeCloseTo(w ?? -1, 3); // square
  // jsqr is CommonJS whose typings say `export default`: under NodeNext the function is `.default`.
  return { text: jsqr.default(rgba, width, height)?.data, size: w ?? 0, x: x ?? -1, y: y ?? -1 };
}

/** Each font of the page: its ToUnicode map and the embedded font program, read back with fontkit. */
function fontsOf(pdf: Pdf) {
  const page = onlyPage(pdf);
  const resources = pdf.get(value(page.dict, "Resources")).dict;
  return new Map(
    [...namedRefs(resources, "Font")].map(([name, ref]) => {
      const type0 = pdf.get(ref).dict;
      expect(value(type0, "Subtype")).toBe("/Type0");
      const cid = pdf.get(/\[(\d+ 0 R)\]/.exec(value(type0, "DescendantFonts") ?? "")?.[1]).dict;
      const descriptor = pdf.get(value(cid, "FontDescriptor")).dict;
      const program = pdf.get(value(descriptor, "FontFile2")).stream ?? Buffer.alloc(0);
      const cmap = toUnicode(pdf.get(value(type0, "ToUnicode")).stream?.toString("latin1") ?? "");
      return [name, { baseFont: value(type0, "BaseFont") ?? "", cmap, font: single(fontkit.create(program)) }] as const;
    }),
  );
}

function textOf(pdf: Pdf, fonts: ReturnType<typeof fontsOf>): string {
  const content = pdf.get(value(onlyPage(pdf).dict, "Contents")).stream?.toString("latin1") ?? "";
  return showText(content, new Map([...fonts].map(([n, f]) => [n, f.cmap]))).join("\n");
}

const squash = (s: string) => s.replace(/\s+/g, "");

/** A font file holds one font here, never a collection. */
function single(f: fontkit.Font | fontkit.FontCollection): fontkit.Font {
  if (!("getGlyph" in f)) throw new Error("a font collection");
  return f;
}

describe("posters: one A4 page per clinic, Kazakh and Russian, with the clinic's QR code", () => {
  it("is a valid one-page PDF whose QR code decodes to exactly the clinic's link", async () => {
    const { file, link } = await posterOf("almaty-gp-1");
    const bytes = readFileSync(file);
    const pdf = readPdf(bytes); // header, %%EOF, every xref entry at its object
    expect(value(pdf.get(value(pdf.trailer, "Root")).dict, "Pages")).toBeDefined();
    const tree = [...pdf.objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict));
    expect(value(tree?.dict ?? "", "Count")).toBe("1");
    expect(value(onlyPage(pdf).dict, "MediaBox")).toBe("[0 0 595.28 841.89]"); // A4
    const qr = qrOf(pdf);
    expect(qr.text).toBe(link);
    expect(link).toBe("https://t.me/emhana_test_bot?start=c_almaty-gp-1");
    // Large (≥ 8.8 cm with its quiet zone) and inside the page.
    expect(qr.size).toBeGreaterThanOrEqual(250);
    expect(qr.x).toBeGreaterThanOrEqual(0);
    expect(qr.x + qr.size).toBeLessThanOrEqual(595.28);
  });

  it("shows both languages in an embedded font that carries the Kazakh letters", async () => {
    const { file, link } = await posterOf("almaty-gp-1");
    const pdf = readPdf(readFileSync(file));
    const fonts = fontsOf(pdf);
    const text = textOf(pdf, fonts);
    for (const s of [
      "№1 қалалық емхана",
      "Городская поликлиника №1",
      "Осы емханаға бекітілу",
      "Прикрепление к этой поликлинике",
      "тілді таңдаңыз",
      "бот әкімшісі әлі көрсетпеген", // who runs the bot: not set yet, and the poster says so
      "пока не указан администратором бота",
      link.replace("https://", ""),
    ]) {
      expect(squash(text), s).toContain(squash(s));
    }
    expect(text).not.toMatch(/тіркел/i); // attachment is бекіту / бекітілу

    // Every Kazakh letter shown maps back through ToUnicode, and the embedded subset draws it exactly as PT Sans does.
    const original = {
      regular: single(
        fontkit.openSync(join(root, "node_modules/@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf")),
      ),
      bold: single(fontkit.openSync(join(root, "node_modules/@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf"))),
    };
    const seen = new Set<string>();
    for (const { baseFont, cmap, font } of fonts.values()) {
      expect(baseFont).toMatch(/^\/[A-Z]{6}\+PTSans-(Regular|Bold)$/); // a subset, embedded
      const source = baseFont.endsWith("Bold") ? original.bold : original.regular;
      for (const [code, ch] of cmap) {
        if (!KAZAKH.test(ch)) continue;
        KAZAKH.lastIndex = 0;
        seen.add(ch);
        const embedded = font.getGlyph(code).path.toSVG();
        expect(embedded.length, ch).toBeGreaterThan(0);
        expect(embedded, `${baseFont} ${ch}`).toBe(source.glyphForCodePoint(ch.codePointAt(0) ?? 0).path.toSVG());
      }
      KAZAKH.lastIndex = 0;
    }
    // Each letter in either case: the texts decide which case a letter stands in.
    for (const ch of ["ә", "қ", "ұ", "і", "ғ", "ң", "ө", "ү"])
      expect(
        [...seen].some((c) => c.toLowerCase() === ch),
        ch,
      ).toBe(true);
  });

  it("names who runs the bot once an admin has set it", async () => {
    await putSetting(
      t.db,
      OPERATOR_KEY,
      { ru: "ТОО «Пример & Ко»", kk: "«Мысал & Ко» ЖШС" },
      "2026-09-01T00:00:00Z",
      1,
    );
    try {
      const { file } = await posterOf("almaty-gp-37");
      const pdf = readPdf(readFileSync(file));
      const text = squash(textOf(pdf, fontsOf(pdf)));
      expect(text).toContain(squash("Кто ведёт бот: ТОО «Пример & Ко»")); // as typed: a PDF, not HTML
      expect(text).toContain(squash("Бот операторы: «Мысал & Ко» ЖШС"));
    } finally {
      await t.db.deleteFrom("settings").where("key", "=", OPERATOR_KEY).execute();
    }
  });

  it("keeps a long registry name and address on the one page, with a QR code still large", async () => {
    const name = {
      ru: "Коммунальное государственное предприятие на праве хозяйственного ведения «Городская поликлиника №36» Управления общественного здравоохранения города Алматы",
      kk: "Алматы қаласы Қоғамдық денсаулық сақтау басқармасының шаруашылық жүргізу құқығындағы «№36 қалалық емхана» коммуналдық мемлекеттік кәсіпорны",
    };
    const address = {
      ru: "мкр. Аксай-4, ул. Маргулана, 98а, угол ул. Саина, вход со двора",
      kk: "Ақсай-4 ы.а., Марғұлан к-сі, 98а, Сайын к-сімен қиылысы, кіреберіс аулада",
    };
    const clinic = { id: "x".repeat(64), name, address, settlementName: { ru: "Алматы", kk: "Алматы" } };
    const link = clinicLink("emhana_test_bot", clinic.id);
    const pdf = readPdf(await renderPoster(posterContent(clinic, link, undefined, i18n), loadPosterFonts()));
    const qr = qrOf(pdf);
    expect(qr.text).toBe(link); // an id over 62 characters: the link carries its digest
    expect(link).toMatch(/\?start=h_[\w-]{22}$/);
    expect(qr.size).toBeGreaterThanOrEqual(250);
    expect(squash(textOf(pdf, fontsOf(pdf)))).toContain(squash(name.kk));
    const endless = { ...clinic, name: { ru: "Поликлиника ".repeat(300), kk: "Емхана ".repeat(300) } };
    await expect(renderPoster(posterContent(endless, link, undefined, i18n), loadPosterFonts())).rejects.toThrow(
      /do not fit on one A4 page/,
    );
  });

  it("a clinic whose id is too long for c_<id> is found again from its link's digest", async () => {
    expect(await clinicIdsLongerThan(t.db, CLINIC_ID_IN_LINK_MAX)).toEqual([]); // the shipped ids are short
    const long = `registry-${"9".repeat(55)}`;
    const base = await getClinic(t.db, "almaty-gp-1");
    if (!base) throw new Error("no almaty-gp-1");
    await upsertClinic(t.db, { ...base, id: long, hours: null, sample: false }, "2026-09-01T00:00:00Z");
    try {
      const link = parseStartPayload(new URL(clinicLink("emhana_bot", long)).searchParams.get("start") ?? "");
      expect(link.kind).toBe("clinic_digest");
      const ids = await clinicIdsLongerThan(t.db, CLINIC_ID_IN_LINK_MAX);
      expect(link.kind === "clinic_digest" && clinicIdForDigest(link.digest, ids)).toBe(long);
    } finally {
      await rawSql(t.db, "delete from clinic_contracts where clinic_id = ?", long);
      await rawSql(t.db, "delete from clinics where id = ?", long);
    }
  });

  it("selects clinics by id, by settlement and all of them, inactive ones included for the caller to skip", async () => {
    const byId = await selectClinics(t.db, { kind: "clinics", ids: ["almaty-gp-4", "almaty-gp-1"] });
    expect(byId.ok && byId.clinics.map((c) => c.id)).toEqual(["almaty-gp-4", "almaty-gp-1"]);
    expect(await selectClinics(t.db, { kind: "clinics", ids: ["almaty-gp-1", "nope"] })).toEqual({
      ok: false,
      problem: 'unknown clinic "nope"',
    });
    const shymkent = await selectClinics(t.db, { kind: "settlement", id: "shymkent" });
    expect(shymkent.ok && shymkent.clinics.find((c) => c.id === "sample-shymkent-04")?.active).toBe(false);
    expect(shymkent.ok && shymkent.clinics.every((c) => c.settlementId === "shymkent")).toBe(true);
    expect(await selectClinics(t.db, { kind: "settlement", id: "atlantis" })).toMatchObject({ ok: false });
    const all = await selectClinics(t.db, { kind: "all" });
    const total = await rawSql<{ n: number }>(t.db, "select count(*) n from clinics");
    expect(all.ok && all.clinics.length).toBe(total.rows[0]?.n);
  });
});

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts/posters.ts"), ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        DOTENV_CONFIG_PATH: join(out, "no.env"),
        BOT_TOKEN: "",
        BOT_API_ROOT: "",
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run posters", () => {
  it("writes a poster per active clinic of a settlement and skips an inactive one with a note", async () => {
    const dir = join(out, "shymkent");
    const r = await run(["--settlement", "shymkent", "--bot", "emhana_bot", "--out", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped sample-shymkent-04: inactive/);
    const active = await rawSql<{ id: string }>(
      t.db,
      "select id from clinics where settlement_id = 'shymkent' and active = 1 order by id",
    );
    expect(readdirSync(dir).sort()).toEqual(active.rows.map((c) => `${c.id}.pdf`).sort());
    const qr = qrOf(readPdf(readFileSync(join(dir, "shymkent-gp-1.pdf"))));
    expect(qr.text).toBe("https://t.me/emhana_bot?start=c_shymkent-gp-1");
  }, 60_000);

  it("asks getMe for the username when BOT_TOKEN is set", async () => {
    const tg = await startEmulator();
    try {
      const dir = join(out, "by-token");
      const r = await run(["--clinic", "almaty-gp-4", "--out", dir], { BOT_TOKEN: tg.token, BOT_API_ROOT: tg.url });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/1 poster for @emhana_test_bot \(from getMe\)/);
      expect(qrOf(readPdf(readFileSync(join(dir, "almaty-gp-4.pdf")))).text).toBe(
        "https://t.me/emhana_test_bot?start=c_almaty-gp-4",
      );
    } finally {
      await tg.close();
    }
  }, 60_000);

  it("answers a bad argument, an unknown clinic or a missing username with one plain line and exit code 1", async () => {
    const cases = [
      [["--clinic", "almaty-gp-1"], /^posters: the bot's username is unknown: pass --bot <username> or set BOT_TOKEN/],
      [["--clinic", "nope", "--bot", "emhana_bot"], /^posters: unknown clinic "nope"$/],
      [["--all", "--colour", "red"], /^posters: unknown option --colour/],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => run([...args])));
    cases.forEach(([args, line], i) => {
      const r = results[i];
      expect(r?.code, args.join(" ")).toBe(1);
      expect(r?.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r?.stderr.trim()).toMatch(line);
    });
  }, 60_000);
});
