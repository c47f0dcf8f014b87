import { GrammyError, HttpError } from "grammy";

/**
 * What went wrong with one message, for the recipient row and the log: Telegram's error code and the kind of its
 * description ("400 bad request: chat not found"), or the network error's class. Only the first two parts of the
 * description are kept and numbers are masked: the rest may quote the message being sent.
 */
export function errorClass(e: unknown): string {
  if (e instanceof GrammyError) {
    const kind = e.description
      .split(":")
      .slice(0, 2)
      .join(":")
      .toLowerCase()
      .replace(/\d+/g, "N")
      .replace(/[^a-z_':N -]/g, "")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 80);
    return kind ? `${e.error_code} ${kind}` : String(e.error_code);
  }
  if (e instanceof HttpError) return `network ${e.error instanceof Error ? e.error.name : "error"}`;
  return e instanceof Error ? e.name : "unknown";
}
