// The images table and the files that belong to it. A row is shared by everything that shows the
// same picture (covers, avatars) and removed, with its files, as soon as nothing uses it any more.
//
// Writing files and changing rows happens in one synchronous stretch of code (better-sqlite3 is
// synchronous, and so are the file calls here), so no other request can remove a file between
// the moment it is written and the moment a row refers to it.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { images } from "../../db/schema";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { imageNamePattern, type ImageRef } from "~/lib/images";
import { removeImageFiles, removeStrayImageFile, writeImageFiles, type ProcessedImage } from "~/lib/images.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Records the picture (once, however often it is uploaded); call inside the transaction that uses it. */
export function recordImage(tx: Tx, image: ImageRef) {
  tx.insert(images).values({ id: image.id, width: image.width, height: image.height }).onConflictDoNothing().run();
}

/**
 * Writes the picture's files and runs `use` (which must be synchronous and record the picture);
 * afterwards, and when `use` throws, the files and row go again unless something shows them.
 */
export function withImageFiles<T>(image: ProcessedImage | null, use: (ref: ImageRef | null) => T): T {
  if (!image) return use(null);
  writeImageFiles(image);
  try {
    return use({ id: image.id, width: image.width, height: image.height });
  } finally {
    // Gone again unless `use` made something show it (it may also have decided not to).
    releaseImages([image.id]);
  }
}

export function imageRef(id: string | null): ImageRef | null {
  if (!id) return null;
  return db().select({ id: images.id, width: images.width, height: images.height }).from(images).where(sql`${images.id} = ${id}`).get() ?? null;
}

function inUse(id: string): boolean {
  return !!db().get(sql`
    SELECT 1 WHERE EXISTS (SELECT 1 FROM initiatives WHERE cover_image = ${id})
      OR EXISTS (SELECT 1 FROM members WHERE avatar_image = ${id})`);
}

/** Removes pictures nothing refers to any more (row and files); call after the change committed. */
export function releaseImages(ids: (string | null | undefined)[]) {
  for (const id of new Set(ids)) {
    if (!id || inUse(id)) continue;
    db().delete(images).where(sql`${images.id} = ${id}`).run();
    removeImageFiles(id);
  }
}

/**
 * At start, before any upload: removes what an interrupted upload may have left behind (a
 * temporary file, files without a row, a row nothing uses).
 */
/** When a file in the pictures folder was written (never, if it cannot be read: then it stays). */
function modifiedAt(name: string) {
  try {
    return statSync(path.join(env().imagesDir, name)).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

export function sweepImages() {
  const unused = db().all<{ id: string }>(sql`
    SELECT id FROM images i
    WHERE NOT EXISTS (SELECT 1 FROM initiatives WHERE cover_image = i.id)
      AND NOT EXISTS (SELECT 1 FROM members WHERE avatar_image = i.id)`);
  releaseImages(unused.map((r) => r.id));
  let names: string[];
  try {
    names = readdirSync(env().imagesDir);
  } catch {
    return;
  }
  const known = new Set(db().all<{ id: string }>(sql`SELECT id FROM images`).map((r) => r.id));
  // A database that knows no picture at all while pictures lie here is not this folder's (a
  // restore gone wrong, another network's folder): remove nothing.
  if (!known.size && names.some((name) => imageNamePattern.test(name))) {
    console.warn(`[images] the database knows no pictures, but ${env().imagesDir} holds some: none removed.`);
    return;
  }
  // Only what this database may have written: nothing older than its first account (such a file
  // is another network's, or from before this database was made).
  const since = db().get<{ first: number | null }>(sql`SELECT min(created_at) AS first FROM members`).first ?? Number.POSITIVE_INFINITY;
  for (const name of names) {
    const match = imageNamePattern.exec(name);
    if (match && known.has(match[1])) continue;
    if (!match && !name.endsWith(".tmp")) continue;
    if (modifiedAt(name) < since) continue;
    removeStrayImageFile(name);
  }
}
