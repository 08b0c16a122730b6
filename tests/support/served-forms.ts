// Posting forms to a file's own running server as a browser without JavaScript does (no redirects
// followed), reading its pages, and asking its database: for the hostile tests of one route.
import type { serverForFile } from "./server-for-file";

export type Answer = { status: number; location: string | null; retryAfter: string | null; body: string };

export function servedForms(files: ReturnType<typeof serverForFile>) {
  async function post(path: string, fields: Record<string, string | string[]>, cookie: string | null): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    const res = await fetch(`${files.server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...(cookie ? { Cookie: cookie } : {}) },
      body: body.toString(),
    });
    return { status: res.status, location: res.headers.get("location"), retryAfter: res.headers.get("retry-after"), body: await res.text() };
  }
  const get = async (path: string, cookie: string) => (await fetch(`${files.server.url}${path}`, { headers: { Cookie: cookie } })).text();
  const one = <T>(query: string, ...args: unknown[]) => files.sqlite.prepare(query).get(...args) as T;
  const count = (query: string, ...args: unknown[]) => one<{ n: number }>(query, ...args).n;
  return { post, get, one, count };
}
