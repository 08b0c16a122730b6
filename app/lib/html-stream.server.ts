// A page is made whole before any of it is sent (docs/decisions/031-pages-sent-whole.md), rendered
// by React to one string (docs/decisions/040-pages-rendered-to-a-string.md). Mended so that pages
// are valid documents:
// - React writes a page's `</body></html>` with the root's own elements, and Remix's data scripts
//   (the loaders' data for the browser) after them ("Stray start tag script" to a validator). The
//   closing tags are moved to the very end, so the data scripts end up inside <body>.
// - A raw NUL is never valid in HTML (text and scripts escape it; React 18's byte stream once left
//   one where a character did not fit its buffer): any that reaches a page is dropped.

const closing = Buffer.from("</body></html>");

/**
 * The page as bytes, with its first closing tags moved to the end and every NUL dropped. Worked
 * on the bytes: React's string is made of thousands of pieces, and is joined only once, by the
 * encoding (the closing tags are ASCII and a 0 byte is never part of a UTF-8 character).
 */
export function mendDocument(html: string): Buffer {
  let mended = Buffer.from(html);
  if (mended.includes(0)) mended = Buffer.from(mended.filter((byte) => byte !== 0));
  const at = mended.indexOf(closing);
  if (at < 0 || at === mended.length - closing.length) return mended;
  return Buffer.concat([mended.subarray(0, at), mended.subarray(at + closing.length), closing]);
}

// The page a response was made from, so that the server sends those bytes without reading them
// back out of the response's stream. A Response made from bytes copies them at once; made from a
// stream that hands over the page when read, it copies nothing. Kept on the response itself (not
// in a WeakMap), so that the page goes with it in the young generation's collections.
const wholePage = Symbol("wholePage");
type WithPage = Response & { [wholePage]?: Buffer };

export function pageResponse(page: Buffer, init: ResponseInit): Response {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(page);
      controller.close();
    },
  });
  const response: WithPage = new Response(body, init);
  response[wholePage] = page;
  return response;
}

/** The bytes of a page made by `pageResponse`, if this is that response and its body is unread. */
export function wholePageOf(response: Response): Buffer | undefined {
  const page = (response as WithPage)[wholePage];
  return page && !response.bodyUsed ? page : undefined;
}

/** The bytes of a page: those it was made from, or else read from the response. */
export async function pageBytes(response: Response): Promise<Buffer> {
  return wholePageOf(response) ?? Buffer.from(await response.arrayBuffer());
}
