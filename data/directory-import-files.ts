// Reading a registry file (CSV or JSON) into raw records; what the columns mean is in directory-import-rows.ts.

export class ImportFileError extends Error {}

export interface RawRecord {
  /** CSV: the line the record starts on (the header is line 1). JSON: the element's 1-based position. */
  line: number;
  values: Record<string, string>;
}

interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * RFC 4180, fed chunk by chunk: quoted fields with "" escapes and line breaks, CRLF or LF, a UTF-8 BOM; ";" when
 * Excel used it (the first line has ";" and no ","). Rows whose cells are all empty are skipped; each row carries
 * the line it starts on.
 */
export class CsvReader {
  private sep: string | undefined;
  private head = ""; // text before the first line break, while the separator is not known
  private cells: string[] = [];
  private cell = "";
  private quoted = false;
  private quoteInQuoted = false; // a " inside quotes: the closing one, or the first of ""
  private fieldStart = true;
  private afterCr = false;
  private line = 1;
  private start = 1;
  private out: CsvRow[] = [];

  push(chunk: string): CsvRow[] {
    if (this.sep === undefined) {
      this.head += chunk;
      const text = this.head.replace(/^\uFEFF/, "");
      const end = text.search(/\r|\n/);
      if (end < 0) return [];
      this.setSeparator(text.slice(0, end));
      this.head = "";
      chunk = text;
    }
    for (const ch of chunk) this.char(ch);
    return this.take();
  }

  end(): CsvRow[] {
    if (this.sep === undefined) {
      const text = this.head.replace(/^\uFEFF/, "");
      this.setSeparator(text);
      for (const ch of text) this.char(ch);
    }
    if (this.quoteInQuoted) this.quoted = this.quoteInQuoted = false;
    if (this.quoted) throw new ImportFileError(`line ${this.start}: a quoted field is not closed`);
    this.endRecord();
    return this.take();
  }

  private setSeparator(firstLine: string): void {
    this.sep = firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
  }

  private take(): CsvRow[] {
    const rows = this.out;
    this.out = [];
    return rows;
  }

  private endRecord(): void {
    this.cells.push(this.cell);
    if (this.cells.some((c) => c.trim() !== "")) this.out.push({ line: this.start, cells: this.cells });
    this.cells = [];
    this.cell = "";
  }

  private char(ch: string): void {
    const afterCr = this.afterCr;
    this.afterCr = false;
    if (this.quoteInQuoted) {
      this.quoteInQuoted = false;
      if (ch === '"') {
        this.cell += '"';
        return;
      }
      this.quoted = false;
    }
    const atStart = this.fieldStart;
    this.fieldStart = false;
    if (this.quoted) {
      if (ch === '"') this.quoteInQuoted = true;
      else {
        if (ch === "\n") this.line++;
        this.cell += ch;
      }
    } else if (ch === '"' && atStart) this.quoted = true;
    else if (ch === this.sep) {
      this.cells.push(this.cell);
      this.cell = "";
      this.fieldStart = true;
    } else if (ch === "\n" && afterCr) {
      this.fieldStart = true; // the LF of a CRLF: the record ended at the CR
    } else if (ch === "\n" || ch === "\r") {
      this.afterCr = ch === "\r";
      this.endRecord();
      this.fieldStart = true;
      this.start = ++this.line;
    } else this.cell += ch;
  }
}

/** The header's column names as the importer matches them. */
export function headerOf(row: CsvRow): string[] {
  return row.cells.map((h) => h.trim().toLowerCase());
}

/** A data row as values by column name. */
export function recordOf(header: string[], row: CsvRow): RawRecord {
  return { line: row.line, values: Object.fromEntries(header.map((h, i) => [h, (row.cells[i] ?? "").trim()])) };
}

/** A whole CSV text at once (small files, tests); the importer streams through CsvReader. */
export function parseCsv(text: string): { header: string[]; records: RawRecord[] } {
  const reader = new CsvReader();
  const rows = [...reader.push(text), ...reader.end()];
  const head = rows.shift();
  if (!head) throw new ImportFileError("the file is empty");
  const header = headerOf(head);
  return { header, records: rows.map((r) => recordOf(header, r)) };
}

/** An array of objects with the CSV's column names (or `{ "clinics": [...] }`); values may be numbers or booleans. */
export function parseJsonRecords(text: string): { header: string[]; records: RawRecord[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ImportFileError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(data) ? data : (data as { clinics?: unknown } | null)?.clinics;
  if (!Array.isArray(list)) throw new ImportFileError('expected an array of clinics or { "clinics": [...] }');
  const header = new Set<string>();
  const records = list.map((item: unknown, i) => {
    const values: Record<string, string> = {};
    if (item && typeof item === "object" && !Array.isArray(item)) {
      for (const [k, v] of Object.entries(item)) {
        const key = k.trim().toLowerCase();
        header.add(key);
        values[key] =
          v === null || v === undefined
            ? ""
            : Array.isArray(v)
              ? v.join(";")
              : typeof v === "boolean"
                ? v
                  ? "yes"
                  : "no"
                : String(v).trim();
      }
    }
    return { line: i + 1, values };
  });
  return { header: [...header], records };
}
