// Through real server restarts on one database file: the first start replays every meeting and
// its scheduler stores the replay's state; the next start goes on from that state and shows the
// same voices on the members' page as replaying every meeting would; a change the stored state
// cannot follow (a hold) makes the start after it replay every meeting again. An upgrade goes on
// from the stored state unless it changed the voice code (ADR 041), and then too when the install
// prepared it (`node build/index.js --prepare`, ADR 059), even while the old server still runs.
import { execFile } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { replayInput } from "~/models/voice-replay.server";
import { day } from "../support/fixtures";
import { makeFounder, witnessedMeeting } from "../support/governance";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let people: Member[];
let recent: number;
let server: RunningServer | null = null;

const start = async (build?: string) => {
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" }, build);
  return /voices replayed in \d+ ms \(([^)]+)\)/.exec(server.output())?.[1];
};
const stop = async () => {
  await server?.stop();
  server = null;
};

/** The members the members' page marks as having a voice. */
async function badged(): Promise<string[]> {
  const html = await (await fetch(`${server!.url}/members`, { headers: { cookie: people[0].cookie } })).text();
  expect(html).toContain(people[5].displayName);
  return [...html.matchAll(/href="\/members\/([^"]+)">[^<]*<\/a><\/h2><p class="muted">(.*?)<\/p>/g)].filter(([, , line]) => line.includes("badge voice")).map(([, id]) => id).sort();
}
/** What `npm install` runs after the build: the build's preparation for the next start, its one line. */
async function prepare(build = "build/index.js", databasePath = process.env.DATABASE_PATH!, env: Record<string, string> = {}) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [build, "--prepare"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, DATA_DIR: process.env.DATA_DIR!, ...env },
  });
  expect(stderr).toBe("");
  return stdout.trim();
}
const storedRow = () => db().get<{ fingerprint: string; saved_at: number }>(sql`SELECT fingerprint, saved_at FROM voice_checkpoint`);
/** A copy of the database file with `change` run on it (for cases the real file must not go through). */
function changedCopy(name: string, change: string) {
  const file = path.join(path.dirname(process.env.DATABASE_PATH!), `${name}-${process.pid}.sqlite`);
  rmSync(file, { force: true });
  db().$client.exec(`VACUUM INTO '${file}'`);
  const copy = new Database(file);
  copy.exec(change);
  copy.close();
  return file;
}

/** A copy of the migrations folder that more migrations can be added to, as a later release would. */
function migrationsCopy(name: string) {
  const folder = path.join(path.dirname(process.env.DATABASE_PATH!), `${name}-migrations-${process.pid}`);
  rmSync(folder, { recursive: true, force: true });
  cpSync("db/migrations", folder, { recursive: true });
  const add = (tag: string, statements: string) => {
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; when: number }[] };
    const last = journal.entries[journal.entries.length - 1];
    journal.entries.push({ idx: last.idx + 1, version: "6", when: Math.max(Date.now(), last.when + 1), tag, breakpoints: true } as (typeof journal.entries)[number]);
    writeFileSync(journalFile, JSON.stringify(journal, null, 2));
    writeFileSync(path.join(folder, `${tag}.sql`), statements);
  };
  return { folder, add, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
const tableNames = (file: string) => {
  const copy = new Database(file, { readonly: true });
  const names = copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  const migrations = copy.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number;
  copy.close();
  return { names, migrations };
};

const fullReplayVoices = () => [...replayVoices(replayInput(Date.now())).voices.keys()].sort();

beforeAll(async () => {
  const founders = await Promise.all(["Ans", "Bram", "Cor"].map((n) => memberWithSession(n)));
  for (const f of founders) makeFounder(f.id, 120 * day);
  const host = await memberWithSession("Hanna");
  people = await Promise.all(Array.from({ length: 6 }, (_, i) => memberWithSession(`Deelnemer ${i}`)));
  const witnesses = founders.map((f) => f.id);
  for (const [daysAgo, attendees] of [[60, people.slice(0, 3)], [45, people.slice(2, 5)], [30, people.slice(0, 5)], [12, people.slice(3, 5)]] as const)
    witnessedMeeting({ hostId: host.id, witnesses, attendees: attendees.map((p) => p.id), daysAgo });
  recent = witnessedMeeting({ hostId: host.id, witnesses, attendees: [people[4].id], daysAgo: 9 }).sessionId;
});

afterAll(stop);

/** The build with `line` added after `after`: a new version of the code. */
function changedBuild(after: RegExp, line: string, name: string) {
  const build = readFileSync("build/index.js", "utf8");
  const at = after.exec(build)!;
  const file = `build/index.${name}-${process.pid}.js`;
  writeFileSync(file, build.slice(0, at.index + at[0].length) + line + build.slice(at.index + at[0].length));
  return file;
}

describe("restarting the server", () => {
  it("goes on from the stored state of the voice replay, with the voices of a full replay", async () => {
    expect(await start()).toBe("every meeting");
    // The scheduler's first run, before the server said it runs, stored the state.
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM voice_checkpoint`).n).toBe(1);
    const first = await badged();
    expect(first).toEqual(fullReplayVoices());
    expect(first.length).toBeGreaterThan(3);
    expect(first).not.toContain(people[5].id);
    await stop();

    // While it is down, a host marks someone present at last week's meeting.
    db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, updated_at) VALUES (${recent}, ${people[5].id}, 'registered', 9, ${Date.now() - day}, 'code', ${Date.now()})`);
    expect(await start()).toBe("from the stored state");
    expect(await badged()).toEqual(fullReplayVoices());
    await stop();

    // A hold reaches back before the stored state's moment: every meeting is replayed again.
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now() - 50 * day} WHERE id = ${people[0].id}`);
    expect(await start()).toBe("every meeting");
    const afterHold = await badged();
    expect(afterHold).toEqual(fullReplayVoices());
    expect(afterHold).not.toContain(people[0].id);
    await stop();
  });

  it("goes on from the stored state after an upgrade that left the voice code alone, not after one that changed it", async () => {
    const pageChanged = changedBuild(/^\/\/ app\/routes\/\S+\n/m, "var changedPage = 1;\n", "page-changed");
    const rulesChanged = changedBuild(/^\/\/ app\/governance\/voice\.ts\n/m, "var changedRule = 1;\n", "rules-changed");
    try {
      // The build as it is stores (or has stored) the state.
      await start();
      await stop();
      expect(await start(pageChanged)).toBe("from the stored state");
      expect(await badged()).toEqual(fullReplayVoices());
      await stop();
      expect(await start(rulesChanged)).toBe("every meeting");
      expect(await badged()).toEqual(fullReplayVoices());
    } finally {
      await stop();
      rmSync(pageChanged, { force: true });
      rmSync(rulesChanged, { force: true });
    }
  });

  it("goes on from the stored state after an upgrade that changed the voice code when the install prepared it, though the old server ran on", async () => {
    const rulesChanged = changedBuild(/^\/\/ app\/governance\/voice\.ts\n/m, "var changedRule = 2;\n", "rules-prepared");
    try {
      // The version before runs, its scheduler every 200 ms, and has stored its state.
      server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "200" });
      await expect.poll(() => storedRow()?.saved_at ?? 0).toBeGreaterThan(Date.now() - 1_000);
      const before = storedRow()!;
      // The install of the new version prepares the voices for its code while that server runs.
      expect(await prepare(rulesChanged)).toMatch(/^\[prepare\] Voices replayed in \d+ ms \(every meeting\) and stored for this version: the start goes on from them\.$/);
      const prepared = storedRow()!;
      expect(prepared.fingerprint).not.toBe(before.fingerprint);
      // A second run finds it holds.
      expect(await prepare(rulesChanged)).toBe("[prepare] The voices stored hold for this version already: the start goes on from them.");
      // The old server's scheduler runs on and leaves the prepared state alone (it is a newer build's).
      const runs = server.output().split("\n").length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(storedRow()).toEqual(prepared);
      expect(server.output().split("\n").length, "no line of failure meanwhile").toBe(runs);
      // Meanwhile someone checks in at last week's meeting on the old server's watch.
      db().run(sql`UPDATE registrations SET attended_at = ${Date.now() - day} WHERE session_id = ${recent} AND member_id = ${people[3].id}`);
      await stop();
      // The new version's start goes on from the prepared state, with a full replay's voices.
      expect(await start(rulesChanged)).toBe("from the stored state");
      expect(await badged()).toEqual(fullReplayVoices());
    } finally {
      await stop();
      rmSync(rulesChanged, { force: true });
    }
  });

  it("prepares nothing, and never fails the install, without a database, with changes to its structure still to apply, from a newer version or damaged", async () => {
    const missing = path.join(path.dirname(process.env.DATABASE_PATH!), `missing-${process.pid}.sqlite`);
    expect(await prepare(undefined, missing)).toBe(`[prepare] No database at ${missing}: nothing to prepare (set DATABASE_PATH or DATA_DIR as for npm start).`);
    expect(existsSync(missing), "no database made").toBe(false);

    // A state stored by the version before, which a preparation would replace.
    const olderState = "INSERT OR REPLACE INTO voice_checkpoint (id, fingerprint, version, at, until, state, saved_at) VALUES (1, 'older code', 0, 0, 0, x'00', 1)";
    // A release whose migration writes to the check-ins: the voices must be replayed after it.
    const touching = migrationsCopy("touching");
    touching.add("0900_attendance_fixed", "UPDATE `registrations` SET `attendance_by` = 'code' WHERE `attendance_by` IS NULL AND `attended_at` IS NOT NULL;");
    const pending = changedCopy("pending", olderState);
    const newer = changedCopy("newer", `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from a newer version', 1); ${olderState}`);
    const damaged = path.join(path.dirname(process.env.DATABASE_PATH!), `damaged-${process.pid}.sqlite`);
    writeFileSync(damaged, Buffer.alloc(8192, 7));
    try {
      expect(await prepare(undefined, pending, { MIGRATIONS_DIR: touching.folder })).toBe(
        "[prepare] The database has 1 change(s) to its structure still to apply, which the voices depend on: the start applies them and replays the voices then.",
      );
      expect(tableNames(pending).migrations, "no migration applied").toBe(tableNames(newer).migrations - 1);
      expect(await prepare(undefined, newer)).toBe("[prepare] The database was last used by a newer version of Meedoen: nothing prepared.");
      for (const file of [pending, newer]) {
        const copy = new Database(file, { readonly: true });
        expect(copy.prepare("SELECT fingerprint, saved_at FROM voice_checkpoint").get(), `${path.basename(file)}: the stored state untouched`).toEqual({ fingerprint: "older code", saved_at: 1 });
        copy.close();
      }
      expect(await prepare(undefined, damaged)).toMatch(/^\[prepare\] Nothing prepared \(.+\): the start replays the voices itself\.$/);
      expect(readFileSync(damaged).equals(Buffer.alloc(8192, 7)), "the damaged file as it was").toBe(true);
    } finally {
      for (const file of [pending, newer, damaged]) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
      touching.remove();
    }
  });

  it("goes on from the stored state across a migration the voices do not depend on, prepared before it is applied; not across one they do", async () => {
    const migrations = migrationsCopy("later");
    const file = changedCopy("later", "UPDATE voice_checkpoint SET fingerprint = 'older code', saved_at = 1");
    const env = { DATABASE_PATH: file, DATA_DIR: `${file}.data`, MIGRATIONS_DIR: migrations.folder, SCHEDULER_INTERVAL_MS: "3600000" };
    const startOn = async () => {
      server = await startServer(env);
      return /voices replayed in \d+ ms \(([^)]+)\)/.exec(server.output())?.[1];
    };
    try {
      // A later release adds a table of its own, naming members: its install prepares the voices
      // without applying the migration (the old server still runs on the old structure).
      migrations.add("0900_reading_lists", "CREATE TABLE `reading_lists` (\n\t`member_id` text NOT NULL REFERENCES `members`(`id`) ON DELETE cascade,\n\t`title` text NOT NULL\n);\n--> statement-breakpoint\nCREATE INDEX `reading_lists_member` ON `reading_lists` (`member_id`);");
      const before = tableNames(file);
      expect(await prepare(undefined, file, { MIGRATIONS_DIR: migrations.folder })).toMatch(
        /^\[prepare\] Voices replayed in \d+ ms \(every meeting\) and stored for this version: the start goes on from them \(1 change\(s\) to the database's structure wait for the start; the voices do not depend on them\)\.$/,
      );
      expect(tableNames(file), "the structure as it was").toEqual(before);
      // The start applies it and goes on from the prepared state.
      expect(await startOn()).toBe("from the stored state");
      expect(tableNames(file).names).toContain("reading_lists");
      expect(await badged()).toEqual(fullReplayVoices());
      await stop();
      // The next release's migration rewrites check-ins (a column no trigger follows): every
      // meeting is replayed, though the voice code is the same.
      migrations.add("0901_attendance_fixed", "UPDATE `registrations` SET `attendance_by` = 'code' WHERE `attendance_by` IS NULL AND `attended_at` IS NOT NULL;");
      expect(await prepare(undefined, file, { MIGRATIONS_DIR: migrations.folder })).toMatch(/which the voices depend on/);
      expect(await startOn()).toBe("every meeting");
      expect(await badged()).toEqual(fullReplayVoices());
      await stop();
      // And one that only adds an index to the check-ins leaves the state stored after it standing.
      migrations.add("0902_attendance_index", "CREATE INDEX `registrations_attended_by` ON `registrations` (`attendance_by`);");
      expect(await startOn()).toBe("from the stored state");
      expect(await badged()).toEqual(fullReplayVoices());
    } finally {
      await stop();
      migrations.remove();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
      rmSync(`${file}.data`, { recursive: true, force: true });
    }
  });
});
