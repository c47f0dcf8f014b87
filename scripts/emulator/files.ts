// File storage for both directions: uploads by the bot and files "sent" by scripted users.
// Ids imitate Telegram's: long base64url strings with a per-type prefix, short unique ids, paths by folder.
import { randomBytes } from "node:crypto";
import type { StoredFile } from "./types.js";

export type FileKind = "photo" | "document" | "sticker" | "voice" | "video" | "audio" | "animation";

const PREFIX: Record<FileKind, string> = {
  photo: "AgACAgIAAxkBAA",
  document: "BQACAgIAAxkBAA",
  sticker: "CAACAgIAAxkBAA",
  voice: "AwACAgIAAxkBAA",
  video: "BAACAgIAAxkBAA",
  audio: "CQACAgIAAxkBAA",
  animation: "CgACAgIAAxkBAA",
};
const FOLDER: Record<FileKind, [string, string]> = {
  photo: ["photos", "jpg"],
  document: ["documents", "dat"],
  sticker: ["stickers", "webp"],
  voice: ["voice", "oga"],
  video: ["videos", "mp4"],
  audio: ["music", "mp3"],
  animation: ["animations", "mp4"],
};

/** Telegram refuses getFile above 20 MB for bots. */
export const GET_FILE_LIMIT = 20 * 1024 * 1024;

export interface NewFile {
  kind: FileKind;
  /** Actual bytes, or just a declared size (bytes are then generated on download). */
  data?: Buffer;
  size?: number;
  mime_type?: string;
  file_name?: string;
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  add(f: NewFile): StoredFile {
    this.counter += 1;
    const n = this.counter;
    const [folder, defaultExt] = FOLDER[f.kind];
    const ext = /\.([a-z0-9]{1,8})$/i.exec(f.file_name ?? "")?.[1]?.toLowerCase() ?? defaultExt;
    const data = f.data;
    const size = data?.length ?? f.size ?? 1024;
    let cached = data;
    const file: StoredFile = {
      file_id: PREFIX[f.kind] + n.toString(36).padStart(3, "0") + randomBytes(42).toString("base64url"),
      file_unique_id: "AgAD" + randomBytes(9).toString("base64url"),
      file_path: `${folder}/file_${n}.${ext}`,
      file_size: size,
      ...(f.mime_type !== undefined ? { mime_type: f.mime_type } : {}),
      ...(f.file_name !== undefined ? { file_name: f.file_name } : {}),
      bytes: () => (cached ??= Buffer.alloc(size, n % 251)),
    };
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  byFilePath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }
}
