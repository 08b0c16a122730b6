// A worker thread that runs a script given as source text and answers questions one at a time.
// The server is one bundle: a worker cannot load a module of it, so a worker is made from plain
// CommonJS beside it, which defines `answer(question)` (it may return a promise).
// Used for counting the network (background-count.server.ts) and drawing PDFs
// (pdf-worker.server.ts). The thread does not keep the process alive; one that dies takes its
// questions with it (each is rejected), and the next question starts a new one.
import { Worker, type WorkerOptions } from "node:worker_threads";

// What every worker runs after its own source: questions by id, in turn, answers by id. Bytes
// are handed over rather than copied.
const answerLoop = `
const { parentPort: __port } = require("node:worker_threads");
let __turn = Promise.resolve();
__port.on("message", ({ id, question }) => {
  __turn = __turn.then(async () => {
    try {
      const reply = await answer(question);
      __port.postMessage({ id, reply }, reply instanceof Uint8Array ? [reply.buffer] : []);
    } catch (error) {
      __port.postMessage({ id, error: String((error && error.message) || error) });
    }
  });
});
`;

export class SourceWorker<Question, Answer> {
  private thread: Worker | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();

  /** `options` is asked each time a thread starts; `whenIdle` runs whenever the last answer is in. */
  constructor(
    private readonly source: string,
    private readonly options: () => WorkerOptions,
    private readonly whenIdle: () => void = () => {},
  ) {}

  /** Questions asked and not yet answered. */
  get pending() {
    return this.waiting.size;
  }

  ask(question: Question): Promise<Answer> {
    const thread = (this.thread ??= this.start());
    const id = ++this.nextId;
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      thread.postMessage({ id, question });
    });
  }

  /** Ends the thread; questions still waiting are rejected. */
  stop() {
    const thread = this.thread;
    if (!thread) return;
    this.ended(thread, new Error("The worker was stopped."));
    void thread.terminate();
  }

  private start(): Worker {
    const thread = new Worker(this.source + answerLoop, { ...this.options(), eval: true });
    thread.unref();
    thread.on("message", ({ id, reply, error }: { id: number; reply?: Answer; error?: string }) => {
      const caller = this.waiting.get(id);
      this.waiting.delete(id);
      if (caller) {
        if (error !== undefined) caller.reject(new Error(error));
        else caller.resolve(reply as Answer);
      }
      if (!this.waiting.size) this.whenIdle();
    });
    thread.on("error", (error) => this.ended(thread, error));
    thread.on("exit", (code) => this.ended(thread, new Error(`The worker stopped (exit code ${code}).`)));
    return thread;
  }

  private ended(thread: Worker, error: Error) {
    if (this.thread !== thread) return;
    this.thread = null;
    for (const caller of this.waiting.values()) caller.reject(error);
    this.waiting.clear();
  }
}
