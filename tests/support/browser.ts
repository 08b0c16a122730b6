// Browser tests: the Debian chromium driven by playwright-core (no downloaded browsers), plus an
// accessibility check with axe.
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export const phoneViewport = { width: 360, height: 740 };

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
} & Omit<BrowserContextOptions, "baseURL" | "javaScriptEnabled">;

export function newContext(browser: Browser, { baseURL, javaScript = true, phone = false, ...rest }: ContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    javaScriptEnabled: javaScript,
    ...(phone ? { viewport: phoneViewport } : {}),
    locale: "nl-NL",
    ...rest,
  });
}

/** A fresh context with one page in it. */
export async function newPage(browser: Browser, options: ContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  return { context, page };
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

/** Runs axe on the page as it is now; throws listing every serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) {
    throw new Error(`${serious.length} serious or critical accessibility violation(s) on ${page.url()}:\n${describeViolations(serious)}`);
  }
}
