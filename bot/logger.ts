import pino, { type Logger } from "pino";

export type { Logger };

// Personal data must never reach logs: redact the fields where it could hide.
const REDACT = [
  "*.iin",
  "*.text",
  "*.first_name",
  "*.last_name",
  "*.username",
  "*.phone_number",
  "*.file_id",
  "*.caption",
  "*.location",
  "iin",
  "text",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: "[redacted]" }, base: { app: "emhana" } }, destination);
}

/**
 * `parent.child(bindings)`, made when first used: most updates log nothing, and pino passes a child's bindings
 * through the redaction as it makes it (a few kilobytes of garbage an update).
 */
export function lazyChild(parent: Logger, bindings: pino.Bindings): Logger {
  let child: Logger | undefined;
  return new Proxy(parent, {
    get(_, prop) {
      child ??= parent.child(bindings);
      const value: unknown = Reflect.get(child, prop, child);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(child) : value;
    },
    set(_, prop, value) {
      child ??= parent.child(bindings);
      return Reflect.set(child, prop, value, child);
    },
  });
}
