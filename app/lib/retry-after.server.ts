// A refusal that asks to come back later (429, 503) says when in Retry-After. Remix lets an
// action's headers reach the page it answers with only through the route's `headers` export, so a
// form whose action may refuse so exports this as `headers`.
import { data, type HeadersFunction } from "@remix-run/node";
import type { MessageKey } from "./i18n";

export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

/**
 * The 429 "too many attempts, try again in `minutes`" of a form, with Retry-After, and `extra`
 * (what was typed, to give back) beside its error and minutes.
 */
export function limitedRefusal<T extends object = object, K extends MessageKey = "auth.rateLimited">(minutes: number, extra: T = {} as T, key: K = "auth.rateLimited" as K) {
  return data(
    { ...extra, errors: { form: key }, retryAfter: minutes },
    { status: 429, headers: minutes > 0 ? { "Retry-After": String(minutes * 60) } : undefined },
  );
}
