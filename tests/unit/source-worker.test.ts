import { describe, expect, it } from "vitest";
import { SourceWorker } from "~/lib/source-worker.server";

// A worker that answers in turn: it doubles numbers, hands back bytes, fails on request, dies on request.
const source = `
const { workerData } = require("node:worker_threads");
async function answer(question) {
  if (question === "fail") throw new Error("asked to fail");
  if (question === "die") process.exit(3);
  if (question === "bytes") return new Uint8Array([1, 2, 3]);
  if (question === "slow") { await new Promise((r) => setTimeout(r, 200)); return "slow"; }
  return question * workerData.factor;
}
`;

const worker = (whenIdle?: () => void) => new SourceWorker<unknown, unknown>(source, () => ({ workerData: { factor: 2 } }), whenIdle);

describe("a worker made from source text", () => {
  it("answers each question, in turn, with its own answer", async () => {
    let idle = 0;
    const doubler = worker(() => idle++);
    const answers = await Promise.all([doubler.ask("slow"), doubler.ask(1), doubler.ask(21), doubler.ask("bytes")]);
    expect(answers).toEqual(["slow", 2, 42, new Uint8Array([1, 2, 3])]);
    expect(doubler.pending).toBe(0);
    expect(idle).toBe(1);
    doubler.stop();
  });

  it("rejects a question whose answer failed, and goes on answering", async () => {
    const doubler = worker();
    await expect(doubler.ask("fail")).rejects.toThrow("asked to fail");
    expect(await doubler.ask(4)).toBe(8);
    doubler.stop();
  });

  it("rejects every waiting question when the thread dies, and starts a new one for the next", async () => {
    const doubler = worker();
    const dying = doubler.ask("die");
    const behind = doubler.ask(5);
    await expect(dying).rejects.toThrow("exit code 3");
    await expect(behind).rejects.toThrow("exit code 3");
    expect(doubler.pending).toBe(0);
    expect(await doubler.ask(6)).toBe(12);
    doubler.stop();
  });

  it("rejects the waiting questions when stopped", async () => {
    const doubler = worker();
    const waiting = doubler.ask("slow");
    doubler.stop();
    await expect(waiting).rejects.toThrow("stopped");
    expect(await doubler.ask(7)).toBe(14);
    doubler.stop();
  });
});
