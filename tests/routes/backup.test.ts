// The operator scripts: an online backup taken while the app keeps writing, and the demo seed.
// Both run as child processes, exactly as `npm run backup` and `npm run seed` run them.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { processImage } from "~/lib/images.server";
import { withImageFiles } from "~/models/images.server";
import { createInitiative, initiativeInput } from "~/models/initiatives.server";
import * as pictures from "../support/pictures";
import { memberWithSession } from "../support/requests";
import { startServer } from "../support/server";

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const temporary: string[] = [];

function tempFile(name: string) {
  const file = path.join(os.tmpdir(), `meedoen-${name}-${process.pid}-${randomBytes(4).toString("hex")}.sqlite`);
  temporary.push(file);
  return file;
}

const picturesOf = (copy: string) => copy.replace(/\.sqlite$/, "-images");

afterAll(() => {
  for (const file of temporary) {
    for (const suffix of ["", "-wal", "-shm", "-journal", ".partial"]) rmSync(file + suffix, { force: true });
    for (const suffix of ["", ".partial"]) rmSync(picturesOf(file) + suffix, { recursive: true, force: true });
  }
});

const count = (table: string) => db().get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)).n;

describe("npm run backup", () => {
  let memberId: string;
  let n = 0;
  const post = () =>
    createInitiative(
      memberId,
      initiativeInput.parse({
        title: `Buurtactiviteit ${++n}`,
        summary: "Samen koken en eten in het buurthuis.",
        body: `## Opzet\n\n- boodschappen\n- **koken**\n- eten\n\n${"Iedereen is welkom. ".repeat(40)}`,
        kind: n % 3 ? "activity" : "course",
        tags: "buurt, koken",
      }),
    );

  beforeAll(async () => {
    memberId = (await memberWithSession("Anna", { organisation: "Wijkteam Oost" })).id;
    for (let i = 0; i < 300; i++) post();
  });

  it("copies the live database while it is being written to, and the copy is sound", async () => {
    const copy = tempFile("backup");
    const before = count("initiatives");
    const lastIdBefore = db().get<{ id: number }>(sql`SELECT max(id) AS id FROM initiatives`).id;

    const child = spawn("npx", ["tsx", "db/backup.ts", copy], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: process.env.DATABASE_PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    let running = true;
    void exited.then(() => (running = false));

    // The app keeps writing for as long as the backup runs.
    let writtenDuring = 0;
    while (running) {
      post();
      writtenDuring++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const code = await exited;

    expect(code, output).toBe(0);
    expect(output).toContain(copy);
    expect(writtenDuring).toBeGreaterThan(0);

    const backup = new Database(copy, { fileMustExist: true });
    try {
      expect(backup.pragma("integrity_check", { simple: true })).toBe("ok");
      // A single file, not one that needs a -wal next to it.
      expect(backup.pragma("journal_mode", { simple: true })).toBe("delete");
      const copied = backup.prepare("SELECT count(*) FROM initiatives").pluck().get() as number;
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(count("initiatives"));
      // Everything committed before the backup started is in it...
      expect(backup.prepare("SELECT count(*) FROM initiatives WHERE id <= ?").pluck().get(lastIdBefore)).toBe(before);
      // ...and every initiative arrived whole: with its host, its tags, its log entry, indexed.
      expect(backup.prepare("SELECT count(*) FROM hosts").pluck().get()).toBe(copied);
      expect(backup.prepare("SELECT count(*) FROM initiative_tags").pluck().get()).toBe(copied * 2);
      expect(backup.prepare("SELECT count(*) FROM log_entries WHERE action = 'initiative.created'").pluck().get()).toBe(copied);
      backup.exec("INSERT INTO initiatives_fts(initiatives_fts) VALUES ('integrity-check')");
      expect(backup.prepare("SELECT count(*) FROM initiatives_fts WHERE initiatives_fts MATCH 'buurtactiviteit'").pluck().get()).toBe(copied);
    } finally {
      backup.close();
    }
  });

  it("refuses to overwrite an existing file and fails without a database", async () => {
    const copy = tempFile("backup-twice");
    const env = { ...process.env, DATABASE_PATH: process.env.DATABASE_PATH };
    await run("npx", ["tsx", "db/backup.ts", copy], { cwd: root, env });
    const missing = tempFile("missing");
    await Promise.all([
      expect(run("npx", ["tsx", "db/backup.ts", copy], { cwd: root, env })).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("already exists") }),
      expect(
        run("npx", ["tsx", "db/backup.ts", tempFile("backup-of-nothing")], { cwd: root, env: { ...process.env, DATABASE_PATH: missing } }),
      ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("no database") }),
    ]);
  });
});

describe("npm run backup with pictures", () => {
  const backupEnv = () => ({ ...process.env, DATABASE_PATH: process.env.DATABASE_PATH });
  const live = () => env().imagesDir;
  let covers: string[];

  beforeAll(async () => {
    const memberId = (await memberWithSession("Fotograaf")).id;
    covers = [];
    for (const [i, make] of [() => pictures.png(800, 600), () => pictures.webp(1400, 700)].entries()) {
      const result = await processImage(await make());
      if (!result.ok) throw new Error(result.error);
      const input = initiativeInput.parse({ title: `Met foto ${i}`, summary: "Een initiatief met een omslagfoto.", kind: "activity", tags: "foto, buurt" });
      withImageFiles(result.image, (image) => createInitiative(memberId, input, new Date(), { cover: { image, alt: `Foto ${i}` } }));
      covers.push(result.image.id);
    }
    // A file no row refers to (left by an interrupted upload) does not belong in a backup.
    writeFileSync(path.join(live(), `${"a".repeat(64)}-400.webp`), "stray");
  });

  it("copies exactly the pictures the copied database refers to, next to it, and a restore serves them", async () => {
    const copy = tempFile("backup-pictures");
    const { stdout } = await run("npx", ["tsx", "db/backup.ts", copy], { cwd: root, env: backupEnv() });
    expect(stdout).toContain(picturesOf(copy));
    expect(stdout).toContain(`${covers.length} pictures`);
    const names = covers.flatMap((id) => [`${id}-1200.webp`, `${id}-400.webp`]).sort();
    expect(readdirSync(picturesOf(copy)).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(picturesOf(copy), name)).equals(readFileSync(path.join(live(), name))), name).toBe(true);
    expect(existsSync(`${picturesOf(copy)}.partial`)).toBe(false);

    // Restoring as the README says: the file as DATA_DIR/meedoen.sqlite, the folder as DATA_DIR/images.
    const restored = mkdtempSync(path.join(os.tmpdir(), "meedoen-restored-"));
    cpSync(copy, path.join(restored, "meedoen.sqlite"));
    cpSync(picturesOf(copy), path.join(restored, "images"), { recursive: true });
    const server = await startServer({ DATA_DIR: restored, DATABASE_PATH: path.join(restored, "meedoen.sqlite") });
    try {
      const feed = await (await fetch(`${server.url}/?q=foto`)).text();
      for (const id of covers) {
        expect(feed).toContain(`/images/${id}-400.webp 400w`);
        const response = await fetch(`${server.url}/images/${id}-1200.webp`);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(path.join(live(), `${id}-1200.webp`)))).toBe(true);
      }
    } finally {
      await server.stop();
      rmSync(restored, { recursive: true, force: true });
    }
  });

  it("still writes the database and the other pictures when one picture is missing, names it, and exits with 2", async () => {
    const missing = path.join(live(), `${covers[0]}-400.webp`);
    const kept = readFileSync(missing);
    rmSync(missing);
    try {
      const copy = tempFile("backup-missing-picture");
      await expect(run("npx", ["tsx", "db/backup.ts", copy], { cwd: root, env: backupEnv() })).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`${covers[0]}-400.webp`),
      });
      // The database copy is whole; every other picture is there; the missing one is named.
      const restored = new Database(copy, { readonly: true });
      expect(restored.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
      expect(restored.prepare("SELECT count(*) FROM images").pluck().get()).toBe(covers.length);
      restored.close();
      const files = readdirSync(picturesOf(copy));
      expect(files).toContain(`${covers[0]}-1200.webp`);
      expect(files).not.toContain(`${covers[0]}-400.webp`);
      expect(files.filter((f) => f.endsWith(".webp"))).toHaveLength(covers.length * 2 - 1);
      expect(readFileSync(path.join(picturesOf(copy), "MISSING.txt"), "utf8")).toContain(`${covers[0]}-400.webp`);
      for (const leftover of [`${copy}.partial`, `${picturesOf(copy)}.partial`]) expect(existsSync(leftover), leftover).toBe(false);
    } finally {
      writeFileSync(missing, kept);
    }
  });

  it("removes what an earlier, killed backup left behind, but not a backup running now", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "meedoen-backups-"));
    try {
      const old = path.join(folder, "meedoen-20260101-030000.sqlite.partial");
      const oldPictures = path.join(folder, "meedoen-20260101-030000-images.partial");
      const running = path.join(folder, "meedoen-20260102-030000.sqlite.partial");
      writeFileSync(old, "half a database");
      writeFileSync(`${old}-journal`, "journal");
      mkdirSync(oldPictures);
      writeFileSync(path.join(oldPictures, `${covers[0]}-400.webp`), "half a picture");
      writeFileSync(running, "being written");
      const anHourAgo = new Date(Date.now() - 2 * 3_600_000);
      for (const file of [old, `${old}-journal`, oldPictures]) utimesSync(file, anHourAgo, anHourAgo);
      const copy = path.join(folder, "meedoen-today.sqlite");
      const { stdout } = await run("npx", ["tsx", "db/backup.ts", copy], { cwd: root, env: backupEnv() });
      expect(stdout).toContain("did not finish");
      expect(readdirSync(folder).sort()).toEqual(["meedoen-20260102-030000.sqlite.partial", "meedoen-today-images", "meedoen-today.sqlite"]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("npm run seed", () => {
  it("creates the demo network once, and leaves it alone the second time", async () => {
    const file = tempFile("seed");
    const env = { ...process.env, DATABASE_PATH: file };
    const first = await run("npx", ["tsx", "db/seed.ts"], { cwd: root, env });
    expect(first.stdout).toContain("meedoen-demo");
    const second = await run("npx", ["tsx", "db/seed.ts"], { cwd: root, env });
    expect(second.stdout).toMatch(/already there/);

    const seeded = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const scalar = (query: string) => seeded.prepare(query).pluck().get();
      expect(scalar("SELECT count(*) FROM members")).toBe(20);
      expect(scalar("SELECT count(*) FROM members WHERE email LIKE '%@demo.meedoen.nl'")).toBe(20);
      expect(scalar("SELECT count(DISTINCT organisation) FROM members")).toBeGreaterThanOrEqual(6);
      expect(scalar("SELECT count(*) FROM initiatives")).toBe(12);
      expect(seeded.prepare("SELECT DISTINCT kind FROM initiatives ORDER BY kind").pluck().all()).toEqual(["activity", "course", "request"]);
      // Created through the models: every initiative has its author as host and a log entry.
      expect(scalar("SELECT count(*) FROM hosts h JOIN initiatives i ON i.id = h.initiative_id AND i.created_by = h.member_id")).toBe(12);
      expect(scalar("SELECT count(*) FROM log_entries WHERE action = 'initiative.created'")).toBe(12);
      const hash = scalar("SELECT password_hash FROM members WHERE email = 'anna@demo.meedoen.nl'") as string;
      expect(await verifyPassword(hash, "meedoen-demo")).toBe(true);
    } finally {
      seeded.close();
    }
  });
});
