// Browser tests: the Debian chromium driven by playwright-core (no downloaded browsers), plus an
// accessibility check with axe-core (the copy @axe-core/playwright depends on).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

// Chromium 156 opens every browser context as a window with the address bar's suggestion popups
// made as web pages of their own (chrome://omnibox-popup.top-chrome/), each in its own renderer
// process: about 2.5 s of processor time per context on a 2-core machine, a third of the
// browser's work in a test that opens a few people's browsers, and they went on working seconds
// after the page was idle. No test looks at the address bar, so they are switched off. Chromium
// reads only one --disable-features, so Playwright's own list (playwright-core 1.65) is repeated
// here with them; tests/e2e/browser-switches.test.ts fails when Playwright's list changes.
const playwrightDisabledFeatures = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
];
const addressBarPopups = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"];

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  `--disable-features=${[...playwrightDisabledFeatures, ...addressBarPopups].join(",")}`,
];

export const phoneViewport = { width: 360, height: 740 };
export const desktopViewport = { width: 1280, height: 800 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

export type ContextOptions = {
  /** The server's URL; relative paths in page.goto() resolve against it. */
  baseURL?: string;
  /** false: the page runs without any JavaScript, as for a visitor with scripts off. Default true. */
  javaScript?: boolean;
  /** true: a 360×740 phone screen. */
  phone?: boolean;
  /** A member's session cookie ("name=value"), set for baseURL: the pages open signed in. */
  cookie?: string | null;
} & Omit<BrowserContextOptions, "baseURL" | "javaScriptEnabled">;

// Contexts made here with JavaScript off; axe cannot run inside them (see below).
const scriptless = new WeakSet<BrowserContext>();

export async function newContext(browser: Browser, { baseURL, javaScript = true, phone = false, cookie, ...rest }: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: javaScript,
    ...(phone ? { viewport: phoneViewport } : {}),
    locale: "nl-NL",
    ...rest,
  });
  if (!javaScript) scriptless.add(context);
  if (cookie) {
    if (!baseURL) throw new Error("A cookie needs the server's baseURL.");
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name, value: value.join("="), url: baseURL }]);
  }
  return context;
}

/** A fresh context with one page in it. */
export async function newPage(browser: Browser, options: ContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  return { context, page };
}

/**
 * With JavaScript on, waits until React has hydrated the page (its fiber is attached to <main>),
 * so that clicks go through Remix rather than a plain form post and nothing done to the DOM is
 * undone by hydration. With JavaScript off there is nothing to wait for.
 */
export async function waitForHydration(page: Page): Promise<void> {
  if (scriptless.has(page.context())) return;
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    return !!main && Object.keys(main).some((key) => key.startsWith("__reactFiber$"));
  });
}

type AxeViolation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One readable line per violation: id, impact, the elements it was found on. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => n.target.map(String).join(" >> ")).join(", ");
      return `- ${v.id} (${v.impact}): ${v.help}\n    on: ${targets}`;
    })
    .join("\n");
}

/**
 * Runs axe on the page as it is now; throws listing every serious or critical violation.
 *
 * In a context with JavaScript off, Chromium fires no timers, not even for evaluated code, so
 * axe would wait forever. Its DOM is then copied into a scratch page with JavaScript on, at the
 * same address and size (so the stylesheet loads and colours and sizes are real), served with a
 * CSP that lets none of the page's own scripts run, and checked there.
 */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  if (!scriptless.has(page.context())) return check(page);
  const browser = page.context().browser();
  if (!browser) throw new Error("expectNoSeriousAxeViolations: the page has no browser");
  // The address without its fragment: that is what the copy is requested as, and going to it
  // again always loads the new copy (a change of fragment alone would keep the old one).
  const url = page.url().split("#")[0];
  const html = await page.content();
  const viewport = page.viewportSize() ?? { width: 1280, height: 720 };
  const scratch = scratchOf(browser);
  const checked = scratch.turn.then(async () => {
    const copyPage = await scratch.page;
    scratch.copy.url = url;
    scratch.copy.html = html;
    await copyPage.setViewportSize(viewport);
    await copyPage.goto(url);
    await check(copyPage);
  });
  scratch.turn = checked.catch(() => undefined);
  return checked;
}

type Copy = { url: string; html: string };
type Scratch = { page: Promise<Page>; copy: Copy; turn: Promise<unknown> };

// One scratch page per browser, made on first use and reused for every copy: a new context for
// each copy took 0.6–0.8 s more per check (a new context, and the stylesheet loaded again). Copies
// are checked one at a time, in the order they were asked for.
const scratchPages = new WeakMap<Browser, Scratch>();

function scratchOf(browser: Browser): Scratch {
  let scratch = scratchPages.get(browser);
  if (!scratch) {
    const copy: Copy = { url: "", html: "" };
    scratch = { page: openScratchPage(browser, copy), copy, turn: Promise.resolve() };
    scratchPages.set(browser, scratch);
  }
  return scratch;
}

/** A page whose requests for the copy's address are answered with the copy, scripts blocked. */
async function openScratchPage(browser: Browser, copy: Copy): Promise<Page> {
  const context = await browser.newContext({ locale: "nl-NL" });
  await context.route(
    (requested) => requested.href === copy.url,
    (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", headers: { "Content-Security-Policy": "script-src 'none'" }, body: copy.html }),
  );
  const page = await context.newPage();
  await loadAxeInEveryDocument(page);
  return page;
}

const axeSource = readFileSync(createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js"), "utf8");
type Axe = { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };

/**
 * Puts axe-core into every document the page loads from now on, before the document's own scripts
 * (it touches nothing of theirs). For a page checked at every address: compiled once and taken from
 * the renderer's cache after, where putting it in afterwards compiled all 500 KB for each document
 * (90 ms of the 580 a checked address took).
 */
export async function loadAxeInEveryDocument(page: Page): Promise<void> {
  await page.addInitScript(axeSource);
}

/**
 * axe-core run in the page, with all its default rules. Unlike AxeBuilder.analyze() it is put in
 * a document once, not for every run (a page checked at two widths is checked twice), opens no
 * blank page to gather the results of frames (our pages have none) and lists passing elements
 * not at all: about three times faster, which matters with a hundred and more checks.
 */
async function check(page: Page): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(() => (window as unknown as { axe: Axe }).axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) {
    throw new Error(`${serious.length} serious or critical accessibility violation(s) on ${page.url()}:\n${describeViolations(serious)}`);
  }
}
