import { describe, expect, it } from "vitest";
import { decodeFile, NOT_TEXT, type DecodedAs } from "../../../data/directory-import-decode.js";
import { csvRows, ImportFileError, type CsvRow } from "../../../data/directory-import-files.js";
import { toCp1251 } from "../../fixtures/cp1251.js";

const RU = "id,name_ru\r\nx-1,Городская поликлиника №5 «Ёлка»\r\n";

async function decode(...chunks: Uint8Array[]): Promise<{ text: string } & DecodedAs> {
  const found: DecodedAs = {};
  let text = "";
  for await (const s of decodeFile(chunks, found)) text += s;
  return { text, ...found };
}

describe("the registry file's encoding", () => {
  it("reads UTF-8 with or without a BOM", async () => {
    expect(await decode(Buffer.from(RU))).toEqual({ text: RU, encoding: "utf-8" });
    expect(await decode(Buffer.from(`\uFEFF${RU}`))).toEqual({ text: RU, encoding: "utf-8" });
  });

  it("reads Windows-1251 (Excel on Russian Windows) and says so, not mojibake", async () => {
    expect(await decode(toCp1251(RU))).toEqual({ text: RU, encoding: "windows-1251" });
  });

  it("decides on the first chunk with non-ASCII bytes; a UTF-8 character cut between chunks is whole", async () => {
    const ascii = Buffer.from("id,name_ru\n");
    const cp = toCp1251("x,Поликлиника\n");
    expect(await decode(ascii, cp)).toEqual({ text: "id,name_ru\nx,Поликлиника\n", encoding: "windows-1251" });
    const utf8 = Buffer.from("x,Поликлиника\n");
    expect(await decode(ascii, utf8.subarray(0, 4), utf8.subarray(4))).toEqual({
      text: "id,name_ru\nx,Поликлиника\n",
      encoding: "utf-8",
    });
  });

  it("refuses UTF-16, binary, Latin text and a file that changes encoding midway", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RU, "utf16le")]);
    await expect(decode(utf16)).rejects.toThrow(NOT_TEXT);
    await expect(decode(Buffer.from(RU, "utf16le"))).rejects.toThrow(NOT_TEXT); // no BOM: NUL bytes
    await expect(decode(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).rejects.toThrow(
      NOT_TEXT,
    );
    // Latin-1 accents read as cp1251 are mostly not letters.
    await expect(decode(Buffer.from("x,Caf\xe9 \xa9 \xb0 \xb1 \xd7\n", "latin1"))).rejects.toThrow(NOT_TEXT);
    await expect(decode(Buffer.from("x,Поликлиника\n"), toCp1251("y,Поликлиника\n"))).rejects.toThrow(NOT_TEXT);
  });
});

/** All the rows of a CSV given as these chunks. */
async function rowsOf(...chunks: string[]): Promise<CsvRow[]> {
  async function* source() {
    for (const c of chunks) yield c;
  }
  const rows: CsvRow[] = [];
  for await (const row of csvRows(source())) rows.push(row);
  return rows;
}

describe("a registry CSV read as it streams in (csv-parse)", () => {
  it('gives the same records wherever the chunks are cut (CRLF, "" and quoted line breaks across cuts)', async () => {
    const text = 'a;b\r\n"x ""1""\r\ny";2\r\n\r\nq;"z"\r\n';
    const expected = await rowsOf(text);
    expect(expected).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ['x "1"\r\ny', "2"] },
      { line: 5, cells: ["q", "z"] },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await rowsOf(text.slice(0, cut), text.slice(cut))).toEqual(expected);
    }
  });

  it("takes the separator from the first line, a BOM, LF, CR and mixed line ends; skips rows of blanks", async () => {
    expect(await rowsOf('\uFEFFid,name\n1,"a; b"\r2,c\r\n , \n3,d')).toEqual([
      { line: 1, cells: ["id", "name"] },
      { line: 2, cells: ["1", "a; b"] },
      { line: 3, cells: ["2", "c"] },
      { line: 5, cells: ["3", "d"] },
    ]);
    expect(await rowsOf("id")).toEqual([{ line: 1, cells: ["id"] }]);
    expect(await rowsOf("")).toEqual([]);
  });

  it("says on which line a quoted field is left open", async () => {
    await expect(rowsOf('id;name\n1;ok\n2;"open\n3;x\n')).rejects.toThrow(
      new ImportFileError("line 3: a quoted field is not closed"),
    );
  });
});
