import { data } from "@remix-run/node";

/** A positive integer id from the URL, or a 404 for anything else ("12abc", "-1", "1e3"). */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) throw data(null, { status: 404 });
  const id = Number(value);
  if (!Number.isSafeInteger(id)) throw data(null, { status: 404 });
  return id;
}
