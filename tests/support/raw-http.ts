// A request with exactly the headers given (fetch adds and forbids some, such as Host and Origin
// rules of its own), on a fresh connection.
import http from "node:http";

export type RawAnswer = { status: number; body: string; location?: string };

export function rawRequest(url: string, { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string | number>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, location: res.headers.location }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
