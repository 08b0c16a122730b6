import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { isStorageFault, logFault } from "~/lib/fault-log.server";
import { mendDocument, pageResponse } from "~/lib/html-stream.server";
import { NonceContext } from "~/lib/nonce";

export const streamTimeout = 5_000;

/**
 * What reaches the server log: real faults, with their stack. An address that does not exist (a
 * 404 the router answers) and a reader who went away before the page was sent are not faults;
 * logging a stack for each filled the log under any crawler or load test.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  // The server answers that page itself, with what happened (app/server.ts).
  if (isStorageFault(error) && context.faults) context.faults.storage = true;
  logFault(error);
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce;
  // The whole page is made before any of it is sent: no page streams anything in later (no
  // Suspense, no deferred data). Its data is read first, so that React renders it in one go to a
  // string, which costs half of what its byte stream did (docs/decisions/040-pages-rendered-to-a-string.md).
  await readPageData(remixContext);
  const html = renderToString(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceContext.Provider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return pageResponse(mendDocument(`<!DOCTYPE html>${html}`), { headers: responseHeaders, status: responseStatusCode });
}

/**
 * Reads the data Remix writes into the page (its loaders' results, encoded for the browser) to the
 * end, and hands it to Remix's render as already read. Remix's own render reads it chunk by chunk
 * while React waits at a Suspense boundary for each; a render to a string cannot wait, so without
 * this the page would have no data.
 */
async function readPageData(context: EntryContext) {
  const stream = context.serverHandoffStream;
  if (!stream) return;
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const chunks: Record<number, { result: { done: boolean; value: string } }> = {};
  for (let i = 0; ; i++) {
    const { done, value } = await reader.read();
    chunks[i] = { result: { done, value: decoder.decode(value, { stream: !done }) } };
    if (done) break;
  }
  // Remix takes a reader of its own when it renders: the stream, read to its end, is let go.
  reader.releaseLock();
  (context.renderMeta as { streamCache?: typeof chunks }).streamCache = chunks;
}
