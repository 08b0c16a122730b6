// Forms that carry a picture: multipart/form-data, so that they work without JavaScript. The
// server lets these addresses send a larger body than other forms (app/server.ts).
import { data, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { readFormData } from "./forms";
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

const textFieldBytes = 100_000;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export type Upload = { data: Buffer } | { tooLarge: true } | null;

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

/**
 * The form's text fields, and the file sent in `fileField` (null when none was chosen). Plain
 * url-encoded forms are read as well: a form without a picture need not be multipart.
 */
export async function readUploadForm(request: Request, fileField: string): Promise<{ formData: FormData; upload: Upload }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) return { formData: await readFormData(request), upload: null };
  let upload: Upload = null;
  const handler: UploadHandler = async ({ name, filename, data: chunks }) => {
    if (typeof filename !== "string") {
      const text = await readPart(chunks, textFieldBytes);
      if (text === null) throw data("Dit formulier kon niet worden gelezen. / This form could not be read.", { status: 400 });
      // Browsers send UTF-8 from our pages; anything else is refused, not turned into "�".
      try {
        return strictUtf8.decode(text);
      } catch {
        throw data(`${translate("nl", "error.badEncoding")} / ${translate("en", "error.badEncoding")}`, { status: 400 });
      }
    }
    // Only the first file in the expected field counts; anything else is read and dropped.
    if (name !== fileField || upload) {
      await readPart(chunks, 0);
      return undefined;
    }
    const file = await readPart(chunks, imageLimits.bytes);
    // A file input left empty still sends a part, without a name and without content.
    if (file === null) upload = { tooLarge: true };
    else if (filename !== "" || file.length > 0) upload = { data: file };
    return undefined;
  };
  try {
    const formData = await unstable_parseMultipartFormData(request, handler);
    return { formData, upload };
  } catch (error) {
    if (error instanceof Response || (error && typeof error === "object" && "type" in error)) throw error;
    throw data("Dit formulier kon niet worden gelezen. / This form could not be read.", { status: 400 });
  }
}

/** The uploaded picture, checked and re-encoded (or why not); null when none was sent. */
export async function processUpload(upload: Upload): Promise<ImageResult | null> {
  if (!upload) return null;
  if ("tooLarge" in upload) return { ok: false, error: "image.tooLarge" };
  return processImage(upload.data);
}
