// The connection keeps its prepared statements (db/client.ts): a statement handed out again must
// behave as a newly prepared one would, whatever the last user did with it.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { keepPreparedStatements, openDatabase } from "../../db/client";

const files: string[] = [];
function openFresh() {
  const file = path.join(os.tmpdir(), `meedoen-statements-${randomBytes(4).toString("hex")}.sqlite`);
  files.push(file);
  return openDatabase(file);
}
afterEach(() => {
  for (const file of files.splice(0)) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
});

describe("kept prepared statements", () => {
  it("are prepared once per text, and come back with rows as objects after raw, pluck or expand", () => {
    const db = openFresh();
    const client = db.$client;
    client.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'een'), (2, 'twee');");
    const query = "SELECT a, b FROM t ORDER BY a";
    const first = client.prepare(query);
    expect(first.raw().all()).toEqual([[1, "een"], [2, "twee"]]);
    const again = client.prepare(query);
    expect(again).toBe(first);
    expect(again.all()).toEqual([{ a: 1, b: "een" }, { a: 2, b: "twee" }]);
    expect(client.prepare(query).pluck().all()).toEqual([1, 2]);
    expect(client.prepare(query).get()).toEqual({ a: 1, b: "een" });
    client.prepare(query).expand();
    expect(client.prepare(query).get()).toEqual({ a: 1, b: "een" });
    // Drizzle's own queries go through the same statements and still read as objects.
    client.prepare(query).raw();
    expect(db.all(sql.raw(query))).toEqual([{ a: 1, b: "een" }, { a: 2, b: "twee" }]);
    client.close();
  });

  it("writes through a kept statement, and gives a busy one's text a statement of its own", () => {
    const db = openFresh();
    const client = db.$client;
    client.exec("CREATE TABLE t (a INTEGER)");
    for (let i = 0; i < 3; i++) client.prepare("INSERT INTO t VALUES (?)").run(i);
    expect(client.prepare("SELECT count(*) FROM t").pluck().get()).toBe(3);
    // Reading the same query inside its own iteration: the open one is busy, so a new one is made.
    const seen: number[] = [];
    for (const row of client.prepare("SELECT a FROM t ORDER BY a").iterate() as Iterable<{ a: number }>) {
      seen.push(row.a, (client.prepare("SELECT a FROM t ORDER BY a").all() as { a: number }[]).length);
    }
    expect(seen).toEqual([0, 3, 1, 3, 2, 3]);
    client.close();
  });

  it("keeps at most the given number, dropping the one used longest ago", () => {
    const file = path.join(os.tmpdir(), `meedoen-statements-${randomBytes(4).toString("hex")}.sqlite`);
    files.push(file);
    const client = new Database(file);
    keepPreparedStatements(client, 2);
    const one = client.prepare("SELECT 1");
    const two = client.prepare("SELECT 2");
    expect(client.prepare("SELECT 1")).toBe(one);
    client.prepare("SELECT 3");
    // "SELECT 2" was used longest ago, so it went; "SELECT 1" stayed.
    expect(client.prepare("SELECT 1")).toBe(one);
    expect(client.prepare("SELECT 2")).not.toBe(two);
    client.close();
  });
});
