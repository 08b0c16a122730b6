// A page is rendered to one string and sent whole (docs/decisions/031-pages-sent-whole.md,
// 045-pages-rendered-to-a-string.md). Remix's loader data, which it would stream into the page
// through a Suspense boundary (StreamTransfer), is read whole before the render and written as
// the same scripts, inside <body>: the data is JSON text read by the page's script, escaped so
// that nothing in it can end the script element.

const closing = "</body></html>";
const scriptEscapes: Record<string, string> = { "&": "\\u0026", ">": "\\u003e", "<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** A string as a JavaScript string literal that is safe inside a <script> element. */
function scriptString(text: string) {
  return JSON.stringify(text).replace(/[&><\u2028\u2029]/g, (c) => scriptEscapes[c]);
}

/** The scripts that hand the whole of Remix's loader data stream to the page's script. */
export async function loaderDataScripts(stream: ReadableStream<Uint8Array> | undefined, nonce: string): Promise<string> {
  if (!stream) return "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let scripts = "";
  for (;;) {
    const { done, value } = await reader.read();
    const text = decoder.decode(value, { stream: !done });
    if (text) scripts += `<script nonce="${nonce}">window.__remixContext.streamController.enqueue(${scriptString(text)});</script>`;
    if (done) break;
  }
  return `${scripts}<script nonce="${nonce}">window.__remixContext.streamController.close();</script>`;
}

/** The page with the data scripts as the last elements of its <body>. */
export function withDataScripts(html: string, scripts: string): string {
  const at = html.lastIndexOf(closing);
  return at < 0 ? html + scripts : html.slice(0, at) + scripts + html.slice(at);
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
