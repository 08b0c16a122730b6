import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/**
 * The loader of a route that is only there for its action (sign up for a session, flag, …): a
 * visitor who opens its address is sent on to the page it belongs to. But when the action
 * refuses a form posted without JavaScript, Remix renders this route (with its loader) to show
 * why; then the loader must stay put, or the refusal would turn into a silent redirect. The HTTP
 * server tells the loader the request's method (app/server.ts).
 */
export function toPageUnlessPosted(context: AppLoadContext, to: string) {
  // With JavaScript, Remix asks for this route's data after a refused post (to show the refusal):
  // a redirect there would swallow it, so only a person opening the address is sent on.
  if (context.dataRequest) return null;
  return context.method && context.method !== "GET" && context.method !== "HEAD" ? null : redirect(to);
}
