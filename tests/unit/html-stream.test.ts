import { Writable } from "node:stream";
import vm from "node:vm";
import { StreamTransfer } from "@remix-run/react/dist/single-fetch.js";
import { createElement, Suspense } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { loaderDataScripts, pageResponse, wholePageOf, withDataScripts } from "~/lib/html-stream.server";

function streamOf(chunks: Uint8Array[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Runs the scripts as the browser would, against the stream controller Remix's <Scripts> sets up. */
function runInPage(html: string) {
  const received: string[] = [];
  let closed = false;
  const window = { __remixContext: { streamController: { enqueue: (text: string) => received.push(text), close: () => (closed = true) } } };
  const scripts = [...html.matchAll(/<script nonce="n0nce">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  for (const script of scripts) vm.runInNewContext(script, { window });
  return { text: received.join(""), closed, scripts };
}

/** What Remix's own StreamTransfer writes for the stream, rendered as Remix renders it, without the Suspense boundaries' comments. */
function remixScripts(chunks: Uint8Array[], nonce: string): Promise<string> {
  const context = { renderMeta: { didRenderScripts: true } };
  const transfer = createElement(StreamTransfer, { context, identifier: 1, reader: streamOf(chunks).getReader(), textDecoder: new TextDecoder(), nonce } as never);
  return new Promise((resolve, reject) => {
    let html = "";
    const sink = new Writable({
      write(chunk, _encoding, done) {
        html += chunk;
        done();
      },
      final(done) {
        resolve(html.replace(/<!--\/?\$-->/g, ""));
        done();
      },
    });
    const { pipe } = renderToPipeableStream(createElement(Suspense, null, transfer), { onAllReady: () => pipe(sink), onShellError: reject, onError: reject });
  });
}

describe("Remix's loader data, read whole and written into the page", () => {
  // What a member can type ends up in the data: script ends, comments, line separators, ampersands.
  const data = '[{"name":"</script><script>alert(1)</script>"},"<!-- x","a\u2028b\u2029c","&amp;","één 漢字 🎉","\\"]';

  it("hands the page's script exactly the data, whatever the chunks and wherever a character is split", async () => {
    const bytes = Buffer.from(data);
    for (let size = 1; size <= 9; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const scripts = await loaderDataScripts(streamOf(chunks), "n0nce");
      const { text, closed } = runInPage(scripts);
      expect(text, `chunks of ${size} bytes`).toBe(data);
      expect(closed).toBe(true);
    }
  });

  it("writes nothing a browser would read as the end of the script, a comment or markup", async () => {
    const scripts = await loaderDataScripts(streamOf([Buffer.from(data)]), "n0nce");
    const { scripts: bodies } = runInPage(scripts);
    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(body).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(scripts.match(/<script/g)).toHaveLength(2);
  });

  it("closes the stream even when there is no data, and writes nothing without a stream", async () => {
    expect(runInPage(await loaderDataScripts(streamOf([]), "n0nce"))).toMatchObject({ text: "", closed: true });
    expect(await loaderDataScripts(undefined, "n0nce")).toBe("");
  });

  it("writes the scripts Remix's own StreamTransfer writes, which the page's hydration reads (ADR 045)", async () => {
    const bytes = Buffer.from(data);
    for (const size of [3, 7, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await loaderDataScripts(streamOf(chunks), "n0nce"), `chunks of ${size} bytes`).toBe(await remixScripts(chunks, "n0nce"));
    }
    expect(await loaderDataScripts(streamOf([]), "n0nce")).toBe(await remixScripts([], "n0nce"));
  });

  it("puts the scripts last inside <body>", () => {
    const page = "<!DOCTYPE html><html><head></head><body><main>één</main></body></html>";
    expect(withDataScripts(page, "<script>x()</script>")).toBe("<!DOCTYPE html><html><head></head><body><main>één</main><script>x()</script></body></html>");
    expect(withDataScripts("<p>a</p>", "<script>x()</script>")).toBe("<p>a</p><script>x()</script>");
  });
});

describe("a page made whole is sent as it was made", () => {
  it("gives the server the page's own bytes, and the same bytes to whoever reads the response", async () => {
    const page = Buffer.from("<!DOCTYPE html><p>één</p>");
    const response = pageResponse(page, { status: 200, headers: { "Content-Type": "text/html" } });
    expect(wholePageOf(response)).toBe(page);
    expect(Buffer.from(await response.arrayBuffer()).equals(page)).toBe(true);
    // Once its body has been read, the response no longer answers for the page.
    expect(wholePageOf(response)).toBeUndefined();
    expect(wholePageOf(new Response("<p>x</p>"))).toBeUndefined();
  });
});
