// The parts of the map on initiative and member pages are images of their own (ADR 042): drawn
// once per part of a counted overview, and sent as an SVG file that the browser keeps. Drawn in
// the page, the 12 organisations of a busy initiative with their 66 lines cost the page more than
// everything else on it together, with its layout sent along for React to draw it again.
import { createHash } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { data } from "@remix-run/node";
import { MapPicture, type MapPictureRef } from "~/components/network";
import type { MapLayout } from "./network-layout";

type Drawn = { svg: Buffer; etag: string; version: string };
// A layout is kept (per part, per counted overview) until the network is counted again, so its
// drawing is kept with it and goes when it goes.
const drawings = new WeakMap<MapLayout, Drawn>();

function drawn(layout: MapLayout): Drawn {
  let known = drawings.get(layout);
  if (!known) {
    const svg = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${renderToStaticMarkup(<MapPicture layout={layout} />)}`);
    const version = createHash("sha256").update(svg).digest("base64url").slice(0, 16);
    known = { svg, version, etag: `"${version}"` };
    drawings.set(layout, known);
  }
  return known;
}

/** Where a page finds the picture of `layout`, served at `path`: its address names its version. */
export function mapPictureRef(layout: MapLayout, path: string): MapPictureRef {
  return { src: `${path}?v=${drawn(layout).version}`, width: layout.width, height: layout.height, organisations: layout.nodes.length, links: layout.links.length };
}

/**
 * The picture as an answer: kept by the browser for good when asked for by its current version
 * (a new count gives it a new address), asked again otherwise. "Private": what a member sees can
 * include organisations that show themselves to members only.
 */
export function mapPictureResponse(request: Request, layout: MapLayout | null): Response {
  if (!layout) throw data(null, { status: 404 });
  const { svg, etag, version } = drawn(layout);
  const current = new URL(request.url).searchParams.get("v") === version;
  const headers = { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": current ? "private, max-age=31536000, immutable" : "private, no-cache", ETag: etag };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(svg), { headers });
}
