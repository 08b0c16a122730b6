// The Nu HTML Checker (vnu.jar from the vnu-jar package, run with the machine's Java): checks many
// documents in one run and answers the errors per document.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const vnuJar = path.resolve(import.meta.dirname, "../../node_modules/vnu-jar/build/dist/vnu.jar");

// A run checks a few dozen documents and ends: Java's quick compiler alone and one garbage
// collector thread take about half the processor time of its defaults, with the same results.
// That compiler needs a deeper stack than the checker's 512 KB for the HTML schema.
const javaOptions = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"];

export type HtmlDocument = { label: string; html: string };

/** Every error vnu finds, as "label: line N: message". Empty when all documents are valid. */
export async function htmlErrors(documents: HtmlDocument[]): Promise<string[]> {
  if (!documents.length) return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "meedoen-vnu-"));
  try {
    const files = documents.map((doc, i) => {
      const file = path.join(dir, `${String(i).padStart(4, "0")}.html`);
      writeFileSync(file, doc.html);
      return file;
    });
    const labels = new Map(files.map((file, i) => [`file:${file}`, documents[i].label]));
    const { stderr } = await promisify(execFile)("java", [...javaOptions, "-jar", vnuJar, "--errors-only", "--format", "json", ...files], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stderr?: string; code?: number }) => {
        // vnu exits with 1 when it found errors; the report is on stderr either way.
        if (error.stderr === undefined) throw error;
        return { stderr: error.stderr };
      },
    );
    type Report = { messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[] };
    let report: Report;
    try {
      report = JSON.parse(stderr) as Report;
    } catch {
      throw new Error(`The HTML checker gave no report: ${stderr.slice(0, 400)}`);
    }
    return report.messages
      .filter((m) => m.type === "error" || m.type === "non-document-error")
      .map((m) => `${labels.get(m.url ?? "") ?? m.url}: line ${m.lastLine ?? "?"}: ${m.message}${m.extract ? ` (${m.extract.trim().slice(0, 120)})` : ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
