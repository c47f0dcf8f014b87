import { describe, expect, it } from "vitest";
import { parseFind } from "../../../bot/features/staff/find.js";
import { decisionDay, effectiveDate } from "../../../data/repositories/decisions.js";
import { csvText, textCell, toCsv } from "../../../data/repositories/export.js";
import { IN_CAMPAIGN_UTC } from "../../dates.js";

describe("/find takes one unambiguous form of each key (R18)", () => {
  it("R18: 12 digits are an IIN; fewer or more digits are nothing (never a Telegram id)", () => {
    expect(parseFind("061211600012")).toEqual({ by: "iin", iin: "061211600012" });
    expect(parseFind("0612")).toBeNull();
    expect(parseFind("612")).toBeNull();
    expect(parseFind("0612116000123")).toBeNull();
    // Spaced or dashed as copied from a document.
    expect(parseFind("0612 1160 0012")).toEqual({ by: "iin", iin: "061211600012" });
    expect(parseFind("061211-600012")).toEqual({ by: "iin", iin: "061211600012" });
  });

  it("a request number in either case; a Telegram id only written as one", () => {
    expect(parseFind("a-2026-000123")).toEqual({ by: "number", number: "A-2026-000123" });
    expect(parseFind("A-2026-12")).toBeNull();
    for (const s of ["id 612", "id:612", "ID: 612", "id=612", "id612"])
      expect(parseFind(s), s).toEqual({ by: "user", userId: 612 });
    expect(parseFind("id 0")).toBeNull();
    expect(parseFind("id abc")).toBeNull();
    expect(parseFind("")).toBeNull();
    expect(parseFind("Иванов")).toBeNull();
  });
});

describe("CSV for Excel and LibreOffice with Russian or Kazakh settings", () => {
  it("separates by ';' (quoting a ';' in a value), keeps the BOM and CRLF", () => {
    const buf = toCsv(
      ["Номер", "Емхана"],
      [
        ["A-1", "Қалалық емхана; №1"],
        ["A-2", "a, b"],
      ],
    );
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString("utf8")).toBe('Номер;Емхана\r\nA-1;"Қалалық емхана; №1"\r\nA-2;"a, b"\r\n');
  });

  it('R18: an IIN is written as ="…" so its leading zero survives; only digits take that form', () => {
    const row = (cell: Parameters<typeof csvText>[0]) =>
      toCsv(["x"], [[cell]])
        .subarray(3)
        .toString("utf8");
    expect(row(textCell("061211600012"))).toBe('x\r\n"=""061211600012"""\r\n');
    // Anything else stays a plain (defused) string: the text form is no way to smuggle a formula in.
    expect(textCell('1"+HYPERLINK(1)')).toBe('1"+HYPERLINK(1)');
    expect(csvText(textCell("=1+1"))).toBe("'=1+1");
    expect(csvText("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvText(-5)).toBe("-5");
    expect(csvText(null)).toBe("");
  });
});

describe("R8/R17: the day an approval 'on the decision' takes effect", () => {
  it("R17: the Almaty day of the decision, also in the five hours when UTC is still on the day before", () => {
    expect(decisionDay("2026-03-09T20:30:00.000Z")).toBe("2026-03-10");
    expect(decisionDay("2026-03-10T12:00:00.000Z")).toBe("2026-03-10");
  });

  it("R8: approved without a stored date: the decision day; a stored date (R7) wins; open requests keep theirs", () => {
    expect(effectiveDate({ status: "approved", effective_from: null, decided_at: "2026-03-09T20:30:00.000Z" })).toBe(
      "2026-03-10",
    );
    expect(effectiveDate({ status: "approved", effective_from: "2027-01-01", decided_at: IN_CAMPAIGN_UTC })).toBe(
      "2027-01-01",
    );
    expect(effectiveDate({ status: "pending", effective_from: null, decided_at: null })).toBeNull();
    expect(
      effectiveDate({ status: "rejected", effective_from: null, decided_at: "2026-03-09T20:30:00.000Z" }),
    ).toBeNull();
  });
});
