// Hostile input, pictures (issue 12, item 4; docs/decisions/019-image-work-off-the-main-thread.md):
// many members send a 49-megapixel PNG avatar at once. Through the real server: a member's tiny
// picture still goes through while the large ones wait; a member gets one picture in the queue at
// a time; a full queue says "try again in a minute" (503 with Retry-After, in the reader's
// language); and whatever was refused left nothing behind. No timing assertions: the order in
// which answers arrive says enough.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import { imageQueueLimits, imageQueueState, processImage } from "~/lib/images.server";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import * as pictures from "../../support/pictures";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
let members: { id: string; cookie: string }[];
let big: Buffer;
let tiny: Buffer;

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  members = insertMembers(sqlite, 24, "picture");
  // 7,000 × 7,000: 49 MP, under the 50 MP limit, and a few hundred KB as a file.
  [big, tiny] = await Promise.all([pictures.png(7000, 7000), pictures.png(16, 16)]);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

type Answer = { status: number; retryAfter: string | null; body: string; at: number };

let sequence = 0;
/** The profile photo form, as a browser without JavaScript sends it; `at` orders the answers. */
async function upload(member: { cookie: string }, picture: Buffer, locale: Locale = "nl"): Promise<Answer> {
  const form = new FormData();
  form.append("intent", "avatar");
  form.append("avatar", new File([new Uint8Array(picture)], "foto.png", { type: "image/png" }));
  const response = await fetch(`${server.url}/settings/profile`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { Origin: server.url, Cookie: member.cookie, "Accept-Language": locale },
  });
  const body = await response.text();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body, at: ++sequence };
}

const says = (answer: Answer, key: MessageKey, locale: Locale) => answer.body.includes(translate(locale, key).replaceAll("'", "&#x27;"));
const avatarOf = (id: string) => (sqlite.prepare("SELECT avatar_image AS image FROM members WHERE id = ?").get(id) as { image: string | null }).image;

describe("many large pictures at once", () => {
  it("a member's second picture while the first is still being worked on is refused: 429, Retry-After, try again in a minute", async () => {
    const [member] = members;
    const answers = await Promise.all([upload(member, big), upload(member, big)]);
    const [done, refused] = [...answers].sort((a, b) => a.status - b.status);
    expect(done.status, done.body.slice(0, 300)).toBe(303);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(imageQueueLimits.retryAfterSeconds));
    expect(says(refused, "image.busy", "nl")).toBe(true);
    expect(avatarOf(member.id)).not.toBeNull();
  });

  it("a tiny picture goes through while other members' large ones still wait; the rest are told to try again in a minute", async () => {
    const [, small, ...crowd] = members.slice(0, 22);
    let firstAnswer: () => void;
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    // Half of them read Dutch, half English: the refusal is in the reader's language.
    const large = crowd.map((m, i) => upload(m, big, i % 2 ? "en" : "nl").finally(() => firstAnswer()));
    // The first answer (a refusal: the queue is full) means every large picture has been looked at.
    await answered;
    const smallAnswer = await upload(small, tiny);
    const answers = await Promise.all(large);

    expect(smallAnswer.status, smallAnswer.body.slice(0, 300)).toBe(303);
    expect(avatarOf(small.id)).not.toBeNull();
    const accepted = answers.filter((a) => a.status === 303);
    const refused = answers.filter((a) => a.status !== 303);
    // Large pictures accepted before it were still waiting or being worked on when it was done.
    expect(accepted.filter((a) => a.at > smallAnswer.at).length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    // At most one large picture at a time plus the waiting ones, give or take those done early.
    expect(accepted.length).toBeLessThan(crowd.length);
    answers.forEach((answer, i) => {
      if (answer.status === 303) return;
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe(String(imageQueueLimits.retryAfterSeconds));
      expect(says(answer, "image.queueFull", i % 2 ? "en" : "nl"), answer.body.slice(0, 300)).toBe(true);
      expect(avatarOf(crowd[i].id)).toBeNull();
    });
  });

  it("left nothing half-written, and a refused member can try again", async () => {
    const rows = sqlite.prepare("SELECT id FROM images").all() as { id: string }[];
    const used = sqlite.prepare("SELECT DISTINCT avatar_image AS id FROM members WHERE avatar_image IS NOT NULL").all() as { id: string }[];
    expect(rows.map((r) => r.id).sort()).toEqual(used.map((r) => r.id).sort());
    const imagesDir = path.join(server.dataDir, "images");
    const files = existsSync(imagesDir) ? readdirSync(imagesDir).sort() : [];
    expect(files).toEqual(rows.flatMap((r) => [`${r.id}-1200.webp`, `${r.id}-400.webp`]).sort());

    const refused = members.slice(2, 22).find((m) => avatarOf(m.id) === null);
    expect(refused, "someone was refused above").toBeDefined();
    expect((await upload(refused!, big)).status).toBe(303);
    expect(avatarOf(refused!.id)).not.toBeNull();
  });
});

describe("the queue itself (in this process)", () => {
  it("reads a picture from a file, and lets a picture whose sender went away leave the queue", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "meedoen-picture-"));
    try {
      const file = path.join(dir, "upload");
      writeFileSync(file, tiny);
      const [fromFile, fromBytes] = await Promise.all([processImage(file), processImage(tiny)]);
      expect(fromFile.ok && fromBytes.ok && fromFile.image.id === fromBytes.image.id).toBe(true);

      // One large picture is worked on; the next one waits, and its sender goes away.
      const first = processImage(big, { uploader: "a" });
      // The first must be at work before the second comes: both check their header first, and on
      // a busy machine the second could otherwise reach the queue first.
      for (let i = 0; i < 1000 && imageQueueState().runningLarge === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const gone = new AbortController();
      const second = processImage(big, { uploader: "b", signal: gone.signal });
      for (let i = 0; i < 1000 && imageQueueState().waitingLarge === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(imageQueueState()).toMatchObject({ runningLarge: 1, waitingLarge: 1 });
      gone.abort();
      expect(await second).toMatchObject({ ok: false, status: 503 });
      expect((await first).ok).toBe(true);
      expect(imageQueueState()).toEqual({ admitted: 0, running: 0, runningLarge: 0, waitingLarge: 0, waitingSmall: 0, uploaders: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
