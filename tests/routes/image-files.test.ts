// Writing a picture's files when the disk refuses half-way (a full disk): nothing of it stays
// behind, not the width already written, not a temporary file; a picture that was there before
// (the same one uploaded earlier) is left alone.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { env } from "~/lib/env.server";
import { imagePath, processImage, writeImageFiles } from "~/lib/images.server";
import * as pictures from "../support/pictures";

async function picture(make: () => Promise<Buffer>) {
  const result = await processImage(await make());
  if (!result.ok) throw new Error(result.error);
  return result.image;
}

/** The large file's place taken by a folder with something in it: its rename fails, as on a full disk. */
function blockLargeFile(id: string) {
  const blocked = imagePath(id, 1200);
  mkdirSync(blocked, { recursive: true });
  writeFileSync(path.join(blocked, "x"), "x");
  return () => rmSync(blocked, { recursive: true, force: true });
}

describe("a picture whose files cannot all be written", () => {
  it("leaves no file of it behind", async () => {
    const image = await picture(() => pictures.png(700, 500));
    const unblock = blockLargeFile(image.id);
    try {
      expect(() => writeImageFiles(image)).toThrow();
      const left = readdirSync(env().imagesDir).filter((name) => name.startsWith(image.id) && name !== `${image.id}-1200.webp`);
      expect(left).toEqual([]);
    } finally {
      unblock();
    }
  });

  it("leaves a file that was there before", async () => {
    const image = await picture(() => pictures.webp(800, 400));
    mkdirSync(env().imagesDir, { recursive: true });
    writeFileSync(imagePath(image.id, 400), image.files.find((f) => f.width === 400)!.data);
    const unblock = blockLargeFile(image.id);
    try {
      expect(() => writeImageFiles(image)).toThrow();
      expect(readdirSync(env().imagesDir)).toContain(`${image.id}-400.webp`);
      expect(readdirSync(env().imagesDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    } finally {
      unblock();
    }
  });
});
