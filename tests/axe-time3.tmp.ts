import { execFileSync } from "node:child_process";
import path from "node:path";
import { startServer } from "./support/server";
import { launchBrowser, newPage, expectNoSeriousAxeViolations } from "./support/browser";
const db = "/tmp/axe/demo3.sqlite";
execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: db }, stdio: "ignore" });
const server = await startServer({ DATABASE_PATH: db });
const browser = await launchBrowser();
const pages = ["/", "/agenda", "/initiatives/1", "/members", "/how-it-works", "/proposals"];
for (let round = 0; round < 2; round++) for (const javaScript of [true, false]) {
  const { context, page } = await newPage(browser, { baseURL: server.url, phone: true, javaScript });
  let goto = 0, axe = 0;
  for (const p of pages) { let t = performance.now(); await page.goto(p); goto += performance.now() - t; t = performance.now(); await expectNoSeriousAxeViolations(page); axe += performance.now() - t; }
  console.log(javaScript ? "js   " : "no js", "goto", (goto / pages.length).toFixed(0), "axe", (axe / pages.length).toFixed(0), "ms per page");
  await context.close();
}
await browser.close(); await server.stop();
