// Preview cards for shared links: when a link to an initiative, a session or a member is pasted in
// a chat app, the app fetches the page's og:image. Pages without a picture of their own get a
// generated card (1200 × 630, the size those apps expect): the title, a line or two of when and
// where, and the name of the network. Drawn as SVG, turned into PNG by sharp; kept in memory by
// content, so a card is drawn once until its text changes.
import { createHash } from "node:crypto";

export const previewSize = { width: 1200, height: 630 };

export type PreviewCard = { kicker: string; title: string; lines: string[] };

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/** Words onto lines of at most `width` characters; at most `max` lines, the last one cut with "…". */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1].slice(0, width - 1).replace(/\s+\S*$/, "")}…`;
  return kept;
}

export function previewSvg(card: PreviewCard): string {
  const { width, height } = previewSize;
  const title = wrap(card.title, 26, 3);
  const font = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
  const titleTop = 225;
  const titleLine = 72;
  const detailTop = titleTop + title.length * titleLine + 30;
  const details = card.lines.flatMap((l) => wrap(l, 52, 1)).slice(0, 2);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <rect width="${width}" height="${height}" fill="#fbfaf7"/>
  <rect width="24" height="${height}" fill="#1f6f5c"/>
  <text x="90" y="125" font-family="${font}" font-size="34" font-weight="bold" fill="#1f6f5c">${escapeXml(card.kicker)}</text>
  ${title.map((line, i) => `<text x="90" y="${titleTop + i * titleLine}" font-family="${font}" font-size="58" font-weight="bold" fill="#1d2521">${escapeXml(line)}</text>`).join("\n  ")}
  ${details.map((line, i) => `<text x="90" y="${detailTop + i * 50}" font-family="${font}" font-size="38" fill="#4f5b55">${escapeXml(line)}</text>`).join("\n  ")}
  <text x="${width - 70}" y="${height - 45}" text-anchor="end" font-family="${font}" font-size="34" font-weight="bold" fill="#1f6f5c">Meedoen</text>
</svg>`;
}

const kept = new Map<string, Buffer>();
const maxKept = 200;

/** The card as PNG, and a tag that changes when it does. */
export async function previewPng(card: PreviewCard): Promise<{ png: Buffer; etag: string }> {
  const svg = previewSvg(card);
  const etag = `"${createHash("sha256").update(svg).digest("base64url").slice(0, 22)}"`;
  let png = kept.get(etag);
  if (!png) {
    // Loaded on first use: libvips is large, and most of the time nobody shares a link.
    const { default: sharp } = await import("sharp");
    png = await sharp(Buffer.from(svg)).png({ compressionLevel: 9, palette: true }).toBuffer();
    kept.set(etag, png);
    if (kept.size > maxKept) kept.delete(kept.keys().next().value!);
  }
  return { png, etag };
}

/** The HTTP answer for a card (304 when the chat app already has it). */
export async function previewResponse(request: Request, card: PreviewCard): Promise<Response> {
  const { png, etag } = await previewPng(card);
  const headers = { "Content-Type": "image/png", "Cache-Control": "public, max-age=3600", ETag: etag };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(png), { headers });
}
