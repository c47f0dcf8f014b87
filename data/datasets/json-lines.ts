// Where each value of a JSON text starts, so a validation problem can name its line ("days.3.date" → line 42).
// A small strict JSON reader: it only locates; the value itself comes from JSON.parse.

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** The line (1-based) of every value in the text, by its path joined with dots ("" = the root). */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (what: string): never => {
    const found = i < text.length ? `'${text[i]}'` : "the end of the file";
    throw new JsonSyntaxError(`${what}, found ${found}`, line, i - lineStart + 1);
  };
  const space = () => {
    while (i < text.length && " \t\n\r\uFEFF".includes(text[i] ?? "")) {
      if (text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
      i++;
    }
  };
  const string = (): string => {
    const start = ++i;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n") fail("a line break inside a string");
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail("an unterminated string");
    i++;
    return JSON.parse(text.slice(start - 1, i)) as string;
  };
  const value = (path: string): void => {
    space();
    lines.set(path, line);
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail("expected a property name in double quotes");
        const key = string();
        space();
        if (text[i] !== ":") fail(`expected ':' after "${key}"`);
        i++;
        value(path ? `${path}.${key}` : key);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (let n = 0; ; n++) {
        value(path ? `${path}.${n}` : String(n));
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return void string();
    const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) fail("expected a value");
    i += literal?.[0].length ?? 0;
  };

  value("");
  space();
  if (i < text.length) fail("expected the end of the file");
  return lines;
}

/** The line of a path, or of its nearest parent that exists (a missing field is reported where its object is). */
export function lineOf(lines: ReadonlyMap<string, number>, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const found = lines.get(path.slice(0, n).map(String).join("."));
    if (found !== undefined) return found;
  }
  return undefined;
}
