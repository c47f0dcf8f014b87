// Hand-written multipart/form-data parser (RFC 7578). Bodies are small and already buffered, so a
// two-pointer scan over one Buffer is enough. It accepts grammY's compact headers
// (`content-disposition:form-data;name="x";filename=a b.pdf`, unquoted filename) as well as curl's.

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartResult {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

export function parseMultipart(body: Buffer, boundary: string): MultipartResult {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(dash);
  if (pos < 0) throw new Error("multipart: opening boundary not found");
  pos += dash.length;
  for (;;) {
    // After a boundary: "--" closes the body, CRLF starts a part.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw new Error("multipart: part headers not terminated");
    const headers = parseHeaders(body.subarray(pos, headerEnd).toString("utf8"));
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(delimiter, dataStart);
    if (dataEnd < 0) throw new Error("multipart: closing boundary not found");
    const data = body.subarray(dataStart, dataEnd);
    const disposition = parseDisposition(headers.get("content-disposition") ?? "");
    const name = disposition.get("name");
    if (name !== undefined) {
      const filename = disposition.get("filename*") ?? disposition.get("filename");
      if (filename !== undefined) {
        files.set(name, {
          field: name,
          filename,
          contentType: headers.get("content-type") ?? "application/octet-stream",
          data: Buffer.from(data),
        });
      } else {
        fields[name] = data.toString("utf8");
      }
    }
    pos = dataEnd + delimiter.length;
  }
  return { fields, files };
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** `form-data; name="a"; filename="b"` → Map{name→a, filename→b}. Quoted values may contain `;`. */
export function parseDisposition(value: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = value.indexOf(";");
  if (i < 0) return out;
  i += 1;
  while (i < value.length) {
    while (value[i] === " " || value[i] === ";") i += 1;
    const eq = value.indexOf("=", i);
    if (eq < 0) break;
    const key = value.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    let v: string;
    if (value[j] === '"') {
      let s = "";
      j += 1;
      while (j < value.length && value[j] !== '"') {
        if (value[j] === "\\" && j + 1 < value.length) j += 1;
        s += value[j];
        j += 1;
      }
      // Browsers and undici percent-encode these three inside quoted names (WHATWG form encoding).
      v = s.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
      j += 1;
    } else if (key === "filename") {
      // grammY writes the filename unquoted and last, so it may contain ';': take the rest.
      v = value.slice(j).trim();
      j = value.length;
    } else {
      const end = value.indexOf(";", j);
      v = value.slice(j, end < 0 ? value.length : end).trim();
      j = end < 0 ? value.length : end;
    }
    out.set(key, key === "filename*" ? decodeExtValue(v) : v);
    i = j;
  }
  return out;
}

/** RFC 5987 `UTF-8''na%C3%AFve.txt`. */
function decodeExtValue(v: string): string {
  const m = /^[^']*'[^']*'(.*)$/.exec(v);
  if (!m?.[1]) return v;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
