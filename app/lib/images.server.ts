// Uploaded pictures (docs/decisions/016-images.md): checked by what they contain, never by their
// name or the type the browser claims; decoded and re-encoded by sharp (libvips) as WebP in two
// widths without any metadata; stored as files named after the hash of their content.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { retryAfterHeaders } from "./retry-after.server";
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
 * cache of decoded images in a long-running server, and one libvips thread per picture: the
 * queue below decides how many pictures are worked on at once (docs/decisions/019).
 */
function loadSharp() {
  loaded ??= import("sharp").then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
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

/**
 * Why a picture was not taken. `status` and `retryAfter` (seconds) are set when the queue had no
 * room for it (503) or its sender already has a picture there (429): "try again in a minute".
 */
export type ImageRefusal = { ok: false; error: MessageKey; status?: 429 | 503; retryAfter?: number };
export type ImageResult = { ok: true; image: ProcessedImage } | ImageRefusal;

/**
 * The queue for image work (docs/decisions/019-image-work-off-the-main-thread.md). Decoding and
 * encoding run on libvips's threads, never on the JavaScript thread; this decides how many run at
 * once and in which order. Two lanes by the picture's size as its header states it: at most one
 * large picture is worked on at a time (a 50 MP decode takes a few hundred MB), and the other slot
 * only ever takes small ones, so a small picture never waits behind another member's large ones.
 * Each lane holds a few waiting pictures; past that, and for a member who already has a picture
 * in the queue, the answer is "try again in a minute".
 */
export const imageQueueLimits = {
  /** Pictures worked on at once (the machine has 2 cores; each picture gets one libvips thread). */
  slots: 2,
  /** Up to this many pixels a picture is small: a second or less of work even on a busy machine. */
  smallPixels: 2_000_000,
  /** Waiting, besides the ones being worked on. */
  waitingLarge: 6,
  waitingSmall: 20,
  retryAfterSeconds: 60,
} as const;

type Turn = { large: boolean; start: () => void };

const waiting: { large: Turn[]; small: Turn[] } = { large: [], small: [] };
let running = 0;
let runningLarge = 0;
/** Pictures accepted and not yet done: reading their header, waiting, or being worked on. */
let admitted = 0;
const uploaders = new Set<string>();

/** Starts waiting pictures while a slot is free: a large one when none runs, else a small one. */
function startWaiting() {
  while (running < imageQueueLimits.slots) {
    const turn = runningLarge === 0 && waiting.large.length ? waiting.large.shift() : waiting.small.shift();
    if (!turn) return;
    running++;
    if (turn.large) runningLarge++;
    turn.start();
  }
}

/** Waits for a slot; resolves with a function that gives it back, or null if the request went away. */
function awaitTurn(large: boolean, signal: AbortSignal | undefined): Promise<(() => void) | null> {
  return new Promise((resolve) => {
    const lane = large ? waiting.large : waiting.small;
    const turn: Turn = {
      large,
      start: () => {
        signal?.removeEventListener("abort", leave);
        let done = false;
        resolve(() => {
          if (done) return;
          done = true;
          running--;
          if (large) runningLarge--;
          startWaiting();
        });
      },
    };
    const leave = () => {
      const at = lane.indexOf(turn);
      if (at >= 0) lane.splice(at, 1);
      resolve(null);
    };
    if (signal?.aborted) return resolve(null);
    signal?.addEventListener("abort", leave, { once: true });
    lane.push(turn);
    startWaiting();
  });
}

/** How a form answers with this refusal: 400, or 429/503 with Retry-After when the queue was busy. */
export function refusalInit(refusal: ImageRefusal): ResponseInit {
  return { status: refusal.status ?? 400, headers: refusal.retryAfter ? { "Retry-After": String(refusal.retryAfter) } : undefined };
}

/** A picture form's route exports this as `headers`, for the refusal's Retry-After. */
export const imageFormHeaders = retryAfterHeaders;

const busy = (error: MessageKey, status: 429 | 503): ImageRefusal => ({ ok: false, error, status, retryAfter: imageQueueLimits.retryAfterSeconds });

/** The numbers behind the queue, for tests and benchmarks. */
export function imageQueueState() {
  return { admitted, running, runningLarge, waitingLarge: waiting.large.length, waitingSmall: waiting.small.length, uploaders: uploaders.size };
}

export type ImageInput = Buffer | string;

export type ProcessOptions = {
  /** Who sent it (a member id): one picture per member in the queue at a time. */
  uploader?: string;
  /** The request's: a picture whose sender went away leaves the queue. */
  signal?: AbortSignal;
};

const inputOptions = { limitInputPixels: imageLimits.pixels, failOn: "error" } as const;

/**
 * Checks the picture (bytes, then header) and re-encodes it when its turn comes. `input` is the
 * file's content or the path of a file that holds it.
 */
export async function processImage(input: ImageInput, options: ProcessOptions = {}): Promise<ImageResult> {
  if (sizeOf(input) > imageLimits.bytes) return { ok: false, error: "image.tooLarge" };
  const { uploader, signal } = options;
  if (uploader && uploaders.has(uploader)) return busy("image.busy", 429);
  if (admitted >= imageQueueLimits.slots + imageQueueLimits.waitingLarge + imageQueueLimits.waitingSmall) return busy("image.queueFull", 503);
  admitted++;
  if (uploader) uploaders.add(uploader);
  try {
    const sharp = await loadSharp();
    const checked = await checkHeader(sharp, input);
    if (!checked.ok) return checked;
    const large = checked.pixels > imageQueueLimits.smallPixels;
    // Its lane is full: it would wait too long (a picture only waits while no slot is free for it).
    if (large ? waiting.large.length >= imageQueueLimits.waitingLarge : waiting.small.length >= imageQueueLimits.waitingSmall) return busy("image.queueFull", 503);
    const release = await awaitTurn(large, signal);
    // The sender went away while it waited: nobody reads this answer.
    if (!release) return busy("image.queueFull", 503);
    try {
      return await encode(sharp, input);
    } finally {
      release();
    }
  } finally {
    admitted--;
    if (uploader) uploaders.delete(uploader);
  }
}

function sizeOf(input: ImageInput) {
  if (typeof input !== "string") return input.length;
  try {
    return statSync(input).size;
  } catch {
    return 0;
  }
}

type Sharp = typeof import("sharp");

/**
 * The header first: format and size are known before a single pixel is decoded (so sharp's own
 * pixel limit is lifted here, to say which limit a picture is over). Cheap: no queue for this.
 */
async function checkHeader(sharp: Sharp, input: ImageInput): Promise<ImageRefusal | { ok: true; pixels: number }> {
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
  return { ok: true, pixels: width * height };
}

async function encode(sharp: Sharp, input: ImageInput): Promise<ImageResult> {
  try {
    // .rotate() applies the EXIF orientation; the output carries no metadata at all (no EXIF,
    // GPS, XMP, ICC, comments), because withMetadata() is never called. The picture is decoded
    // once: the small version is made from the large one.
    const largest = imageWidths[imageWidths.length - 1];
    const large = await sharp(input, inputOptions)
      .rotate()
      .resize({ width: largest, withoutEnlargement: true })
      .webp({ quality: imageLimits.quality })
      .timeout({ seconds: 30 })
      .toBuffer({ resolveWithObject: true });
    const files: { width: ImageWidth; data: Buffer }[] = [];
    for (const target of imageWidths) {
      if (target === largest) files.push({ width: target, data: large.data });
      // No bigger than the large one: the same file, as resizing would not change it.
      else if (large.info.width <= target) files.push({ width: target, data: large.data });
      else files.push({ width: target, data: await sharp(large.data).resize({ width: target }).webp({ quality: imageLimits.quality }).toBuffer() });
    }
    const hash = createHash("sha256");
    for (const file of files) hash.update(file.data);
    return { ok: true, image: { id: hash.digest("hex"), width: large.info.width, height: large.info.height, files } };
  } catch {
    // Cut off, corrupt pixel data, or a decoder that gave up.
    return { ok: false, error: isHeic(input) ? "image.heic" : "image.damaged" };
  }
}

/** An iPhone-style HEIC file (HEVC), by the brand in its ISO-BMFF `ftyp` box. */
function isHeic(input: ImageInput) {
  return /^ftyp(heic|heix|hevc|hevx|heim|heis)$/.test(firstBytes(input, 12).subarray(4, 12).toString("latin1"));
}

function firstBytes(input: ImageInput, n: number): Buffer {
  if (typeof input !== "string") return input.subarray(0, n);
  const bytes = Buffer.alloc(n);
  let fd: number | undefined;
  try {
    fd = openSync(input, "r");
    return bytes.subarray(0, readSync(fd, bytes, 0, n, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
  // Files this call put in place: when a later one fails (a full disk), they go again, so that no
  // half a picture stays behind (one that was there before, the same picture uploaded earlier, stays).
  const placed: string[] = [];
  for (const file of image.files) {
    const final = imagePath(image.id, file.width);
    const temporary = `${final}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      const existed = existsSync(final);
      writeFileSync(temporary, file.data, { flag: "wx" });
      renameSync(temporary, final);
      if (!existed) placed.push(final);
    } catch (error) {
      rmSync(temporary, { force: true });
      for (const done of placed) rmSync(done, { force: true });
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
