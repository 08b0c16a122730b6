import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { isStorageFault, logFault } from "~/lib/fault-log.server";
import { pageResponse, wholeDocument } from "~/lib/html-stream.server";
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

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce;
  // The whole page is made before any of it is sent: no page streams anything in later (no
  // Suspense), and one buffer is far cheaper to compress and send than React's many small chunks
  // (docs/decisions/031-pages-sent-whole.md).
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    // A render that has not finished in time is given up. The timer is cleared as soon as the
    // render ends: left running, it would keep the whole render (React's state and the page) in
    // memory for seconds after the answer went out, over a thousand pages under load.
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = () => {
      ended = true;
      clearTimeout(timer);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} abortDelay={streamTimeout} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          end();
          const { sink, page } = wholeDocument();
          page.then((body) => {
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            resolve(pageResponse(body, { headers: responseHeaders, status: responseStatusCode }));
          }, reject);
          pipe(sink);
        },
        onShellError(error: unknown) {
          end();
          failed = true;
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (!failed && !request.signal.aborted) logFault(error);
        },
      },
    );
    if (!ended) timer = setTimeout(abort, streamTimeout + 1000);
  });
}
