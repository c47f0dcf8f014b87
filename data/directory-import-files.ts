// Reading a registry file (CSV or JSON) into raw records; what the columns mean is in directory-import-rows.ts.

export class ImportFileError extends Error {}

export interface RawRecord {
  /** CSV: the line the record starts on (the header is line 1). JSON: the element's 1-based position. */
  line: number;
  values: Record<string, string>;
}

/** RFC 4180: quoted fields with "" escapes and line breaks, CRLF or LF, a UTF-8 BOM; ";" when Excel used it. */
export function parseCsv(text: string): { header: string[]; records: RawRecord[] } {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let fieldStart = true;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: start, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] ?? "";
    const atStart = fieldStart;
    fieldStart = false;
    if (quoted) {
      if (ch !== '"') {
        if (ch === "\n") line++;
        cell += ch;
      } else if (src[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && atStart) quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = "";
      fieldStart = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      fieldStart = true;
      start = ++line;
    } else cell += ch;
  }
  if (quoted) throw new ImportFileError(`line ${start}: a quoted field is not closed`);
  endRecord();
  const head = rows.shift();
  if (!head) throw new ImportFileError("the file is empty");
  const header = head.cells.map((h) => h.trim().toLowerCase());
  const records = rows.map((r) => ({
    line: r.line,
    values: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? "").trim()])),
  }));
  return { header, records };
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
