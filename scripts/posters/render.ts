import PDFDocument from "pdfkit";
import { qrPng } from "../../bot/qr-code.js";
import {
  A4,
  COLUMN,
  CONTENT_WIDTH,
  fit,
  GUTTER,
  height,
  MARGIN,
  oneLine,
  ORDER,
  QR_TOP_GAP,
  SECTION_GAP,
  STEP_INDENT,
  stepHeight,
  type Doc,
  type Font,
  type PosterContent,
  type Sizes,
} from "./layout.js";

// Draws a poster on one A4 page, as layout.ts measured it.

export { loadPosterFonts, type PosterColumn, type PosterContent } from "./layout.js";

const INK = "#1b1b1b";
const MUTED = "#5a5a5a";
const ACCENT = "#0b6e4f";

function write(
  doc: Doc,
  text: string,
  at: { x: number; y: number; width: number },
  style: { font: Font; size: number; color?: string; align?: "left" | "center" },
): number {
  const lineGap = style.size * 0.15;
  doc
    .font(style.font)
    .fontSize(style.size)
    .fillColor(style.color ?? INK)
    .text(text, at.x, at.y, { width: at.width, lineGap, align: style.align ?? "left" });
  return height(doc, style.font, style.size, text, at.width);
}

function columnX(i: number): number {
  return MARGIN + i * (COLUMN + GUTTER);
}

function divider(doc: Doc, top: number, bottom: number): void {
  const x = MARGIN + COLUMN + GUTTER / 2;
  doc.moveTo(x, top).lineTo(x, bottom).lineWidth(0.6).strokeColor("#c8c8c8").stroke();
}

function drawStep(doc: Doc, s: Sizes, n: number, text: string, x: number, y: number): number {
  const r = s.step * 0.75;
  doc
    .circle(x + r, y + s.step * 0.62, r)
    .fillColor(ACCENT)
    .fill();
  write(
    doc,
    String(n),
    { x, y: y + s.step * 0.62 - s.step * 0.6, width: 2 * r },
    { font: "bold", size: s.step * 0.95, color: "#ffffff", align: "center" },
  );
  write(doc, text, { x: x + STEP_INDENT, y, width: COLUMN - STEP_INDENT }, { font: "regular", size: s.step });
  return stepHeight(doc, s, text);
}

/** Draws the page. */
function draw(doc: Doc, content: PosterContent, qrPicture: Buffer): void {
  const { sizes: s, m, qr } = fit(doc, content);
  doc.rect(0, 0, A4.width, 8).fillColor(ACCENT).fill();
  let y = MARGIN;

  // The clinic, in each language.
  ORDER.forEach((l, i) => {
    const c = content.columns[l];
    const x = columnX(i);
    let cy = y;
    cy +=
      write(
        doc,
        c.language.toUpperCase(),
        { x, y: cy, width: COLUMN },
        { font: "bold", size: s.language, color: MUTED },
      ) + 4;
    cy += write(doc, c.title, { x, y: cy, width: COLUMN }, { font: "bold", size: s.title, color: ACCENT }) + 10;
    cy += write(doc, c.name, { x, y: cy, width: COLUMN }, { font: "bold", size: s.name }) + 4;
    write(doc, c.address, { x, y: cy, width: COLUMN }, { font: "regular", size: s.address });
  });
  divider(doc, y, y + m.header);
  y += m.header + QR_TOP_GAP;

  // The QR code across both columns, and the link under it for typing by hand.
  doc.image(qrPicture, (A4.width - qr) / 2, y, { width: qr, height: qr });
  y += qr + 6;
  const hint = ORDER.map((l) => content.columns[l].linkHint).join("  /  ");
  y +=
    write(
      doc,
      hint,
      { x: MARGIN, y, width: CONTENT_WIDTH },
      { font: "regular", size: s.footer, color: MUTED, align: "center" },
    ) + 2;
  const linkSize = oneLine(doc, "bold", s.step, content.linkText);
  write(
    doc,
    content.linkText,
    { x: MARGIN, y, width: CONTENT_WIDTH },
    { font: "bold", size: linkSize, align: "center" },
  );
  y += s.step * 1.3 + SECTION_GAP;

  // Three steps, in each language.
  ORDER.forEach((l, i) => {
    const c = content.columns[l];
    const x = columnX(i);
    let cy =
      y + write(doc, c.stepsTitle, { x, y, width: COLUMN }, { font: "bold", size: s.stepsTitle, color: ACCENT }) + 6;
    c.steps.forEach((step, n) => {
      cy += drawStep(doc, s, n + 1, step, x, cy) + 6;
    });
  });
  divider(doc, y, y + m.steps);
  y += m.steps + SECTION_GAP;

  // Who runs the bot, what it never asks for, and the signed channels.
  doc
    .moveTo(MARGIN, y - SECTION_GAP / 2)
    .lineTo(A4.width - MARGIN, y - SECTION_GAP / 2)
    .lineWidth(0.6)
    .strokeColor("#c8c8c8")
    .stroke();
  ORDER.forEach((l, i) => {
    const c = content.columns[l];
    const x = columnX(i);
    let cy = y + write(doc, c.operator, { x, y, width: COLUMN }, { font: "bold", size: s.footer }) + 4;
    cy += write(doc, c.safety, { x, y: cy, width: COLUMN }, { font: "regular", size: s.footer }) + 4;
    write(doc, c.channels, { x, y: cy, width: COLUMN }, { font: "regular", size: s.footer * 0.92, color: MUTED });
  });
  divider(doc, y, y + m.footer);

  // For staff reprinting or checking a poster: the clinic's id in the bot.
  const idLine = `${ORDER.map((l) => content.columns[l].clinicIdLabel).join(" / ")}: ${content.clinicId}`;
  const idSize = oneLine(doc, "regular", s.small, idLine);
  const idAt = { x: MARGIN, y: A4.height - MARGIN - s.small * 1.2, width: CONTENT_WIDTH };
  write(doc, idLine, idAt, { font: "regular", size: idSize, color: MUTED, align: "center" });
}

/** The poster as PDF bytes: one A4 page, fonts embedded. Throws when the texts cannot fit on that page. */
export async function renderPoster(content: PosterContent, fonts: Record<Font, Buffer>): Promise<Buffer> {
  const qr = await qrPng(content.link);
  const doc = new PDFDocument({
    size: "A4",
    margin: 0,
    bufferPages: true,
    info: { Title: content.title, Subject: content.link, Creator: "Emhana (npm run posters)" },
  });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc, content, qr.png);
  // A text that ran past the bottom would have started a second page: one clinic, one page.
  const pages = doc.bufferedPageRange().count;
  doc.end();
  const pdf = await done;
  if (pages !== 1) throw new Error(`the poster took ${pages} pages instead of one`);
  return pdf;
}
