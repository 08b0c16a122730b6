// Two flaws of React 18's streamed HTML, mended on the way out so that pages are valid documents:
// - React writes a page's `</body></html>` with the shell, and Remix's data scripts (streamed
//   loader data) come after it ("Stray start tag script" to a validator). The closing tags are
//   held back and written at the very end, so the data scripts end up inside <body>.
// - When a character of more than one byte does not fit at the end of React's 2,048-byte buffer,
//   React sends the whole buffer, unused last byte included: a NUL in the page (fixed in React
//   19). A raw NUL is never valid in HTML (text and scripts escape it), so every one is dropped.
import { StringDecoder } from "node:string_decoder";
import { Transform, type TransformCallback } from "node:stream";

const closing = "</body></html>";

export function mendedDocument(): Transform {
  let held = false;
  // A few characters kept back when a chunk ends in what may be the start of the closing tags.
  let carry = "";
  // Bytes of a character split between two chunks wait for the rest of it.
  const decoder = new StringDecoder("utf8");
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback: TransformCallback) {
      const text = carry + (typeof chunk === "string" ? chunk : decoder.write(chunk)).replace(/\0/g, "");
      carry = "";
      if (held) return callback(null, text);
      const at = text.indexOf(closing);
      if (at >= 0) {
        held = true;
        return callback(null, text.slice(0, at) + text.slice(at + closing.length));
      }
      const keep = partialSuffix(text);
      carry = text.slice(text.length - keep);
      callback(null, text.slice(0, text.length - keep));
    },
    flush(callback: TransformCallback) {
      callback(null, carry + decoder.end().replace(/\0/g, "") + (held ? closing : ""));
    },
  });
}

/** How many characters at the end of `text` could begin the closing tags. */
function partialSuffix(text: string) {
  for (let n = Math.min(closing.length - 1, text.length); n > 0; n--) {
    if (closing.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
