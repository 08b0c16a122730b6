// React writes a page's `</body></html>` with the shell, and Remix's data scripts (streamed
// loader data) come after it: HTML that browsers forgive but validators reject ("Stray start tag
// script"). This stream holds the closing tags back and writes them at the very end, so the data
// scripts end up inside <body>.
import { StringDecoder } from "node:string_decoder";
import { Transform, type TransformCallback } from "node:stream";

const closing = "</body></html>";

export function closingTagsLast(): Transform {
  let held = false;
  // A few bytes kept back when a chunk ends in what may be the start of the closing tags.
  let carry = "";
  // Bytes of a character split between two chunks wait for the rest of it.
  const decoder = new StringDecoder("utf8");
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback: TransformCallback) {
      if (held) return callback(null, chunk);
      const text = carry + (typeof chunk === "string" ? chunk : decoder.write(chunk));
      const at = text.indexOf(closing);
      if (at >= 0) {
        held = true;
        carry = "";
        return callback(null, text.slice(0, at) + text.slice(at + closing.length));
      }
      const keep = partialSuffix(text);
      carry = text.slice(text.length - keep);
      callback(null, text.slice(0, text.length - keep));
    },
    flush(callback: TransformCallback) {
      callback(null, carry + decoder.end() + (held ? closing : ""));
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
