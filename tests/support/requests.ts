// Helpers for calling route loaders and actions directly with real Requests.
import type { AppLoadContext } from "@remix-run/node";
import { hashPassword, startAuthSession } from "~/lib/auth.server";
import { createMember } from "~/models/members.server";

export const origin = "http://localhost:3000";
export const context: AppLoadContext = { clientAddress: "127.0.0.1", nonce: "test" };

export function contextFor(clientAddress: string): AppLoadContext {
  return { clientAddress, nonce: "test" };
}

export function getRequest(path: string, init: { cookie?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(origin + path, { headers });
}

export function formRequest(path: string, fields: Record<string, string | string[]>, init: { cookie?: string; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded", Origin: origin, ...init.headers });
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(origin + path, { method: "POST", headers, body });
}

export type UploadFile = { name: string; type: string; data: Uint8Array };

/** A multipart/form-data POST, as a browser sends a form with a file input. */
export function multipartRequest(path: string, fields: Record<string, string>, files: Record<string, UploadFile | null>, init: { cookie?: string } = {}) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  for (const [key, file] of Object.entries(files)) {
    // A file input left empty sends an empty part without a file name.
    body.append(key, file ? new File([new Uint8Array(file.data)], file.name, { type: file.type }) : new File([], "", { type: "application/octet-stream" }));
  }
  const headers = new Headers({ Origin: origin });
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(origin + path, { method: "POST", headers, body });
}

/** The value of a Set-Cookie header as a Cookie request header ("name=value"). */
export function cookieFrom(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie header");
  return setCookie.split(";")[0];
}

let counter = 0;

/** A member with a login session, created through the models (fast, no HTTP). */
export async function memberWithSession(name = `Member ${++counter}`, extra: { organisation?: string } = {}) {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${counter}.${Date.now()}@example.org`;
  const id = createMember({ email, passwordHash: await hashPassword("a long enough password"), displayName: name, ...extra });
  const cookie = cookieFrom(await startAuthSession(id, new Request(origin)));
  return { id, email, cookie, displayName: name };
}

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

/** The status of whatever a loader or action returned or threw (Response, data() or plain). */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (result && typeof result === "object" && (result as DataResult).type === "DataWithResponseInit") {
    return (result as DataResult).init?.status ?? 200;
  }
  return 200;
}

export function dataOf<T = Record<string, unknown>>(result: unknown): T {
  if (result && typeof result === "object" && (result as DataResult).type === "DataWithResponseInit") {
    return (result as DataResult).data as T;
  }
  return result as T;
}

/** Runs a loader or action and returns what it returned or threw (redirects are thrown). */
export async function settle(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response || (thrown && typeof thrown === "object" && "type" in thrown)) return thrown;
    throw thrown;
  }
}
