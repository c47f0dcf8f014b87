import type { i18n } from "i18next";

/**
 * A text with values, split once into its literal parts and its `{{name}}` / `{{name, format}}` slots. i18next
 * resolves the key, scans the text with its regular expressions and copies the call's options again on every call;
 * a step's texts are the same for every person, only the values change. This does, for the texts and calls it
 * accepts, exactly what i18next does (as configured in bot/i18n.ts: values escaped for HTML, `ru` the fallback, no
 * nesting or post-processors), and gives every other call back to i18next.
 */
type Part = string | { name: string; format?: string };

/**
 * Every name i18next reads from a call's options or its own (i18next 26, read off its source), and any `defaultValue…`:
 * a call that passes one of them is i18next's to answer. Other names a text does not use, i18next ignores.
 */
const OPTION_NAMES: ReadonlySet<string> = new Set([
  "appendNamespaceToCIMode",
  "appendNamespaceToMissingKey",
  "applyPostProcessor",
  "backend",
  "cacheInBuiltFormats",
  "cleanCode",
  "context",
  "contextSeparator",
  "count",
  "debug",
  "defaultNS",
  "defaultValue",
  "detection",
  "fallbackLng",
  "fallbackNS",
  "forkResourceStore",
  "formatParams",
  "i18nResolved",
  "ignoreJSONStructure",
  "initAsync",
  "interpolation",
  "interpolationkey",
  "isClone",
  "joinArrays",
  "keyPrefix",
  "keySeparator",
  "lng",
  "lngs",
  "load",
  "locale",
  "lowerCaseLng",
  "maxParallelReads",
  "maxRetries",
  "missingInterpolationHandler",
  "missingKeyHandler",
  "missingKeyNoValueFallbackToKey",
  "nest",
  "nonExplicitSupportedLngs",
  "ns",
  "nsSeparator",
  "ordinal",
  "overloadTranslationOptionHandler",
  "parseMissingKeyHandler",
  "partialBundledLanguages",
  "pluralSeparator",
  "postProcess",
  "postProcessPassResolved",
  "precheck",
  "prefix",
  "preload",
  "prepend",
  "range",
  "reload",
  "replace",
  "resources",
  "retryTimeout",
  "returnDetails",
  "returnEmptyString",
  "returnNull",
  "returnObjects",
  "returnedObjectHandler",
  "saveMissing",
  "saveMissingPlurals",
  "saveMissingTo",
  "silent",
  "skipCopy",
  "skipInterpolation",
  "split",
  "supportedLngs",
  "updateMissing",
  "userDefinedKeySeparator",
  "userDefinedNsSeparator",
]);
const isOptionName = (name: string) => OPTION_NAMES.has(name) || name.startsWith("defaultValue");

/** i18next's escaping of a value for `escapeValue: true`. */
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "/": "&#x2F;",
};
const escapeValue = (s: string) => s.replace(/[&<>"'/]/g, (c) => ENTITIES[c] ?? c);

/** The parts of a text, or null when it needs more than plain slots (nesting, unescaped or dotted names). */
export function compileTemplate(text: string): Part[] | null {
  if (text.includes("$t(") || text.includes("{{-")) return null;
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{(.+?)\}\}/g)) {
    const inner = (m[1] ?? "").trim();
    const comma = inner.indexOf(",");
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || isOptionName(name)) return null;
    parts.push(text.slice(last, m.index));
    parts.push(comma < 0 ? { name } : { name, format: inner.slice(comma + 1).trim() });
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

type Values = Record<string, unknown>;
interface Compiled {
  parts: Part[];
  names: Set<string>;
}

/**
 * Fills compiled texts of one language, or answers undefined (the caller asks i18next): a key that is not a plain
 * text, a value missing or not a string or number, an option of i18next's among the names.
 */
export function templateFiller(
  instance: i18n,
  lng: string,
  fallback: string,
): (key: string, values: Values) => string | undefined {
  const compiled = new Map<string, Compiled | null>();
  const formatter = instance.services.formatter;
  const fill = ({ parts, names }: Compiled, values: Values): string | undefined => {
    // A name the text does not use is ignored, unless it is one of i18next's options.
    for (const n in values) if (n !== "lng" && !names.has(n) && isOptionName(n)) return undefined;
    let out = "";
    for (const part of parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(values, part.name)) return undefined;
      let value = values[part.name];
      if (typeof value !== "string" && typeof value !== "number") return undefined;
      if (part.format !== undefined) {
        if (!formatter) return undefined;
        value = formatter.format(value, part.format, lng, { ...values, lng, interpolationkey: part.name });
      }
      const s = value == null ? "" : String(value);
      // i18next never nests what a value brings in, but how it tells is its own: such calls are left to it.
      if (s.includes("$t(")) return undefined;
      out += escapeValue(s);
    }
    return out;
  };
  return (key, values) => {
    if (key.includes(":") || (values.lng !== undefined && values.lng !== lng)) return undefined;
    let entry = compiled.get(key);
    if (entry === undefined) {
      const text = instance.getResource(lng, "translation", key) ?? instance.getResource(fallback, "translation", key);
      const parts = typeof text === "string" ? compileTemplate(text) : null;
      entry = parts && {
        parts,
        names: new Set(parts.flatMap((p) => (typeof p === "string" ? [] : [p.name]))),
      };
      compiled.set(key, entry);
    }
    return entry ? fill(entry, values) : undefined;
  };
}
