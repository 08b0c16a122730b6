// Addresses of stored pictures, shared by the server (which serves them) and the pages (which
// show them). Each picture is stored in two widths; see docs/decisions/016-images.md.

export const imageWidths = [400, 1200] as const;
/** The largest file accepted (a phone photo is 2–5 MB); checked in the browser too, with JavaScript. */
export const imageMaxBytes = 5 * 1024 * 1024;
export type ImageWidth = (typeof imageWidths)[number];

/** What a page needs to show a picture; width and height are those of the large version. */
export type ImageRef = { id: string; width: number; height: number };

export const imageNamePattern = /^([0-9a-f]{64})-(400|1200)\.webp$/;

export function imageFileName(id: string, width: ImageWidth) {
  return `${id}-${width}.webp`;
}

export function imageUrl(id: string, width: ImageWidth) {
  return `/images/${imageFileName(id, width)}`;
}

/** `srcset` for a picture: the small version, and the large one when it is any larger. */
export function imageSrcSet(image: ImageRef) {
  const small = `${imageUrl(image.id, 400)} ${Math.min(image.width, 400)}w`;
  return image.width > 400 ? `${small}, ${imageUrl(image.id, 1200)} ${image.width}w` : small;
}
