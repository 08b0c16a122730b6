import { describe, expect, it } from "vitest";
import { mendedDocument } from "~/lib/html-stream.server";

async function through(chunks: (string | Buffer)[]) {
  const stream = mendedDocument();
  let out = "";
  stream.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const done = new Promise((resolve) => stream.on("end", resolve));
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await done;
  return out;
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

  it("leaves a document without them as it is", async () => {
    expect(await through(["<p>a</bo", "dy> b"])).toBe("<p>a</body> b");
  });
});
