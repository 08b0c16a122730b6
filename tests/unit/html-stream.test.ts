import { describe, expect, it } from "vitest";
import { mendDocument, pageResponse, wholePageOf } from "~/lib/html-stream.server";

const mended = (html: string) => mendDocument(html).toString("utf8");

describe("a rendered document is mended", () => {
  const page = '<!DOCTYPE html><html><head><title>x</title></head><body><main>één</main></body></html><script>data()</script><script>close()</script>';
  const expected = '<!DOCTYPE html><html><head><title>x</title></head><body><main>één</main><script>data()</script><script>close()</script></body></html>';

  it("moves the scripts written after </html> inside <body>", () => {
    expect(mended(page)).toBe(expected);
    expect(mendDocument(page).equals(Buffer.from(expected))).toBe(true);
  });

  it("drops any NUL, which is never valid in HTML", () => {
    expect(mended(page.replace("één", "é\0én"))).toBe(expected);
    expect(mended(expected.replace("data()", "data(\0)"))).toBe(expected);
  });

  it("leaves a document without them as it is", () => {
    expect(mended("<p>a</body> b")).toBe("<p>a</body> b");
    expect(mended(expected)).toBe(expected);
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
