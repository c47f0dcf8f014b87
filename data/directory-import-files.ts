// Reading a registry file (CSV or JSON) into raw records; what the columns mean is in directory-import-rows.ts.
import { CsvError, parse } from "csv-parse";

export class ImportFileError extends Error {}

export interface RawRecord {
  /** CSV: the line the record starts on (the header is line 1). JSON: the element's 1-based position. */
  line: number;
  values: Record<string, string>;
}

export interface CsvRow {
  line: number;
  cells: string[];
}

/** What csv-parse gives with `raw`: the record, and its text as read (to count the lines it took). */
interface ParsedRecord {
  record: string[];
  raw: string;
}

// Excel with Russian or Kazakh settings saves with ";": taken when the first line has ";" and no ",".
function separatorOf(firstLine: string): ";" | "," {
  return firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
}

/**
 * A registry CSV's rows as the text streams in, parsed by csv-parse (RFC 4180: quoted fields with "" escapes and
 * line breaks; CRLF, LF or CR, mixed too; a UTF-8 BOM). The separator is read off the first line. Rows whose cells
 * are all empty are skipped; each row carries the line it starts on.
 */
export async function* csvRows(text: AsyncIterable<string>): AsyncGenerator<CsvRow> {
  const chunks = text[Symbol.asyncIterator]();
  let head = "";
  let ended = false;
  while (!ended && !/[\r\n]/.test(head)) {
    const next = await chunks.next();
    if (next.done) ended = true;
    else head += next.value;
  }
  head = head.replace(/^\uFEFF/, "");
  const rows: CsvRow[] = [];
  let line = 1;
  const parser = parse({
    delimiter: separatorOf(head.split(/[\r\n]/, 1)[0] ?? ""),
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    raw: true,
    // Taken as parsed, in order, so the line count stands where a broken record starts.
    // With `raw`, csv-parse hands the record with its text (its types do not say so).
    on_record: (parsed: unknown) => {
      const { record, raw } = parsed as ParsedRecord;
      const start = line;
      line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
      if (record.some((c) => c.trim() !== "")) rows.push({ line: start, cells: record });
      return null;
    },
  });
  parser.on("error", () => undefined); // the write's or end's callback gets it
  parser.resume();
  const fail = (e: Error): ImportFileError =>
    new ImportFileError(
      e instanceof CsvError && e.code === "CSV_QUOTE_NOT_CLOSED"
        ? `line ${line}: a quoted field is not closed`
        : `line ${line}: ${e.message}`,
    );
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => parser.write(chunk, (e) => (e ? reject(fail(e)) : resolve())));
  await write(head);
  yield* rows.splice(0);
  for (let next = ended ? undefined : await chunks.next(); next && !next.done; next = await chunks.next()) {
    await write(next.value);
    yield* rows.splice(0);
  }
  await new Promise<void>((resolve, reject) => parser.end((e?: Error | null) => (e ? reject(fail(e)) : resolve())));
  yield* rows;
}

/** The header's column names as the importer matches them. */
export function headerOf(row: CsvRow): string[] {
  return row.cells.map((h) => h.trim().toLowerCase());
}

/** A data row as values by column name. */
export function recordOf(header: string[], row: CsvRow): RawRecord {
  return { line: row.line, values: Object.fromEntries(header.map((h, i) => [h, (row.cells[i] ?? "").trim()])) };
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
