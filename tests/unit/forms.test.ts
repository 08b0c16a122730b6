// Cleaning typed text and following "where to go next" safely.
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/lib/auth.server";
import { z } from "zod";
import { cleanText, parseForm, typedNumber } from "~/lib/forms";

describe("cleanText", () => {
  it("drops control, direction and invisible characters, and keeps the joiners emoji need", () => {
    expect(cleanText("a\u0000b\u0007c\u0085d\u009f")).toBe("abcd");
    expect(cleanText("Factuur\u202Egnp.exe\u202C")).toBe("Factuurgnp.exe");
    expect(cleanText("Ann\u200Ba\u2060\uFEFF\u200E\u200F\u061C")).toBe("Anna");
    expect(cleanText("\u200B\u2060\uFEFF ")).toBe("");
    expect(cleanText("👩🏽\u200D🌾 ي\u200Cك")).toBe("👩🏽\u200D🌾 ي\u200Cك");
    expect(cleanText("x\uD800y\uDC00z\uFFFD\uFFFE")).toBe("xyz");
    expect(cleanText("een\r\ntwee\rdrie\u2028vier")).toBe("een\ntwee\ndrie\nvier");
    expect(cleanText("e\u0301")).toBe("é");
  });
});

describe("typedNumber", () => {
  it("reads digits only; anything else is not a number", () => {
    const read = typedNumber(null);
    expect(read("")).toBeNull();
    expect(read("12")).toBe(12);
    for (const odd of ["1e3", "0x10", "1.5", "-2", "٣", "Infinity", "12abc"]) expect(read(odd)).toBeNaN();
  });
});

describe("safeRedirect", () => {
  it("follows only paths on this site, percent-encoded", () => {
    expect(safeRedirect("/agenda?week=2#top")).toBe("/agenda?week=2#top");
    expect(safeRedirect("/ünï")).toBe("/%C3%BCn%C3%AF");
    for (const away of ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\n/evil.example", "https://evil.example", "javascript:alert(1)", " /x", "/" + "a".repeat(3000)]) {
      expect(safeRedirect(away), JSON.stringify(away)).toBe("/");
    }
    expect(safeRedirect("/a\r\nSet-Cookie: x=1")).toBe("/aSet-Cookie:%20x=1");
  });
});

describe("parseForm", () => {
  it("lists the errors in the order the form sent its fields, missing fields last", () => {
    const schema = z.object({
      email: z.string().min(3, { error: "auth.email.invalid" }),
      password: z.string().min(10, { error: "auth.password.tooShort" }),
      displayName: z.string().min(1, { error: "auth.displayName.required" }),
    });
    const form = new FormData();
    form.set("displayName", "");
    form.set("email", "x");
    const result = parseForm(schema, form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(["displayName", "email", "password"]);
    expect(result.values).toEqual({ displayName: "", email: "x" });
  });
});
