// Resolving InputFile parameters (upload, attach://, file_id, URL) into stored files.
import type { Document, PhotoSize } from "grammy/types";
import { badRequest } from "../errors.js";
import type { FileKind } from "../files.js";
import type { UploadedFile } from "../multipart.js";
import type { Params } from "../params.js";
import type { State } from "../state.js";
import type { StoredFile } from "../types.js";

const MIME: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  txt: "text/plain",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  zip: "application/zip",
  webp: "image/webp",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  mp4: "video/mp4",
};

export function mimeOf(fileName: string | undefined, given?: string): string | undefined {
  if (given && given !== "application/octet-stream") return given;
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? "")?.[1]?.toLowerCase();
  return (ext && MIME[ext]) ?? given;
}

export function resolveFile(state: State, p: Params, name: string, kind: FileKind): StoredFile {
  return resolveFileValue(state, p.file(name), name, kind);
}

export function resolveFileValue(
  state: State,
  v: UploadedFile | string | undefined,
  name: string,
  kind: FileKind,
): StoredFile {
  if (v === undefined) throw badRequest(`there is no ${name} in the request`);
  if (typeof v !== "string") {
    if (v.data.length === 0) throw badRequest(`file must be non-empty`);
    const mime = mimeOf(v.filename, v.contentType);
    return state.files.add({
      kind,
      data: v.data,
      file_name: v.filename,
      ...(mime !== undefined ? { mime_type: mime } : {}),
    });
  }
  const known = state.files.get(v);
  if (known) return known;
  if (/^https?:\/\//.test(v)) {
    // Telegram would download the URL; we never touch the network and store a stub instead.
    const fileName = decodeURIComponent(v.split("?")[0]?.split("/").pop() ?? "") || undefined;
    const mime = mimeOf(fileName);
    return state.files.add({
      kind,
      size: 2048,
      ...(fileName !== undefined ? { file_name: fileName } : {}),
      ...(mime !== undefined ? { mime_type: mime } : {}),
    });
  }
  throw badRequest("wrong file identifier/HTTP URL specified");
}

export function asDocument(f: StoredFile): Document {
  return {
    file_id: f.file_id,
    file_unique_id: f.file_unique_id,
    file_size: f.file_size,
    ...(f.file_name !== undefined ? { file_name: f.file_name } : {}),
    ...(f.mime_type !== undefined ? { mime_type: f.mime_type } : {}),
  };
}

/** Telegram answers a photo with several sizes; smaller ones are separate downloadable files. */
export function photoSizes(state: State, largest: StoredFile): PhotoSize[] {
  const small = [90, 320].map((w) => {
    const size = Math.max(1, Math.round((largest.file_size * w) / 1280));
    const f = state.files.add({ kind: "photo", size, mime_type: "image/jpeg" });
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: size,
      width: w,
      height: Math.round((w * 3) / 4),
    };
  });
  return [
    ...small,
    {
      file_id: largest.file_id,
      file_unique_id: largest.file_unique_id,
      file_size: largest.file_size,
      width: 1280,
      height: 960,
    },
  ];
}
