// The worker that reads the meetings for a replay of every meeting (app/models/voice-reader.server.ts):
// the server's thread waits for it without the event loop, so a worker that fails must end that
// wait with ReaderFailed (the replay then reads the meetings itself), never hang or crash it.
import { rmSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { derivedVersion, derivedVersionSql } from "~/models/derived.server";
import { hasStandingReader, MeetingReader, ReaderFailed, releaseStandingReader, standByMeetingReader, type ReaderQueries } from "~/models/voice-reader.server";
import { mayReadMeetingsEarly, replayReader } from "~/models/voice-replay.server";

const queries: ReaderQueries = {
  version: derivedVersionSql,
  versionParams: ["voice"],
  hosts: "SELECT initiative_id, member_id, since, ? FROM hosts",
  hostsParams: [Number.MAX_SAFE_INTEGER],
  meetings: "SELECT * FROM no_such_table WHERE ? AND ? AND ? AND ?",
  nthStart: "SELECT starts_at FROM sessions WHERE starts_at >= ? ORDER BY starts_at LIMIT 1 OFFSET ?",
};

describe("the worker reading the meetings", () => {
  it("says the version it reads, and fails its batches with ReaderFailed when its reading fails", () => {
    const file = db().$client.name;
    const reader = new MeetingReader(file, Date.now(), queries);
    try {
      expect(reader.version()).toBe(derivedVersion("voice"));
      expect(() => [...reader.batches()]).toThrow(ReaderFailed);
    } finally {
      reader.stop();
    }
  });

  it("fails with ReaderFailed on a file that is not there", () => {
    const reader = new MeetingReader(path.join(path.dirname(db().$client.name), "not-there.sqlite"), Date.now(), queries);
    try {
      expect(() => reader.version()).toThrow(ReaderFailed);
    } finally {
      reader.stop();
    }
  });

  it("reads nothing when there are no meetings, and ends", () => {
    const reader = new MeetingReader(db().$client.name, Date.now(), { ...queries, meetings: "SELECT 1, 1, 1, 1, 0, 'a', NULL WHERE 0 AND ? AND ? AND ? AND ?" });
    try {
      const batches = [...reader.batches()];
      expect(batches.reduce((n, b) => n + b.data.length, 0)).toBe(0);
    } finally {
      reader.stop();
    }
  });

  // Two meetings of members a, b and c: the second's attendees in the order they came, one marked by a host.
  const twoMeetings = {
    ...queries,
    meetings: `SELECT 7, 1, 100, 50, 0, 'a' || char(31) || 'b', NULL WHERE ? AND ? AND ? AND ?
      UNION ALL SELECT 8, 1, 200, 150, 0, 'c' || char(31) || 'a', 'a'`,
  };
  const read = (reader: MeetingReader) => {
    try {
      return [...reader.batches()].map(({ texts, data }) => ({ texts, data: [...data] }));
    } finally {
      reader.stop();
    }
  };

  it("takes the worker the start loaded ahead, which reads what a new one reads", () => {
    const file = db().$client.name;
    const fresh = read(new MeetingReader(file, Date.now(), twoMeetings));
    expect(fresh).toEqual([{ texts: ["a", "b", "c"], data: [7, 1, 100, 50, 0, 2, 0, 1, 0, 8, 1, 200, 150, 0, 2, 2, 0, 1, 0] }]);
    standByMeetingReader();
    expect(hasStandingReader()).toBe(true);
    const reader = new MeetingReader(file, Date.now(), twoMeetings);
    expect(hasStandingReader()).toBe(false);
    expect(read(reader)).toEqual(fresh);
  });

  it("lets the worker loaded ahead go when no reader takes it; a later reader loads its own", () => {
    standByMeetingReader();
    standByMeetingReader();
    expect(hasStandingReader()).toBe(true);
    releaseStandingReader();
    expect(hasStandingReader()).toBe(false);
    expect(read(new MeetingReader(db().$client.name, Date.now(), twoMeetings))[0].texts).toEqual(["a", "b", "c"]);
  });

  it("is loaded ahead only for a file large enough to hold the check-ins that make the start read on a worker", () => {
    const file = path.join(path.dirname(db().$client.name), "size-of-a-network.sqlite");
    const bytes = replayReader.fromCheckIns * 50;
    try {
      expect(mayReadMeetingsEarly(file)).toBe(false);
      writeFileSync(file, "");
      truncateSync(file, bytes - 4096);
      expect(mayReadMeetingsEarly(file)).toBe(false);
      // What is still in the write-ahead log counts too.
      writeFileSync(`${file}-wal`, "");
      truncateSync(`${file}-wal`, 4096);
      expect(mayReadMeetingsEarly(file)).toBe(true);
    } finally {
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
    }
  });
});
