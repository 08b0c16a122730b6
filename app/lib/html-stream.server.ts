// A page is made whole before any of it is sent (docs/decisions/031-pages-sent-whole.md): React's
// stream is collected as bytes and joined once. Two flaws of React 18's HTML are mended on the
// joined page, so that pages are valid documents:
// - React writes a page's `</body></html>` with the shell, and Remix's data scripts (streamed
//   loader data) come after it ("Stray start tag script" to a validator). The closing tags are
//   moved to the very end, so the data scripts end up inside <body>.
// - When a character of more than one byte does not fit at the end of React's 2,048-byte buffer,
//   React sends the whole buffer, unused last byte included: a NUL in the page (fixed in React
//   19). A raw NUL is never valid in HTML (text and scripts escape it), so every one is dropped.
// Both work on bytes: the closing tags are ASCII and a 0 byte is never part of a UTF-8 character,
// so a character split between two chunks needs no care.
import { Writable } from "node:stream";

const closing = Buffer.from("</body></html>");

/** The page with every NUL byte dropped: the parts between them copied whole. */
function withoutNul(page: Buffer): Buffer {
  let at = page.indexOf(0);
  if (at < 0) return page;
  // Asked byte by byte (a filter), a page of a megabyte with NULs took a tenth of a second and more.
  const parts: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    parts.push(page.subarray(from, at));
    from = at + 1;
    at = page.indexOf(0, from);
  }
  parts.push(page.subarray(from));
  return Buffer.concat(parts);
}

/** The page with its first closing tags moved to the end and every NUL byte dropped. */
export function mendDocument(page: Buffer): Buffer {
  const mended = withoutNul(page);
  const at = mended.indexOf(closing);
  if (at < 0 || at === mended.length - closing.length) return mended;
  return Buffer.concat([mended.subarray(0, at), mended.subarray(at + closing.length), closing]);
}

/** A stream to pipe React's page into, and the whole page, mended, once React has written it all. */
export function wholeDocument(): { sink: Writable; page: Promise<Buffer> } {
  const chunks: Buffer[] = [];
  let sink!: Writable;
  const page = new Promise<Buffer>((resolve, reject) => {
    sink = new Writable({
      // React hands over each chunk once and does not write into it again: kept as it is.
      decodeStrings: true,
      // React takes the sink's "close" for a reader gone early: it made two errors with their
      // stacks for every page after it was whole. The sink is only ever ended by React itself.
      emitClose: false,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        resolve(mendDocument(Buffer.concat(chunks)));
        callback();
      },
    });
    sink.once("error", reject);
  });
  return { sink, page };
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
