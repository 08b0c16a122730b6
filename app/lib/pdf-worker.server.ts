// PDFs are drawn on a worker thread, one at a time: drawing the record of learning of someone with
// hundreds of sessions takes the better part of a second, and on the server's own thread nobody
// else would get a page meanwhile. The worker runs pdfKit's source text (the server is one bundle,
// and this runs beside it, as app/lib/background-count.server.ts does), starts with the first PDF,
// does not keep the process alive, and ends after a minute without work to give its memory back.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { pdfFonts, pdfKit, type PdfPlan } from "./learning-pdf.server";

const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const kit = (${pdfKit.toString()})(require(workerData.pdfLib), require(workerData.fontkit));
const fonts = { regular: readFileSync(workerData.fonts.regular), bold: readFileSync(workerData.fonts.bold) };
let turn = Promise.resolve();
parentPort.on("message", ({ id, plan }) => {
  turn = turn.then(async () => {
    try {
      const bytes = await kit.draw(plan, fonts);
      parentPort.postMessage({ id, bytes }, [bytes.buffer]);
    } catch (error) {
      parentPort.postMessage({ id, error: String((error && error.message) || error) });
    }
  });
});
`;

/**
 * PDFs asked for and not yet drawn, beyond which the next one is refused ("busy"): in all, and of
 * one member (a PDF in each language at once), so that one member asking again and again cannot
 * keep everyone else's PDFs waiting.
 */
const pdfQueueLimit = { all: 16, perMember: 2 };
const idleMs = 60_000;

let thread: Worker | null = null;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const waiting = new Map<number, { memberId: string; resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();

function start(): Worker {
  const require = createRequire(import.meta.url);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      pdfLib: require.resolve("pdf-lib"),
      fontkit: require.resolve("@pdf-lib/fontkit"),
      fonts: { regular: require.resolve(pdfFonts.regular), bold: require.resolve(pdfFonts.bold) },
    },
    // A record of 2,000 sessions peaks at about 60 MB.
    resourceLimits: { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 },
  });
  worker.unref();
  worker.on("message", ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
    const caller = waiting.get(id);
    waiting.delete(id);
    if (!waiting.size) restartIdleTimer();
    if (!caller) return;
    if (error !== undefined) caller.reject(new Error(`The PDF could not be made: ${error}`));
    else caller.resolve(bytes!);
  });
  // A worker that dies takes its PDFs with it; the next PDF starts a new one.
  const ended = (error: Error) => {
    if (thread !== worker) return;
    thread = null;
    for (const caller of waiting.values()) caller.reject(error);
    waiting.clear();
  };
  worker.on("error", ended);
  worker.on("exit", (code) => ended(new Error(`The PDF worker stopped (exit code ${code}).`)));
  return worker;
}

function restartIdleTimer() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (waiting.size || !thread) return;
    const idle = thread;
    thread = null;
    void idle.terminate();
  }, idleMs);
  idleTimer.unref();
}

/** The plan's PDF for a member, drawn on the worker; "busy" past `pdfQueueLimit`. */
export function drawPdf(plan: PdfPlan, memberId: string): Promise<Uint8Array | "busy"> {
  let members = 0;
  for (const caller of waiting.values()) if (caller.memberId === memberId) members++;
  if (waiting.size >= pdfQueueLimit.all || members >= pdfQueueLimit.perMember) return Promise.resolve("busy");
  clearTimeout(idleTimer);
  thread ??= start();
  const id = ++nextId;
  return new Promise<Uint8Array>((resolve, reject) => {
    waiting.set(id, { memberId, resolve, reject });
    thread!.postMessage({ id, plan });
  });
}
