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
