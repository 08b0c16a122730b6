// Real picture files for upload tests, made with sharp on the spot: good ones in every accepted
// format, and each kind of bad file the upload must refuse.
import { deflateSync } from "node:zlib";
import sharp from "sharp";

const solid = (width: number, height: number, background = "#c0503a") =>
  sharp({ create: { width, height, channels: 3, background }, limitInputPixels: false });

/** A phone-like photo: 2400×1600 stored sideways (EXIF orientation 6), with camera and GPS data. */
export function phonePhoto() {
  return solid(2400, 1600)
    .composite([{ input: { create: { width: 800, height: 400, channels: 3, background: "#1f6f5c" } }, left: 0, top: 0 }])
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: "Fotofabriek", Model: "Zakcamera 3", Copyright: "Anna Geheimhouder" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 5/1 21/1", GPSLongitudeRef: "E", GPSLongitude: "4/1 54/1 3/1" },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export const png = (width = 900, height = 600) => solid(width, height, "#336699").png().toBuffer();
export const webp = (width = 640, height = 480) => solid(width, height, "#996633").webp().toBuffer();
/** HEIF with AV1 inside (AVIF): the kind of HEIF the prebuilt libvips reads. */
export const heif = () => solid(500, 500, "#663399").heif({ compression: "av1" }).toBuffer();
/**
 * An iPhone-style HEIC (brand "heic", HEVC inside) as far as a file can be made here: there is
 * no HEVC encoder, so it is an AVIF relabelled, which no decoder reads either.
 */
export async function iphoneHeic() {
  const file = Buffer.from(await heif());
  const relabel = (from: string, to: string) => {
    for (let i = file.indexOf(from); i >= 0; i = file.indexOf(from, i + 4)) file.write(to, i, "latin1");
  };
  relabel("avif", "heic");
  relabel("av01", "hvc1");
  relabel("av1C", "hvcC");
  return file;
}
export const gif = () => solid(300, 200).gif().toBuffer();

/** The first 60% of a real JPEG, as when an upload is cut off. */
export async function truncatedJpeg() {
  const whole = await solid(1600, 1200).composite([{ input: { create: { width: 1600, height: 600, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } }, top: 600, left: 0 }]).jpeg().toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

/** A Linux executable's header, as if someone renamed a program to photo.jpg. */
export function elfExecutable() {
  const header = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
  return Buffer.concat([header, Buffer.alloc(4088, 0x90)]);
}

/** A Windows executable (MZ … PE) renamed to .jpg. */
export function windowsExecutable() {
  const file = Buffer.alloc(4096, 0);
  file.write("MZ", 0, "latin1");
  file.writeUInt32LE(0x80, 0x3c);
  file.write("PE\0\0", 0x80, "latin1");
  file.write("This program cannot be run in DOS mode.", 0x4e, "latin1");
  return file;
}

/** A decompression bomb: 9,000×9,000 pixels (81 million, 243 MB decoded) in a file of a few hundred KB. */
export const pixelBomb = () => solid(9000, 9000, "#ffffff").png({ compressionLevel: 9 }).toBuffer();

/** A tiny PNG whose header claims 30,000×30,000 pixels. */
export function declaredGiantPng() {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  // One row of zeros; the rest of the 900 million pixels are missing.
  const idat = deflateSync(Buffer.alloc(30_001));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

/** 20,000 pixels wide (and 40 high): a real, small PNG that is simply too wide. */
export const tooWide = () => solid(20_000, 40, "#eeeeee").png().toBuffer();

/** A real photo of about 6 MB: noise does not compress. */
export const sixMegabytes = () =>
  sharp({ create: { width: 1800, height: 1200, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 80 } } }).png({ compressionLevel: 0 }).toBuffer();

/** An SVG with a script in it, named photo.jpg. */
export const svgWithScript = () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');

function crc32(data: Buffer) {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}
