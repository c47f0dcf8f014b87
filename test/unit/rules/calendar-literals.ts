import ts from "typescript";

// R10: finds calendar days written into code — what a holiday list in code looks like — so a test can keep rules/
// free of them: every day off, campaign window and effective day is data.

export interface CalendarLiteral {
  line: number;
  text: string;
}

const MONTH = "(0[1-9]|1[0-2])";
const DAY = "(0[1-9]|[12]\\d|3[01])";
/** "08-30", "2025-08-30", `${year}-08-30`: month-day in ISO order. */
const ISO_MONTH_DAY = new RegExp(`(?<!\\d)${MONTH}-${DAY}(?!\\d)`);
/** "30.08", "30.08.2025": day.month as written in Russian and Kazakh. */
const DOTTED_DAY_MONTH = new RegExp(`(?<![\\d.])${DAY}\\.${MONTH}(?![\\d])`);
const MONTH_NAMES =
  /(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|january|february|march|april|may|june|july|august|september|october|november|december)/i;
const DAY_WITH_MONTH = new RegExp(`(?<!\\d)([1-9]|[12]\\d|3[01])\\s+${MONTH_NAMES.source}`, "i");

/** Calls that build a day from numbers: new Date(…), Date.UTC(…), formatDate(…), isValidDate(…)… */
const DATE_CALL = /date|utc|day/i;
const isNumber = (n: ts.Node | undefined): n is ts.NumericLiteral => n !== undefined && ts.isNumericLiteral(n);
const validMonthDay = (m: number, d: number) => m >= 0 && m <= 12 && d >= 1 && d <= 31;

function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  return ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
    ? p.name.text
    : undefined;
}

/**
 * Calendar days in the code of one TypeScript source (comments are not code and are skipped):
 * month-day text in strings and templates ("08-30", `${y}-03-15`, "30.08", "30 августа"),
 * objects with a numeric month and day ({ month: 8, day: 30 }), and Date-like calls with a numeric month and day
 * (new Date(2027, 2, 15), Date.UTC(y, 7, 30), formatDate(y, 8, 30)).
 */
export function calendarLiterals(source: string, fileName = "source.ts"): CalendarLiteral[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: CalendarLiteral[] = [];
  const add = (node: ts.Node) =>
    found.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: node.getText(file) });
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const t = node.text;
      if (ISO_MONTH_DAY.test(t) || DOTTED_DAY_MONTH.test(t) || DAY_WITH_MONTH.test(t)) add(node);
    } else if (ts.isObjectLiteralExpression(node)) {
      const value = (names: string[]) => {
        const p = node.properties.find((q) => names.includes(propertyName(q) ?? ""));
        return p && ts.isPropertyAssignment(p) && isNumber(p.initializer) ? Number(p.initializer.text) : undefined;
      };
      const m = value(["month", "m", "mon"]);
      const d = value(["day", "d"]);
      if (m !== undefined && d !== undefined && validMonthDay(m, d)) add(node);
    } else if (
      (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
      DATE_CALL.test(node.expression.getText(file))
    ) {
      const [, m, d] = node.arguments ?? [];
      if (isNumber(m) && isNumber(d) && validMonthDay(Number(m.text), Number(d.text))) add(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
