import { describe, expect, it } from "vitest";
import { deriveStatus } from "~/lib/status";

const now = Date.UTC(2026, 10, 25, 12);
const h = 3_600_000;

describe("an initiative's status follows its sessions", () => {
  it.each([
    ["no sessions: an idea", "idea", null, null, "idea"],
    ["all sessions ahead: planned", "idea", now + h, now + 5 * h, "planned"],
    ["first session has started: running", "idea", now - h, now + 30 * 24 * h, "running"],
    ["exactly at the first start: running", "idea", now, now + h, "running"],
    ["between two sessions of a course: running", "idea", now - 7 * 24 * h, now + 7 * 24 * h, "running"],
    ["exactly at the last end: still running", "idea", now - h, now, "running"],
    ["last session has ended: completed", "idea", now - 5 * h, now - h, "completed"],
    ["cancelled stays cancelled", "cancelled", now + h, now + 2 * h, "cancelled"],
  ])("%s", (_label, stored, first, last, expected) => {
    expect(deriveStatus(stored as string, first as number | null, last as number | null, now)).toBe(expected);
  });
});
