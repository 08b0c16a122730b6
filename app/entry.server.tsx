import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { isStorageFault, logFault } from "~/lib/fault-log.server";
import { loaderDataScripts, pageResponse, withDataScripts } from "~/lib/html-stream.server";
import { NonceContext } from "~/lib/nonce";

// How long Remix waits for deferred loader data before it gives up on it (no loader defers any).
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
  // No page streams anything in later (no Suspense, no deferred data), so a page is rendered to one
  // string (docs/decisions/045-pages-rendered-to-a-string.md). Remix's loader data is read whole
  // first; without its stream, RemixServer renders no Suspense boundary for it, which the string
  // renderer could not wait for, and the same scripts are added to the page here.
  const data = await loaderDataScripts(remixContext.serverHandoffStream, nonce);
  // The event loop takes its turn before the render, as it did with React's stream renderer: made
  // in one go, every page of a burst would be made in turn while the rest wait unanswered outside
  // the server, instead of meeting the render gate (a few at a time, the rest a quick 503).
  await new Promise((resolve) => setImmediate(resolve));
  // React's string renderer leaves out the doctype its stream renderer writes before <html>.
  const html = "<!DOCTYPE html>" + renderToString(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={{ ...remixContext, serverHandoffStream: undefined }} url={request.url} nonce={nonce} />
    </NonceContext.Provider>,
  );
  // As Remix itself does: only a page that has <Scripts> gets its data.
  const page = remixContext.renderMeta?.didRenderScripts ? withDataScripts(html, data) : html;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return pageResponse(Buffer.from(page), { headers: responseHeaders, status: responseStatusCode });
}
