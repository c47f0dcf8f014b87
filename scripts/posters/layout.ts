import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Locale } from "../../bot/i18n.js";

// The poster's measures: one A4 page, Kazakh on the left, Russian on the right, the QR code across both between the
// clinic and the three steps. Sizes are in PDF points (1/72 inch); the text shrinks until the page holds everything
// with a QR code of at least MIN_QR, so a long registry name never pushes anything off the page.

/** What one language's column says; every string comes from locales/<lng>/posters.json. */
export interface PosterColumn {
  language: string;
  title: string;
  name: string;
  address: string;
  stepsTitle: string;
  steps: [string, string, string];
  linkHint: string;
  operator: string;
  safety: string;
  channels: string;
  clinicIdLabel: string;
}

export interface PosterContent {
  clinicId: string;
  link: string;
  /** Shown under the QR code for typing by hand: the link without its scheme. */
  linkText: string;
  columns: Record<Locale, PosterColumn>;
  title: string;
}

/** The state language first, as on signs in Kazakhstan. */
export const ORDER: readonly Locale[] = ["kk", "ru"];

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 30;
export const GUTTER = 28;
export const CONTENT_WIDTH = A4.width - 2 * MARGIN;
export const COLUMN = (CONTENT_WIDTH - GUTTER) / 2;
/** 8.8 cm with the quiet zone (the code itself about 7 cm): a phone reads it from a couple of metres. */
export const MIN_QR = 250;
/** 10.5 cm. */
export const MAX_QR = 300;
export const SECTION_GAP = 16;
/** The code's own quiet zone (four white modules) already separates it from the text above. */
export const QR_TOP_GAP = 4;
export const STEP_INDENT = 26;

const FONT_FILES = {
  regular: "@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf",
  bold: "@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf",
} as const;

export interface Sizes {
  language: number;
  title: number;
  name: number;
  address: number;
  stepsTitle: number;
  step: number;
  footer: number;
  small: number;
}

const BASE: Sizes = {
  language: 10,
  title: 18,
  name: 17,
  address: 12.5,
  stepsTitle: 14,
  step: 12.5,
  footer: 10,
  small: 8.5,
};

const scaled = (k: number): Sizes =>
  Object.fromEntries(Object.entries(BASE).map(([key, v]) => [key, Math.round(v * k * 10) / 10])) as unknown as Sizes;

export type Doc = PDFKit.PDFDocument;
export type Font = keyof typeof FONT_FILES;

/** PT Sans (ParaType, SIL OFL 1.1: embedding allowed) carries every Kazakh letter; pdfkit embeds a subset of it. */
export function loadPosterFonts(): Record<Font, Buffer> {
  const require = createRequire(import.meta.url);
  return {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
}

export function height(doc: Doc, font: Font, size: number, text: string, width: number): number {
  return doc
    .font(font)
    .fontSize(size)
    .heightOfString(text, { width, lineGap: size * 0.15 });
}

/** The size (at most `max`) at which `text` fits the content width on one line. */
export function oneLine(doc: Doc, font: Font, max: number, text: string): number {
  return Math.min(max, (max * CONTENT_WIDTH * 0.98) / doc.font(font).fontSize(max).widthOfString(text));
}

export interface Measured {
  header: number;
  steps: number;
  footer: number;
  qrCaption: number;
}

export function stepHeight(doc: Doc, s: Sizes, text: string): number {
  return Math.max(s.step * 1.6, height(doc, "regular", s.step, text, COLUMN - STEP_INDENT));
}

function measure(doc: Doc, content: PosterContent, s: Sizes): Measured {
  const per = (f: (c: PosterColumn) => number) => Math.max(...ORDER.map((l) => f(content.columns[l])));
  return {
    header: per(
      (c) =>
        height(doc, "bold", s.language, c.language, COLUMN) +
        4 +
        height(doc, "bold", s.title, c.title, COLUMN) +
        10 +
        height(doc, "bold", s.name, c.name, COLUMN) +
        4 +
        height(doc, "regular", s.address, c.address, COLUMN),
    ),
    steps: per(
      (c) =>
        height(doc, "bold", s.stepsTitle, c.stepsTitle, COLUMN) +
        6 +
        c.steps.reduce((sum, step) => sum + stepHeight(doc, s, step) + 6, 0),
    ),
    footer: per(
      (c) =>
        height(doc, "bold", s.footer, c.operator, COLUMN) +
        4 +
        height(doc, "regular", s.footer, c.safety, COLUMN) +
        4 +
        height(doc, "regular", s.footer * 0.92, c.channels, COLUMN),
    ),
    qrCaption: 6 + height(doc, "regular", s.footer, content.columns.kk.linkHint, CONTENT_WIDTH) + 2 + s.step * 1.3,
  };
}

/** The largest text scale (≤ 1) that leaves room for a QR code of at least MIN_QR; throws when none does. */
export function fit(doc: Doc, content: PosterContent): { sizes: Sizes; m: Measured; qr: number } {
  for (let k = 1; k >= 0.6; k -= 0.04) {
    const sizes = scaled(k);
    const m = measure(doc, content, sizes);
    const fixed = m.header + QR_TOP_GAP + m.qrCaption + m.steps + m.footer + sizes.small * 1.4 + 2.5 * SECTION_GAP;
    const qr = Math.min(MAX_QR, A4.height - 2 * MARGIN - fixed);
    if (qr >= MIN_QR) return { sizes, m, qr };
  }
  throw new Error("the texts do not fit on one A4 page");
}
