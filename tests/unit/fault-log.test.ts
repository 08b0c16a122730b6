import { afterEach, describe, expect, it, vi } from "vitest";
import { isStorageFault, logFault, recentStorageFault } from "~/lib/fault-log.server";

const full = () => Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });

afterEach(() => vi.restoreAllMocks());

describe("the fault log", () => {
  it("tells storage faults from bugs", () => {
    expect(isStorageFault(full())).toBe(true);
    expect(isStorageFault(Object.assign(new Error("no space"), { code: "ENOSPC" }))).toBe(true);
    expect(isStorageFault(Object.assign(new Error("x"), { code: "SQLITE_IOERR_WRITE" }))).toBe(true);
    expect(isStorageFault(Object.assign(new Error("x"), { code: "SQLITE_CONSTRAINT_UNIQUE" }))).toBe(false);
    expect(isStorageFault(new TypeError("undefined is not a function"))).toBe(false);
    expect(isStorageFault(null)).toBe(false);
  });

  it("writes one line a minute for a full disk, with the count, and no stack", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const start = 1_000_000_000_000;
    for (let i = 0; i < 1_218; i++) logFault(full(), start + i * 49);
    // 1,218 refused writes over just under a minute: one line at the first, one after a minute.
    expect(error).toHaveBeenCalledTimes(1);
    logFault(full(), start + 61_000);
    expect(error).toHaveBeenCalledTimes(2);
    const lines = error.mock.calls.map((call) => String(call[0]));
    expect(lines[1]).toMatch(/^\[storage\] SQLITE_FULL: database or disk is full \(1218 request\(s\) refused/);
    expect(lines.join("\n")).not.toMatch(/\n\s+at /);
    // /healthz says so for a minute after the last one.
    expect(recentStorageFault(start + 61_000 + 59_000)).toMatchObject({ code: "SQLITE_FULL" });
    expect(recentStorageFault(start + 61_000 + 60_001)).toBeNull();
    // Another kind of failure gets its own line in the same minute.
    logFault(Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" }), start + 62_000);
    expect(error).toHaveBeenCalledTimes(3);
    expect(String(error.mock.calls[2][0])).toMatch(/^\[storage\] SQLITE_IOERR/);
  });

  it("still writes a bug in full, with its stack", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const bug = new TypeError("undefined is not a function");
    logFault(bug);
    expect(error).toHaveBeenCalledWith(bug);
  });
});
