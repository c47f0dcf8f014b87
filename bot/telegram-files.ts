import type { Api } from "grammy";

/** The file was larger than the caller accepts (its size was unknown, or wrong, before the download). */
export class FileTooLarge extends Error {}

/**
 * Downloads a file a person sent, by its id, from the Bot API this bot talks to (its own apiRoot, so the emulator
 * in tests), up to `maxBytes`. The token is part of the URL: errors carry neither the URL nor the token.
 */
export async function downloadFile(api: Api, fileId: string, maxBytes: number): Promise<Buffer> {
  const file = await api.getFile(fileId);
  if (!file.file_path) throw new Error("the Bot API gave no file path");
  if ((file.file_size ?? 0) > maxBytes) throw new FileTooLarge("file too large");
  const root = (api.options?.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  let res: Response;
  try {
    res = await fetch(`${root}/file/bot${api.token}/${file.file_path}`, { signal: AbortSignal.timeout(20_000) });
  } catch {
    throw new Error("file download failed");
  }
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new FileTooLarge("file too large");
  return bytes;
}
