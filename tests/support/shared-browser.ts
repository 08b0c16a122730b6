// One Chromium for the whole run (vitest's globalSetup): the browser tests' files connect to it
// instead of each starting and stopping a browser of its own, about 2 s of processor time each on
// a 2-core machine that the suite keeps busy throughout. Each file still has contexts of its own,
// which close when it disconnects. Without Chromium on the machine nothing is started, and a
// browser test says so when it asks for the browser (tests/support/browser.ts).
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { chromiumArgs, chromiumPath } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    browserEndpoint: string | null;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(chromiumPath)) {
    project.provide("browserEndpoint", null);
    return;
  }
  const server = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  project.provide("browserEndpoint", server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
