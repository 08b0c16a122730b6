import { describe, expect, it } from "vitest";
import { mendDocument, pageResponse, wholeDocument, wholePageOf } from "~/lib/html-stream.server";

async function through(chunks: (string | Buffer)[]) {
  const { sink, page } = wholeDocument();
  for (const chunk of chunks) sink.write(chunk);
  sink.end();
  return (await page).toString("utf8");
}

describe("a streamed document is mended", () => {
  const page = '<!DOCTYPE html><html><head><title>x</title></head><body><main>één</main></body></html><script>data()</script><script>close()</script>';
  const expected = '<!DOCTYPE html><html><head><title>x</title></head><body><main>één</main><script>data()</script><script>close()</script></body></html>';

  it("moves the scripts written after </html> inside <body>", async () => {
    expect(await through([page])).toBe(expected);
  });

  it("whatever the chunk boundaries, also inside the closing tags", async () => {
    for (let size = 1; size <= 20; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < page.length; i += size) chunks.push(page.slice(i, i + size));
      expect(await through(chunks), `chunks of ${size}`).toBe(expected);
    }
  });

  it("keeps a character whose bytes arrive in two chunks", async () => {
    const bytes = Buffer.from(page);
    const at = bytes.indexOf(Buffer.from("é")) + 1;
    expect(await through([bytes.subarray(0, at), bytes.subarray(at)])).toBe(expected);
  });

  it("drops the NUL byte React 18 leaves where a character did not fit in its buffer", async () => {
    const bytes = Buffer.from(page);
    const at = bytes.indexOf(Buffer.from("é"));
    const padded = Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
    expect(await through([padded.subarray(0, at + 1), padded.subarray(at + 1)])).toBe(expected);
    expect(await through([Buffer.from(expected.replace("data()", "data(\0)"))])).toBe(expected);
  });

  it("drops every NUL byte, also next to each other, at either end, or all of the page, as dropping them one by one does", () => {
    expect(mendDocument(Buffer.from([0, 0x3c, 0, 0, 0x62, 0])).toString()).toBe("<b");
    expect(mendDocument(Buffer.from([0, 0, 0])).length).toBe(0);
    let x = 7;
    const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 5_000) }, () => (next() < 0.05 ? 0 : 1 + Math.floor(next() * 255))));
      expect(mendDocument(bytes).equals(Buffer.from(bytes.filter((b) => b !== 0)))).toBe(true);
    }
  });

  it("leaves a document without them as it is", async () => {
    expect(await through(["<p>a</bo", "dy> b"])).toBe("<p>a</body> b");
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
