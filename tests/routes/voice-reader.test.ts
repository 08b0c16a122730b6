// The worker that reads the meetings for a replay of every meeting (app/models/voice-reader.server.ts):
// the server's thread waits for it without the event loop, so a worker that fails must end that
// wait with ReaderFailed (the replay then reads the meetings itself), never hang or crash it.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { derivedVersion, derivedVersionSql } from "~/models/derived.server";
import { MeetingReader, ReaderFailed, type ReaderQueries } from "~/models/voice-reader.server";

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
});
