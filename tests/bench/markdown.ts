// Rendering user markdown in bounded time (issue 12): every user-text field at its maximum length,
// filled with each of the worst inputs known for marked (deep quotes and lists, emphasis runs,
// brackets, backticks, long links, many reference definitions, long tables, HTML tags, long runs
// of spaces…). Prints the slowest render per input and length, what the renderer made of it
// (markdown, or plain text and why), and then, through the real server, how long `/healthz`
// waits while the pages that show such texts are made. Figures only, no assertions;
// `npm run bench` runs it after `remix build`. The target is at most 50 ms per render.
//
// The worst inputs and the field lengths are exported: tests/unit/markdown.test.ts and
// tests/routes/hostile/markdown.test.ts use the same ones.
//
// Timing on a shared 2-core machine is noisy: each render is repeated (BENCH_MARKDOWN_RUNS, 5 by
// default) and the slowest wall time is printed, with the most and the median process CPU time
// of one render (which other processes on the machine do not inflate; the most includes the
// garbage collector's occasional pause).
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Every field where a member's text is stored and shown, with its maximum length (the zod schemas
 * and form checks). `markdown: false` fields are shown as plain text (React escapes them); they are
 * rendered here as if they were markdown all the same, so the renderer is known to be safe at their
 * lengths too.
 */
export const userTextFields: { name: string; max: number; markdown: boolean }[] = [
  // app/models/initiatives.server.ts `limits`; /feed.xml renders `${summary}\n\n${body}` as one text.
  { name: "initiative summary + body (/feed.xml)", max: 280 + 2 + 20_000, markdown: true },
  { name: "initiative body", max: 20_000, markdown: true },
  // app/routes/proposals.new.tsx `rulesText`: adopted, it is the house rules page.
  { name: "house rules text", max: 20_000, markdown: true },
  // app/models/contributions.server.ts `contributionLimits` (the outcome is also excerpted on /).
  { name: "outcome", max: 10_000, markdown: true },
  // app/routes/proposals.new.tsx `body`.
  { name: "proposal body", max: 10_000, markdown: true },
  { name: "comment", max: 5_000, markdown: true },
  // app/models/profiles.server.ts `profileLimits`.
  { name: "member bio", max: 4_000, markdown: true },
  { name: "initiative summary", max: 280, markdown: true },
  // Plain-text fields: app/routes/proposals.$id.tsx `proposalLimits`, app/routes/sessions.$id_.message.tsx,
  // app/models/flags.server.ts `flagLimits`, app/models/profiles.server.ts `profileLimits.now`.
  { name: "proposal statement", max: 5_000, markdown: false },
  { name: "session message body", max: 5_000, markdown: false },
  { name: "proposal reason", max: 2_000, markdown: false },
  { name: "flag reason", max: 1_000, markdown: false },
  { name: "now line", max: 280, markdown: false },
];

/** `unit` repeated to exactly `length` characters. */
export const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Lines made by `line(i)` for i = 0, 1, 2… until `length` characters (cut to exactly that). */
const lines = (length: number, line: (i: number) => string) => {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const next = `${line(i)}\n`;
    parts.push(next);
    size += next.length;
  }
  return parts.join("").slice(0, length);
};

/**
 * The worst inputs, each exactly `length` characters. `crash` ones threw "Maximum call stack size
 * exceeded" in marked, `stall` ones took seconds at 20,000 characters (both before issue 12).
 */
export function worstInputs(length: number): { name: string; text: string; kind?: "crash" | "stall" }[] {
  const n = length;
  return [
    // Nesting
    { name: "deep quotes `> `", text: fill("> ", n), kind: "crash" },
    { name: "deep quotes `>`", text: fill(">", n), kind: "crash" },
    { name: "deep quotes `>\\t`", text: fill(">\t", n), kind: "crash" },
    { name: "deep lists `1. `", text: fill("1. ", n), kind: "crash" },
    { name: "deep lists `- > `", text: fill("- > ", n), kind: "crash" },
    { name: "deep lists `* 1) `", text: fill("* 1) ", n) },
    { name: "lists nested by indent", text: lines(n, (i) => `${" ".repeat(2 * i)}- a`) },
    { name: "ordered nested by indent", text: lines(n, (i) => `${" ".repeat(3 * i)}1. a`) },
    { name: "quotes in lists by indent", text: lines(n, (i) => `${" ".repeat(2 * i)}- > a`) },
    // Emphasis and strikethrough runs
    { name: "emphasis `_a`", text: fill("_a", n), kind: "stall" },
    { name: "emphasis `*a`", text: fill("*a", n), kind: "stall" },
    { name: "emphasis `**a`", text: fill("**a", n) },
    { name: "emphasis `__a`", text: fill("__a", n) },
    { name: "emphasis `***a`", text: fill("***a", n) },
    { name: "emphasis `_*a`", text: fill("_*a", n), kind: "stall" },
    { name: "emphasis `**_`", text: fill("**_", n) },
    { name: "emphasis `_a ` (spaced)", text: fill("_a ", n) },
    { name: "emphasis `a* `", text: fill("a* ", n) },
    { name: "emphasis nested `*a _…_ a*`", text: fill("*a _", Math.floor(n / 2)) + fill("_ a*", n - Math.floor(n / 2)), kind: "crash" },
    { name: "strikethrough `~a`", text: fill("~a", n) },
    { name: "strikethrough `~~a`", text: fill("~~a", n) },
    { name: "emphasis per line `_a\\n`", text: fill("_a\n", n) },
    { name: "every mark `_*~[!<\\``", text: fill("_*~[!<`\\@a", n) },
    { name: "list of bold items", text: fill("- **a** _b_\n", n) },
    // Brackets and links
    { name: "brackets `[[[[`", text: fill("[", n) },
    { name: "brackets `[a`", text: fill("[a", n) },
    { name: "brackets `]`", text: fill("]", n) },
    { name: "images `![`", text: fill("![", n) },
    { name: "exclamation marks `!`", text: fill("!", n), kind: "stall" },
    { name: "links opened `[a](`", text: fill("[a](", n) },
    { name: "links `[a](b`", text: fill("[a](b", n) },
    { name: "links `[a]`", text: fill("[a]", n) },
    { name: "long link", text: `[a](https://example.org/${fill("a", n - 25)})` },
    { name: "long autolink `<https://…>`", text: `<https://example.org/${fill("a", n - 22)}>` },
    { name: "long bare URL", text: `https://example.org/${fill("a.", n - 20)}` },
    { name: "many bare URLs", text: fill("https://a.nl ", n) },
    { name: "many `www.`", text: fill("www.", n) },
    { name: "many `www.` words", text: fill("www.a ", n) },
    { name: "bare URLs in one word", text: fill("https://a.nl/", n) },
    { name: "bare URLs, two a word", text: fill("https://a.nl,https://b.nl ", n) },
    { name: "many e-mail addresses", text: fill("a@b.nl ", n) },
    { name: "list of links", text: fill("- https://a.nl\n", n) },
    { name: "e-mail-like", text: `a@${fill("a.", n - 3)}_` },
    { name: "many reference definitions", text: lines(n, (i) => `[r${i}]: https://example.org/${i} "t"`) },
    { name: "definitions and uses", text: lines(Math.floor(n / 2), (i) => `[r${i}]: /u${i}`) + "\n\n" + fill("[r1] [r2][r3] ", n - Math.floor(n / 2) - 2) },
    { name: "definition with an open title", text: `[a]: /u '${fill("a\n", n - 9)}` },
    // Code
    { name: "backticks ```", text: fill("`", n) },
    { name: "backticks `` `a``", text: fill("`a", n) },
    { name: "backticks ``` ``a```", text: fill("``a", n) },
    { name: "backtick runs 1…k", text: fill(Array.from({ length: 200 }, (_, i) => "`".repeat(i + 1)).join("a"), n) },
    { name: "code fences", text: fill("```\n", n) },
    { name: "open fence", text: `\`\`\`\n${fill("_a", n - 4)}` },
    // Tables
    { name: "long table", text: `a|b\n-|-\n${fill("a|b\n", n - 8)}` },
    { name: "wide table", text: (() => { const w = Math.floor((n - 2) / 4); return `|${fill("a|", w)}\n|${fill("-|", n - w - 3)}`; })() },
    { name: "pipes `a|`", text: fill("a|", Math.floor(n / 2)) + "\n" + fill("-|", n - Math.floor(n / 2) - 1) },
    // HTML
    { name: "HTML `<div>`", text: fill("<div>", n) },
    { name: "HTML blocks `<div>\\n`", text: fill("<div>\n", n) },
    { name: "HTML `<a href=x>`", text: fill("<a href=x>", n) },
    { name: "HTML inline `a <b> `", text: fill("a <b> ", n) },
    { name: "angle brackets `<`", text: fill("<", n) },
    { name: "angle brackets `<a`", text: fill("<a", n) },
    { name: "HTML long tag", text: `<a ${fill("b=c ", n - 3)}` },
    { name: "HTML comments `<!--`", text: fill("<!--", n) },
    // Whitespace and line structure
    { name: "long run of spaces", text: `a${" ".repeat(n - 2)}b`, kind: "stall" },
    { name: "long run of no-break spaces", text: `a${"\u00a0".repeat(n - 2)}b` },
    { name: "hard breaks `a  \\n`", text: fill("a  \n", n) },
    { name: "lines `a\\n`", text: fill("a\n", n) },
    { name: "paragraphs `a\\n\\n`", text: fill("a\n\n", n) },
    { name: "list items `- a\\n`", text: fill("- a\n", n) },
    { name: "ordered items `1. a\\n`", text: fill("1. a\n", n) },
    { name: "loose list `- a\\n\\n`", text: fill("- a\n\n", n) },
    { name: "quote lines `> a\\n`", text: fill("> a\n", n) },
    { name: "headings `# a\\n`", text: fill("# a\n", n) },
    { name: "setext headings", text: fill("a\n=\n", n) },
    { name: "rules `***\\n`", text: fill("***\n", n) },
    { name: "tabs", text: fill("\t", n) },
    { name: "newlines", text: fill("\n", n) },
    // Escapes and entities
    { name: "backslashes", text: fill("\\", n) },
    { name: "escapes `\\_`", text: fill("\\_", n) },
    { name: "ampersands `&`", text: fill("&", n) },
    { name: "entities `&#1`", text: fill("&#1", n) },
    // An ordinary text, for comparison
    { name: "ordinary prose", text: fill("Dit is een *gewone* zin met een [link](https://example.org) en `code`. ", n) },
  ];
}

// The benchmark (only when run, not when imported).

async function main() {
  const { explainMarkdown } = await import("../../app/lib/markdown.server");
  const runs = Number(process.env.BENCH_MARKDOWN_RUNS ?? 5);
  const target = 50;
  console.log(`Markdown rendering: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(`Each text rendered ${runs} times (no memo), in ms: the slowest wall time, the most process CPU time one render took, and the median CPU time.\n`);

  // Warm up the JIT on ordinary texts, as a running server would be.
  for (let i = 0; i < 20; i++) explainMarkdown(fill(`Dit is *tekst* nummer ${i} met [een link](https://example.org) en \`code\`.\n\n- een\n- twee\n\n`, 5_000));

  const overall = { wall: 0, cpu: 0, wallName: "", cpuName: "" };
  const lengths = [...new Set(userTextFields.map((f) => f.max))].sort((a, b) => b - a);
  for (const length of lengths) {
    const names = userTextFields.filter((f) => f.max === length).map((f) => f.name + (f.markdown ? "" : " (plain text)"));
    console.log(`--- ${length.toLocaleString("en")} characters: ${names.join(", ")}`);
    console.log(`  ${"input".padEnd(34)} ${"wall".padStart(8)} ${"CPU".padStart(7)} ${"median".padStart(7)}  shown as`);
    const slowest = { wall: 0, cpu: 0, wallName: "", cpuName: "" };
    for (const input of worstInputs(length)) {
      if (input.text.length !== length) throw new Error(`${input.name} is ${input.text.length} characters, not ${length}`);
      let wall = 0;
      let cpu = 0;
      const cpus: number[] = [];
      let how = "";
      for (let r = 0; r < runs; r++) {
        const cpuAtStart = process.cpuUsage();
        const started = performance.now();
        try {
          const result = explainMarkdown(input.text);
          how = result.fallback ? `plain text (${result.fallback})` : "markdown";
        } catch (error) {
          how = `THROWS ${String((error as Error).message).split("\n")[0].slice(0, 50)}`;
        }
        wall = Math.max(wall, performance.now() - started);
        const used = process.cpuUsage(cpuAtStart);
        cpus.push((used.user + used.system) / 1000);
        cpu = Math.max(cpu, cpus.at(-1)!);
      }
      const median = cpus.sort((a, b) => a - b)[Math.floor(cpus.length / 2)];
      for (const s of [slowest, overall]) {
        if (wall > s.wall) Object.assign(s, { wall, wallName: `${input.name} at ${length}` });
        if (cpu > s.cpu) Object.assign(s, { cpu, cpuName: `${input.name} at ${length}` });
      }
      console.log(`  ${input.name.padEnd(34)} ${wall.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(7)} ${median.toFixed(1).padStart(7)}  ${how}${Math.min(wall, cpu) > target ? "  (over 50 ms)" : ""}`);
    }
    console.log(`  slowest: ${slowest.wall.toFixed(1)} ms wall (${slowest.wallName}), ${slowest.cpu.toFixed(1)} ms CPU (${slowest.cpuName})\n`);
  }
  console.log(`Slowest of all: ${overall.wall.toFixed(1)} ms wall (${overall.wallName}), ${overall.cpu.toFixed(1)} ms CPU (${overall.cpuName}); target ${target} ms.\n`);
  await throughServer();
}

/**
 * Through the real server: a hostile text is stored where each page shows it, then the page is
 * asked for while `/healthz` is asked for in a loop; prints the page's status and time (and the
 * server's CPU time for it, which a busy machine does not inflate) and the slowest `/healthz`
 * answer meanwhile (the event loop was blocked at least that long).
 */
async function throughServer() {
  const { processCpuMs, startServer } = await import("../support/server");
  const { insertCourseSession, insertMembers, openServerDatabase } = await import("../support/direct-db");
  const { requireBuild } = await import("./support");
  requireBuild();
  const server = await startServer({ SCHEDULER_INTERVAL_MS: "3600000" });
  try {
    await fetch(`${server.url}/healthz`); // migrates the database
    const sqlite = openServerDatabase(server.databasePath);
    const [member] = insertMembers(sqlite, 1, "bench");
    const { initiativeId } = insertCourseSession(sqlite, member.id, null);
    sqlite.prepare("UPDATE members SET created_at = ? WHERE id = ?").run(Date.now() - 30 * 86_400_000, member.id);
    const inputs = (length: number) => Object.fromEntries(worstInputs(length).map((i) => [i.name, i.text]));
    const at = (length: number, name: string) => inputs(length)[name];
    let unique = 0;
    // A different text every time, so nothing comes from the memo.
    const fresh = (text: string) => `${text}\n\nrun ${++unique}`;
    const scenarios: { label: string; store: () => void; pages: string[] }[] = [
      { label: "comment: deep quotes (5,000)", store: () => sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(initiativeId, member.id, fresh(at(5_000, "deep quotes `> `")), Date.now(), Date.now()), pages: [`/initiatives/${initiativeId}`] },
      { label: "outcome: deep quotes (10,000)", store: () => sqlite.prepare("INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(initiativeId, member.id, fresh(at(10_000, "deep quotes `> `")), Date.now(), Date.now()), pages: ["/", "/feed.xml", `/initiatives/${initiativeId}`] },
      { label: "outcome: `_a` run (10,000)", store: () => sqlite.prepare("INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(initiativeId, member.id, fresh(at(10_000, "emphasis `_a`")), Date.now(), Date.now()), pages: ["/", "/feed.xml", `/initiatives/${initiativeId}`] },
      { label: "initiative body: `_a` run (20,000)", store: () => sqlite.prepare("UPDATE initiatives SET body = ?, updated_at = ? WHERE id = ?").run(fresh(at(20_000, "emphasis `_a`")), Date.now(), initiativeId), pages: [`/initiatives/${initiativeId}`, "/feed.xml"] },
      { label: "initiative body: `_*a` run (20,000)", store: () => sqlite.prepare("UPDATE initiatives SET body = ?, updated_at = ? WHERE id = ?").run(fresh(at(20_000, "emphasis `_*a`")), Date.now(), initiativeId), pages: [`/initiatives/${initiativeId}`, "/feed.xml"] },
      { label: "initiative body: spaces (20,000)", store: () => sqlite.prepare("UPDATE initiatives SET body = ?, updated_at = ? WHERE id = ?").run(fresh(at(20_000, "long run of spaces")), Date.now(), initiativeId), pages: [`/initiatives/${initiativeId}`, "/feed.xml"] },
      { label: "bio: `_*a` run (4,000)", store: () => sqlite.prepare("UPDATE members SET bio = ?, profile_visibility = 'public' WHERE id = ?").run(fresh(at(4_000, "emphasis `_*a`")), member.id), pages: [`/members/${member.id}`] },
    ];
    // The first request for each page compiles its code: not what is measured here.
    for (const page of ["/", "/feed.xml", `/initiatives/${initiativeId}`, `/members/${member.id}`]) await (await fetch(server.url + page, { headers: { Cookie: member.cookie } })).arrayBuffer();
    console.log("--- Through the server: page status and time, and the slowest /healthz answer meanwhile");
    for (const scenario of scenarios) {
      scenario.store();
      const delays: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const started = performance.now();
          await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer());
          delays.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const results: string[] = [];
      for (const page of scenario.pages) {
        const started = performance.now();
        const cpuBefore = processCpuMs(server.process.pid!);
        const res = await fetch(server.url + page, { headers: { Cookie: member.cookie }, signal: AbortSignal.timeout(120_000) }).catch((e: Error) => ({ status: e.name, arrayBuffer: async () => null }));
        await res.arrayBuffer();
        const cpu = processCpuMs(server.process.pid!) - cpuBefore;
        results.push(`${page.replace(/\/initiatives\/\d+/, "/initiatives/:id").replace(/\/members\/[^/]+/, "/members/:id")} ${res.status} in ${(performance.now() - started).toFixed(0)} ms (server CPU ${cpu} ms)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      polling = false;
      await poller;
      console.log(`  ${scenario.label.padEnd(38)} ${results.join(", ")}; /healthz slowest ${Math.max(...delays).toFixed(0)} ms (${delays.length} asked)`);
    }
    sqlite.close();
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
