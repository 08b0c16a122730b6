// Starting the real server the ways an operator gets it wrong: an empty file from a failed copy,
// a mistyped DATABASE_PATH next to the pictures, a second start on a port in use, a damaged
// database, one from a newer version. Each start stops with a plain message and changes nothing:
// no empty network, no picture deleted.
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer } from "../support/server";

const root = path.join(os.tmpdir(), `meedoen-start-${randomBytes(4).toString("hex")}`);
mkdirSync(root, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data folder with a few pictures in it, as a network that has run for a while has. */
function dataDirWithPictures(name: string) {
  const dataDir = path.join(root, name);
  mkdirSync(path.join(dataDir, "images"), { recursive: true });
  for (let i = 0; i < 3; i++) {
    const id = randomBytes(32).toString("hex");
    for (const width of [400, 1200]) writeFileSync(path.join(dataDir, "images", `${id}-${width}.webp`), "picture");
  }
  return dataDir;
}

describe("a start that must not go ahead", () => {
  it("on an empty (0-byte) database file: refused, the pictures kept", async () => {
    const dataDir = dataDirWithPictures("empty");
    const databasePath = path.join(dataDir, "meedoen.sqlite");
    writeFileSync(databasePath, "");
    await expect(startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir })).rejects.toThrow(/is empty \(0 bytes\)/);
    expect(statSync(databasePath).size).toBe(0);
    expect(readdirSync(path.join(dataDir, "images"))).toHaveLength(6);
  });

  it("with a mistyped DATABASE_PATH beside a network's pictures: refused, no new database, the pictures kept", async () => {
    const dataDir = dataDirWithPictures("mistyped");
    const databasePath = path.join(dataDir, "meedoen.sqlte");
    await expect(startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir })).rejects.toThrow(/no database at .*mistyped\?/s);
    expect(readdirSync(dataDir).sort()).toEqual(["images"]);
    expect(readdirSync(path.join(dataDir, "images"))).toHaveLength(6);
  });

  it("a second start on a port in use: refused before it touches the database or the pictures", async () => {
    const dataDir = path.join(root, "running");
    const databasePath = path.join(dataDir, "meedoen.sqlite");
    const running = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
    try {
      // A picture file the running server does not know (as during an upload): the first start
      // would leave it to its own sweep; a second start must not remove it.
      mkdirSync(path.join(dataDir, "images"), { recursive: true });
      const stray = path.join(dataDir, "images", `${randomBytes(32).toString("hex")}-400.webp`);
      writeFileSync(stray, "picture");
      const otherDatabase = path.join(root, "second.sqlite");
      const port = new URL(running.url).port;
      await expect(startServer({ DATABASE_PATH: otherDatabase, DATA_DIR: dataDir, PORT: port })).rejects.toThrow(/already in use/);
      expect(readdirSync(path.join(dataDir, "images"))).toContain(path.basename(stray));
      expect(readdirSync(root)).not.toContain("second.sqlite");
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it("on a damaged database: refused with the advice to restore a backup", async () => {
    const dataDir = path.join(root, "damaged");
    const databasePath = path.join(dataDir, "meedoen.sqlite");
    const first = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
    await first.stop();
    const settle = openServerDatabase(databasePath);
    settle.pragma("wal_checkpoint(TRUNCATE)");
    settle.close();
    // Scribble over the pages after the header, as a disk fault or a half-written copy does.
    const fd = openSync(databasePath, "r+");
    const size = statSync(databasePath).size;
    for (let at = 4096; at < size; at += 4096) writeSync(fd, randomBytes(512), 0, 512, at + 100);
    closeSync(fd);
    const started = startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
    // Should it start after all, stop it before failing.
    started.then((server) => server.stop(), () => {});
    await expect(started).rejects.toThrow(/damaged|cannot be opened/);
  });

  it("on a database from a newer version: refused, not migrated backwards", async () => {
    const dataDir = path.join(root, "newer");
    const databasePath = path.join(dataDir, "meedoen.sqlite");
    const first = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
    await first.stop();
    const sqlite = openServerDatabase(databasePath);
    sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', ?)").run(Date.now() + 86_400_000);
    sqlite.close();
    await expect(startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir })).rejects.toThrow(/newer version of Meedoen/);
  });

  it("with MEEDOEN_NEW_DATABASE=1 beside a network's pictures: starts a new network and keeps every picture", async () => {
    const dataDir = dataDirWithPictures("meant");
    const server = await startServer({ DATABASE_PATH: path.join(dataDir, "meedoen.sqlite"), DATA_DIR: dataDir, MEEDOEN_NEW_DATABASE: "1" });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(readdirSync(path.join(dataDir, "images"))).toHaveLength(6);
    } finally {
      await server.stop();
    }
  });
});

describe("the start's tidying of the pictures folder", () => {
  it("removes a stray picture this database may have written, never one older than its first account", async () => {
    const dataDir = dataDirWithPictures("sweep");
    const databasePath = path.join(dataDir, "meedoen.sqlite");
    const first = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir, MEEDOEN_NEW_DATABASE: "1" });
    await first.stop();
    const sqlite = openServerDatabase(databasePath);
    const [member] = insertMembers(sqlite, 1, "sweep");
    sqlite.prepare("UPDATE members SET created_at = ? WHERE id = ?").run(Date.now() - 86_400_000, member.id);
    const images = path.join(dataDir, "images");
    const older = readdirSync(images);
    // The database knows one of the pictures (a profile photo, say); the others are older than it.
    sqlite.prepare("INSERT INTO images (id, width, height) VALUES (?, 1200, 800)").run(older[0].slice(0, 64));
    sqlite.prepare("UPDATE members SET avatar_image = ? WHERE id = ?").run(older[0].slice(0, 64), member.id);
    sqlite.close();
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const name of older) utimesSync(path.join(images, name), twoDaysAgo, twoDaysAgo);
    const stray = `${"b".repeat(64)}-400.webp`;
    writeFileSync(path.join(images, stray), "left by an upload that was cut off");
    const second = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
    await second.stop();
    expect(readdirSync(images).sort()).toEqual(older.sort());
  });
});
