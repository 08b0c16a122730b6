// Forms that carry a picture: multipart/form-data, so that they work without JavaScript. The
// server lets these addresses send a larger body than other forms, only with a login session, and
// takes it in whole onto disk before the action runs (app/server.ts, `saveBody`); the action
// streams it from there, the picture goes to a temporary file of its own, never whole into
// memory, and the image queue reads it from there (app/lib/images.server.ts).
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import path from "node:path";
import { data } from "@remix-run/node";
import { env } from "./env.server";
import { formFieldLimit, formRefusal, readFormData } from "./forms";
import { translate } from "./i18n";
import { imageLimits, processImage, type ImageResult } from "./images.server";

// Room for the picture plus the form's text fields (an initiative's description is at most 20,000
// characters); anything bigger is refused by the server before it is read.
export const uploadBodyBytes = imageLimits.bytes + 512 * 1024;

// The pages whose forms carry a picture, also as Remix's data requests (".data").
const uploadPaths = /^\/(initiatives\/new|initiatives\/\d+\/edit|settings\/profile)(\.data)?$/;

export function acceptsUpload(pathname: string) {
  return uploadPaths.test(pathname);
}

/** One text field, and all text fields of the form together (kept in memory, unlike the picture). */
const textFieldBytes = 100_000;
const textBytes = 256 * 1024;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The picture sent with a form: a temporary file (removed when the request ends), or why not. */
export type Upload = { file: string; bytes: number } | { tooLarge: true } | null;

async function readPart(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | null> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    // Past the limit the rest is read and dropped, so the other fields still arrive.
    if (size <= limit) parts.push(chunk);
  }
  return size > limit ? null : Buffer.concat(parts);
}

/** Writes a part to a new temporary file as it comes in; null (and no file) past `limit` bytes. */
async function savePart(chunks: AsyncIterable<Uint8Array>, limit: number, keep: (file: string) => void): Promise<{ file: string; bytes: number } | null> {
  const dir = env().temporaryDir;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomBytes(12).toString("hex")}.upload`);
  keep(file);
  const handle = await open(file, "wx", 0o600);
  let bytes = 0;
  // Written a quarter of a megabyte at a time: the network hands over small pieces.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length && (await handle.writev(pending)).bytesWritten !== pendingBytes) throw new Error("short write");
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const chunk of chunks) {
      bytes += chunk.byteLength;
      // Past the limit the rest is read and dropped, so the other fields still arrive.
      if (bytes > limit) continue;
      pending.push(chunk);
      if ((pendingBytes += chunk.byteLength) >= 256 * 1024) await flush();
    }
    if (bytes <= limit) await flush();
  } finally {
    await handle.close();
  }
  if (bytes > limit) {
    await rm(file, { force: true });
    return null;
  }
  return { file, bytes };
}

/**
 * A whole request body written to a new temporary file as it comes in (its size is bounded by the
 * server's reader): app/server.ts takes a picture form's body in whole before the request may wait
 * for a place to be made (docs/decisions/057-bodies-in-whole-before-a-render-place.md). `keep`
 * learns the file's name before it is made, so that the caller removes it whatever happens.
 */
export async function saveBody(chunks: AsyncIterable<Uint8Array>, keep: (file: string) => void): Promise<{ file: string; bytes: number }> {
  return (await savePart(chunks, Number.POSITIVE_INFINITY, keep))!;
}

const unreadable = () => data("Dit formulier kon niet worden gelezen. / This form could not be read.", { status: 400 });

class MalformedForm extends Error {}

type Part = { name: string; filename: string | undefined; data: AsyncIterable<Buffer> };

/**
 * Reads a multipart/form-data body part by part, as it comes in, and hands each part's bytes to
 * `onPart` before it reads on. The boundaries are found with Buffer.indexOf (native code): a
 * picture of 5 MB costs a few milliseconds of the main thread, not a second as a parser in
 * JavaScript does. Throws MalformedForm on anything a browser would not send.
 */
async function readMultipart(body: ReadableStream<Uint8Array>, boundary: string, onPart: (part: Part) => Promise<void>) {
  const reader = body.getReader();
  // A CRLF in front, so that the first boundary looks like every other one.
  let buffer: Buffer = Buffer.from("\r\n");
  const more = async () => {
    const { done, value } = await reader.read();
    if (done) throw new MalformedForm("cut off");
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
  };
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The preamble, up to the first boundary.
  for (let at = buffer.indexOf(delimiter); ; at = buffer.indexOf(delimiter)) {
    if (at !== -1) {
      buffer = buffer.subarray(at + delimiter.length);
      break;
    }
    if (buffer.length > 64 * 1024) throw new MalformedForm("no boundary");
    await more();
  }
  for (;;) {
    while (buffer.length < 2) await more();
    // The closing boundary: what follows (a line end, an epilogue nobody sends) is read and dropped.
    if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
      for (let rest = 0, next = await reader.read(); !next.done; next = await reader.read()) {
        if ((rest += next.value.byteLength) > 64 * 1024) throw new MalformedForm("epilogue too long");
      }
      return;
    }
    let headersEnd: number;
    while ((headersEnd = buffer.indexOf("\r\n\r\n")) === -1) {
      if (buffer.length > 16 * 1024) throw new MalformedForm("headers too long");
      await more();
    }
    if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) throw new MalformedForm("no line end after the boundary");
    const headers = buffer.subarray(2, headersEnd).toString("utf8");
    buffer = buffer.subarray(headersEnd + 4);
    const disposition = /^content-disposition:\s*form-data\s*(;.*)$/im.exec(headers)?.[1];
    if (!disposition) throw new MalformedForm("no content-disposition");
    const parameters = new Map<string, string>();
    for (const m of disposition.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)) {
      parameters.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]);
    }
    const name = parameters.get("name");
    if (name === undefined) throw new MalformedForm("no name");
    const filename = parameters.get("filename")?.split(/[/\\]/).pop();
    let done = false;
    async function* partData(): AsyncGenerator<Buffer> {
      for (;;) {
        const at = buffer.indexOf(delimiter);
        if (at !== -1) {
          const last = buffer.subarray(0, at);
          buffer = buffer.subarray(at + delimiter.length);
          done = true;
          if (last.length) yield last;
          return;
        }
        // Keep what may be the start of a boundary; hand on the rest.
        const keep = Math.min(buffer.length, delimiter.length - 1);
        if (buffer.length > keep) {
          const ready = buffer.subarray(0, buffer.length - keep);
          buffer = buffer.subarray(buffer.length - keep);
          yield ready;
        }
        await more();
      }
    }
    const data = partData();
    await onPart({ name, filename, data });
    // A part its reader left unfinished is read to its end.
    if (!done) for await (const _ of data);
  }
}

/**
 * The form's text fields, and the file sent in `fileField` (null when none was chosen). Plain
 * url-encoded forms are read as well: a form without a picture need not be multipart. The file
 * is removed when the request ends (its signal aborts: the server does that when the answer has
 * gone out), and at once when the form cannot be read.
 */
export async function readUploadForm(request: Request, fileField: string): Promise<{ formData: FormData; upload: Upload }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return { formData: await readFormData(request), upload: null };
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s"]{1,70}))/i.exec(type);
  if (!boundary || !request.body) throw unreadable();
  const formData = new FormData();
  let upload: Upload = null;
  let fields = 0;
  let text = 0;
  const files: string[] = [];
  // Once the request is over (or the form unreadable), a file made after all is removed at once.
  let over = false;
  const removeFiles = () => {
    over = true;
    for (const file of files.splice(0)) rmSync(file, { force: true });
  };
  if (request.signal.aborted) over = true;
  request.signal.addEventListener("abort", removeFiles, { once: true });
  const onPart = async ({ name, filename, data: chunks }: Part) => {
    if (++fields > formFieldLimit) throw formRefusal("form.tooManyFields", 413);
    if (filename === undefined) {
      const value = await readPart(chunks, textFieldBytes);
      if (value === null) throw unreadable();
      text += value.length;
      if (text > textBytes) throw formRefusal("form.tooLarge", 413);
      // Browsers send UTF-8 from our pages; anything else is refused, not turned into "�".
      try {
        formData.append(name, strictUtf8.decode(value));
      } catch {
        throw data(`${translate("nl", "error.badEncoding")} / ${translate("en", "error.badEncoding")}`, { status: 400 });
      }
      return;
    }
    // Only the first file in the expected field counts; anything else is read and dropped.
    if (name !== fileField || upload) return void (await readPart(chunks, 0));
    if (over) throw unreadable();
    const saved = await savePart(chunks, imageLimits.bytes, (file) => files.push(file));
    if (over) {
      if (saved) rmSync(saved.file, { force: true });
      throw unreadable();
    }
    // A file input left empty still sends a part, without a name and without content.
    if (saved === null) upload = { tooLarge: true };
    else if (filename !== "" || saved.bytes > 0) upload = saved;
    else await rm(saved.file, { force: true });
  };
  try {
    await readMultipart(request.body, boundary[1] ?? boundary[2], onPart);
    return { formData, upload };
  } catch (error) {
    removeFiles();
    if (error instanceof Response || (error && typeof error === "object" && "type" in error)) throw error;
    throw unreadable();
  }
}

/** The uploaded picture, checked and re-encoded (or why not); null when none was sent. */
/** Removes an upload's temporary file when the form is refused before the picture is read. */
export function discardUpload(upload: Upload) {
  if (upload && "file" in upload) rmSync(upload.file, { force: true });
}

export async function processUpload(upload: Upload, options?: Parameters<typeof processImage>[1]): Promise<ImageResult | null> {
  if (!upload) return null;
  if ("tooLarge" in upload) return { ok: false, error: "image.tooLarge" };
  try {
    return await processImage(upload.file, options);
  } finally {
    rmSync(upload.file, { force: true });
  }
}

/**
 * Removes temporary files older than `olderThanMs`, left by a server that stopped in the middle
 * of an upload (a picture takes at most UPLOAD_TIMEOUT_MS to come in, and is removed when its
 * request ends). The server runs it at start and every hour.
 */
export function sweepTemporaryUploads(olderThanMs = 60 * 60_000) {
  const dir = env().temporaryDir;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (name.endsWith(".upload") && Date.now() - statSync(file).mtimeMs > olderThanMs) rmSync(file, { force: true });
    } catch {
      // Gone already.
    }
  }
}
