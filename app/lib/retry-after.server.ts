// A refusal that asks to come back later (429, 503) says when in Retry-After. Remix lets an
// action's headers reach the page it answers with only through the route's `headers` export, so a
// form whose action may refuse so exports this as `headers`.
import type { HeadersFunction } from "@remix-run/node";

export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

/** The answer's init for a refusal "try again in `minutes`". */
export function limitedInit(minutes: number) {
  return { status: 429, headers: minutes > 0 ? { "Retry-After": String(minutes * 60) } : undefined };
}
