// The browser tests switch off Chromium's address-bar popups (ADR 044) with a --disable-features
// of their own. Chromium reads only one such switch, so ours repeats the features Playwright
// switches off by default; this reads what Chromium was started with, from chrome://version, so
// an upgrade of Playwright that changes its list fails here rather than quietly changing how
// every browser test runs.
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumArgs, chromiumPath } from "../support/browser";

async function disabledFeatures(args: string[]): Promise<string[][]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args, headless: true });
  try {
    const page = await browser.newPage();
    await page.goto("chrome://version");
    const commandLine = await page.locator("#command_line").innerText();
    return commandLine
      .split(/\s+/)
      .filter((arg) => arg.startsWith("--disable-features="))
      .map((arg) => arg.slice("--disable-features=".length).split(","));
  } finally {
    await browser.close();
  }
}

describe("the browser tests' Chromium switches", () => {
  it("repeat every feature Playwright switches off, and switch off the address bar's popups last", async () => {
    const playwrights = await disabledFeatures([]);
    expect(playwrights).toHaveLength(1);
    expect(playwrights[0]).toContain("PaintHolding");

    const ours = await disabledFeatures(chromiumArgs);
    // Playwright's switch first, ours after it: the one Chromium reads.
    expect(ours).toHaveLength(2);
    const last = ours[1];
    expect(last).toEqual(expect.arrayContaining(playwrights[0]));
    expect(last).toEqual(expect.arrayContaining(["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"]));
  });
});
