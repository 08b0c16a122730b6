// Uploaded pictures (docs/decisions/016-images.md): checked by what they contain, never by their
// name or the type the browser claims; decoded and re-encoded by sharp (libvips) as WebP in two
// widths without any metadata; stored as files named after the hash of their content.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Metadata } from "sharp";
import { env } from "./env.server";
import { imageFileName, imageMaxBytes, imageWidths, type ImageWidth } from "./images";
import type { MessageKey } from "./i18n";

export const imageLimits = {
  bytes: imageMaxBytes,
  // Of the picture itself: wider or higher is refused before it is decoded.
  side: 10_000,
  // 50 megapixels: a 48 MP phone camera still fits, a decompression bomb does not.
  pixels: 50_000_000,
  quality: 80,
} as const;

// The formats people's phones and computers make. libvips reads more (GIF, TIFF, SVG, PDF…);
// each extra decoder is attack surface, so everything else is refused before decoding.
const acceptedFormats = new Set(["jpeg", "png", "webp", "heif"]);

let loaded: Promise<typeof import("sharp")> | undefined;

/**
 * sharp, loaded on the first upload: libvips is large, and most requests carry no picture. No
 * cache of decoded images in a long-running server, and one picture at a time (below): a 50 MP
 * picture takes a few hundred MB while it is decoded, and the machine has 2 cores.
 */
function loadSharp() {
  loaded ??= import("sharp").then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

export type ProcessedImage = {
  /** SHA-256 of both encoded files: the same picture gets the same name. */
  id: string;
  /** Of the large version. */
  width: number;
  height: number;
  files: { width: ImageWidth; data: Buffer }[];
};

export type ImageResult = { ok: true; image: ProcessedImage } | { ok: false, error: MessageKey };

let queue: Promise<unknown> = Promise.resolve();

/** Runs one image job after the other, so that two uploads never decode at the same time. */
function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  const result = queue.then(job, job);
  queue = result.catch(() => undefined);
  return result;
}

const inputOptions = { limitInputPixels: imageLimits.pixels, failOn: "error" } as const;

export function processImage(input: Buffer): Promise<ImageResult> {
  return oneAtATime(() => checkAndEncode(input));
}

async function checkAndEncode(input: Buffer): Promise<ImageResult> {
  if (input.length > imageLimits.bytes) return { ok: false, error: "image.tooLarge" };
  // The header first: format and size are known before a single pixel is decoded (so sharp's
  // own pixel limit is lifted here, to say which limit a picture is over).
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, error: isHeic(input) ? "image.heic" : "image.notAnImage" };
  }
  if (!acceptedFormats.has(metadata.format)) return { ok: false, error: "image.unsupported" };
  const { width, height } = metadata;
  if (!width || !height) return { ok: false, error: "image.notAnImage" };
  if (width > imageLimits.side || height > imageLimits.side) return { ok: false, error: "image.tooWide" };
  if (width * height > imageLimits.pixels) return { ok: false, error: "image.tooManyPixels" };
  // HEIC photos are HEVC inside; the prebuilt libvips reads AV1-compressed HEIF only (patents).
  if (metadata.format === "heif" && metadata.compression === "hevc") return { ok: false, error: "image.heic" };

  try {
    // .rotate() applies the EXIF orientation; the output carries no metadata at all (no EXIF,
    // GPS, XMP, ICC, comments), because withMetadata() is never called.
    const source = sharp(input, inputOptions).rotate().timeout({ seconds: 30 });
    const files = await Promise.all(
      imageWidths.map(async (target) => {
        const { data, info } = await source
          .clone()
          .resize({ width: target, withoutEnlargement: true })
          .webp({ quality: imageLimits.quality })
          .toBuffer({ resolveWithObject: true });
        return { width: target, data, info };
      }),
    );
    const large = files[files.length - 1].info;
    const hash = createHash("sha256");
    for (const file of files) hash.update(file.data);
    return {
      ok: true,
      image: { id: hash.digest("hex"), width: large.width, height: large.height, files: files.map(({ width, data }) => ({ width, data })) },
    };
  } catch {
    // Cut off, corrupt pixel data, or a decoder that gave up.
    return { ok: false, error: isHeic(input) ? "image.heic" : "image.damaged" };
  }
}

/** An iPhone-style HEIC file (HEVC), by the brand in its ISO-BMFF `ftyp` box. */
function isHeic(input: Buffer) {
  return /^ftyp(heic|heix|hevc|hevx|heim|heis)$/.test(input.subarray(4, 12).toString("latin1"));
}

export function imagePath(id: string, width: ImageWidth): string {
  return path.join(env().imagesDir, imageFileName(id, width));
}

/**
 * Writes the files under a temporary name each, then renames them into place: a reader never
 * sees half a file. Synchronous on purpose, so that the caller can record the image in the
 * database in the same tick and nothing can remove the files in between.
 */
export function writeImageFiles(image: ProcessedImage) {
  mkdirSync(env().imagesDir, { recursive: true });
  for (const file of image.files) {
    const final = imagePath(image.id, file.width);
    const temporary = `${final}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      writeFileSync(temporary, file.data, { flag: "wx" });
      renameSync(temporary, final);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

export function removeImageFiles(id: string) {
  for (const width of imageWidths) rmSync(imagePath(id, width), { force: true });
}

/** A file in the images folder that no row refers to (a name checked by the caller). */
export function removeStrayImageFile(name: string) {
  rmSync(path.join(env().imagesDir, path.basename(name)), { force: true });
}
