/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/node";

declare module "@remix-run/node" {
  // What the HTTP server hands every loader and action (app/server.ts).
  interface AppLoadContext {
    clientAddress: string;
    nonce: string;
    /** The HTTP method of the request (a loader run after a form post sees "POST"). */
    method?: string;
    /** A request of the page's own JavaScript for a route's data (`….data`), not a page someone opened. */
    dataRequest?: boolean;
    /** Set while the request is handled: a write failed on the disk or the database file. */
    faults?: { storage: boolean };
  }
  interface Future {
    v3_singleFetch: true;
  }
}
