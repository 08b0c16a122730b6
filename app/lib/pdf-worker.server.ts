// PDFs are drawn on a worker thread, one at a time: drawing the record of learning of someone with
// hundreds of sessions takes the better part of a second, and on the server's own thread nobody
// else would get a page meanwhile. The worker runs pdfKit's source text
// (app/lib/source-worker.server.ts), starts with the first PDF, does not keep the process alive,
// and ends after a minute without work to give its memory back.
import { createRequire } from "node:module";
import { pdfFonts, pdfKit, type PdfPlan } from "./learning-pdf.server";
import { SourceWorker } from "./source-worker.server";

const workerSource = `
const { workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const kit = (${pdfKit.toString()})(require(workerData.pdfLib), require(workerData.fontkit));
const fonts = { regular: readFileSync(workerData.fonts.regular), bold: readFileSync(workerData.fonts.bold) };
function answer(plan) {
  return kit.draw(plan, fonts);
}
`;

/**
 * PDFs asked for and not yet drawn, beyond which the next one is refused ("busy"): in all, and of
 * one member (a PDF in each language at once), so that one member asking again and again cannot
 * keep everyone else's PDFs waiting.
 */
const pdfQueueLimit = { all: 16, perMember: 2 };
const idleMs = 60_000;

let idleTimer: NodeJS.Timeout | undefined;
const drawer = new SourceWorker<PdfPlan, Uint8Array>(
  workerSource,
  () => {
    const require = createRequire(import.meta.url);
    return {
      workerData: {
        pdfLib: require.resolve("pdf-lib"),
        fontkit: require.resolve("@pdf-lib/fontkit"),
        fonts: { regular: require.resolve(pdfFonts.regular), bold: require.resolve(pdfFonts.bold) },
      },
      // A record of 2,000 sessions peaks at about 60 MB.
      resourceLimits: { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 },
    };
  },
  () => {
    // A minute without work ends the worker and gives its memory back.
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!drawer.pending) drawer.stop();
    }, idleMs);
    idleTimer.unref();
  },
);
/** The members whose PDFs wait, once per PDF. */
const waitingFor: string[] = [];

/** The plan's PDF for a member, drawn on the worker; "busy" past `pdfQueueLimit`. */
export async function drawPdf(plan: PdfPlan, memberId: string): Promise<Uint8Array | "busy"> {
  const members = waitingFor.filter((id) => id === memberId).length;
  if (waitingFor.length >= pdfQueueLimit.all || members >= pdfQueueLimit.perMember) return "busy";
  clearTimeout(idleTimer);
  waitingFor.push(memberId);
  try {
    return await drawer.ask(plan);
  } catch (error) {
    throw new Error(`The PDF could not be made: ${(error as Error).message}`);
  } finally {
    waitingFor.splice(waitingFor.indexOf(memberId), 1);
  }
}
