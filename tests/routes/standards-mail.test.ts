// Every kind of mail the app sends, as strict readers see it (issue 13): queued through the
// models with member text full of markdown, HTML, accents and emoji, sent over a real SMTP server
// on loopback and parsed with mailparser. Each mail has a clean text part and an HTML part with
// the same links, says it was sent automatically (RFC 3834), and every optional one can be
// unsubscribed from with one click (RFC 8058) — checked through the real HTTP server, without an
// Origin header, as a mail provider sends it.
import { sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../support/raw-http";
import { startSmtp } from "../support/smtp";
import type { RunningServer } from "../support/server";

// The SMTP address must be known before the app reads its configuration.
const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "Meedoen <meedoen@example.org>";

const { db } = await import("~/lib/db.server");
const { deliverOutbox, optionalMailKinds, resetMailTransport } = await import("~/lib/mail.server");
const { offerLoginUnlock, mailSignupWithKnownAddress, requestPasswordReset } = await import("~/models/account.server");
const { postOutcome } = await import("~/models/contributions.server");
const { digestFor, queueWeeklyDigests, shiftWeek, weekOf, weekRange } = await import("~/models/digest.server");
const { acceptFounderInvitation, inviteFounder } = await import("~/models/founders.server");
const { answerHostRequest, joinAsHost } = await import("~/models/hosts.server");
const { openProposal, queueProposalReminders } = await import("~/models/proposals.server");
const { checkIn, register, setInterest, withdraw } = await import("~/models/registrations.server");
const { tellUnseen } = await import("~/models/unseen-check-ins.server");
const { addSession, cancelSession, messageParticipants, queueDueReminders, sessionInput, updateSession } = await import("~/models/sessions.server");
const { toLocalDateTimeInput } = await import("~/lib/time");
const { memberWithSession } = await import("../support/requests");
const { day, hour, initiativeBy, sessionOf, zone } = await import("../support/fixtures");
const { makeFounder } = await import("../support/governance");
const { startServer } = await import("../support/server");

/** What a member might write: markdown, raw HTML, accents and emoji. */
const memberMarkdown = [
  "# Kop van de dag",
  "",
  "Dit was **vet** en *schuin*, met __nadruk__ en `code`. Lees [de link](https://example.org/a?b=1&c=2) of <https://example.org/kaal>.",
  "",
  "- één ding 🍲",
  "- twee dingen",
  "  1. genest",
  "",
  "> Een citaat",
  "",
  '<script>alert("x")</script><b onclick="alert(1)">klik</b>',
  "",
  "Café, crème brûlée & zo ✨",
].join("\n");

const alwaysSent = ["password-reset", "founder-invitation", "login-unlock", "signup-existing"];
const everyKind = [...optionalMailKinds, ...alwaysSent];

type Delivered = { kind: string; to: string; subject: string; mail: ParsedMail; raw: string };
const delivered: Delivered[] = [];
let lastOutboxId = 0;

/** Sends what is queued and parses every new mail, labelled with its kind from the outbox. */
async function deliverAll() {
  const rows = db().all<{ id: number; kind: string; to_address: string; subject: string }>(sql`SELECT id, kind, to_address, subject FROM outbox WHERE id > ${lastOutboxId} ORDER BY id`);
  if (rows.length) lastOutboxId = rows[rows.length - 1].id;
  const before = smtp.received.length;
  const later = new Date(Date.now() + 60 * day);
  while ((await deliverOutbox(later)) > 0);
  expect(db().all(sql`SELECT kind, attempts, last_error FROM outbox WHERE sent_at IS NULL`)).toEqual([]);
  for (const received of smtp.received.slice(before)) {
    const mail = await simpleParser(received.raw);
    const row = rows.find((r) => r.to_address === received.to[0] && r.subject === mail.subject);
    expect(row, `a mail to ${received.to[0]} with subject ${JSON.stringify(mail.subject)} matches a queued one`).toBeDefined();
    delivered.push({ kind: row!.kind, to: received.to[0], subject: row!.subject, mail, raw: received.raw });
  }
}

const header = (mail: ParsedMail, name: string) => mail.headerLines.filter((h) => h.key === name.toLowerCase()).map((h) => h.line.slice(h.line.indexOf(":") + 1).trim());
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()],
  );
/** Every http(s) address in a text, without the punctuation that may follow it in a sentence. */
const urlsIn = (text: string) => new Set([...text.matchAll(/https?:\/\/[^\s<>"()]+/g)].map(([u]) => u.replace(/[.,;:!?]+$/, "")));
const linksIn = (html: string) => new Set([...html.matchAll(/<a\s[^>]*?href="([^"]*)"/gi)].map(([, href]) => decodeEntities(href)));

let server: RunningServer | undefined;

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
  await server?.stop();
});

let reader: { id: string; email: string };
let english: { id: string; email: string };
let host: { id: string; email: string };

beforeAll(async () => {
  const now = new Date();
  host = await memberWithSession("Hélène Host");
  db().run(sql`UPDATE members SET display_name = 'Hélène Host 🌱' WHERE id = ${host.id}`);
  makeFounder(host.id);
  const ann = await memberWithSession("Ann Één");
  const bob = await memberWithSession("Bob Bøg");
  const eve = await memberWithSession("Eve English");
  english = eve;
  db().run(sql`UPDATE members SET locale = 'en' WHERE id = ${eve.id}`);
  const initiativeId = initiativeBy(host.id, { title: "Soep & zo — café 🍲", summary: "Samen koken, één keer per week ✨" });

  // registration, waitlist, promoted
  const full = sessionOf(initiativeId, host.id, { capacity: 1, place: "Buurthuis ‘De Linde’" });
  register(full, ann.id);
  register(full, bob.id);
  withdraw(full, ann.id);
  // session-changed, host-message, session-cancelled
  register(full, eve.id);
  const input = sessionInput({ now, creating: false }).parse({
    startsAt: toLocalDateTimeInput(new Date(now.getTime() + 8 * day), zone),
    endsAt: toLocalDateTimeInput(new Date(now.getTime() + 8 * day + 2 * hour), zone),
    place: "Bibliotheek Zuid",
    capacity: "2",
  });
  updateSession(full, host.id, input);
  messageParticipants(full, host.id, { subject: "Méér **nieuws** 🎉", body: memberMarkdown });
  cancelSession(full, host.id);
  // reminder
  const soon = sessionOf(initiativeId, host.id, { startsIn: 12 * hour });
  register(soon, ann.id);
  queueDueReminders(now);
  // invitation: the first date of an idea someone said "I'm in" to
  const idea = initiativeBy(host.id, { title: "Ideeën 💡", summary: "Nog geen datum." });
  setInterest(idea, ann.id, true);
  setInterest(idea, eve.id, true);
  addSession(idea, host.id, sessionInput({ now, creating: true }).parse({
    startsAt: toLocalDateTimeInput(new Date(now.getTime() + 9 * day), zone),
    endsAt: toLocalDateTimeInput(new Date(now.getTime() + 9 * day + 2 * hour), zone),
    place: "Tuin",
    capacity: "",
  }), now);
  // host-request: asked (to the host) and answered (to the asker)
  const asker = await memberWithSession("Asker Aero");
  db().run(sql`UPDATE members SET display_name = 'Ærø Asker' WHERE id = ${asker.id}`);
  makeFounder(asker.id);
  expect(joinAsHost(initiativeId, asker.id)).toBe("requested");
  const request = db().get<{ id: number }>(sql`SELECT id FROM host_requests WHERE member_id = ${asker.id}`);
  answerHostRequest(request.id, host.id, true);
  // founder-yes: Bob accepted the host's invitation and waits for the other founder's yes
  expect(acceptFounderInvitation(inviteFounder(host.id, bob.email, "nl")!, bob.id)).toBe("waiting");
  // check-in-struck: two founders who were at a meeting did not see Ann, who checked in
  const going = sessionOf(initiativeId, host.id, { now: new Date(now.getTime() - 2 * hour), startsIn: hour });
  const code = db().get<{ checkin_code: string }>(sql`SELECT checkin_code FROM sessions WHERE id = ${going}`).checkin_code;
  for (const id of [host.id, asker.id, ann.id]) checkIn(going, id, code);
  expect(tellUnseen(going, host.id, ann.id, true)).toBe("noted");
  expect(tellUnseen(going, asker.id, ann.id, true)).toBe("struck");
  // proposal-reminder: the founders have a voice while the network starts
  const proposalId = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Koffie & thee ☕", body: memberMarkdown, days: 3, effect: null }, host.id);
  const deadline = db().get<{ deadline: number }>(sql`SELECT deadline FROM proposals WHERE id = ${proposalId}`).deadline;
  queueProposalReminders(new Date(deadline - 12 * hour));
  // digest, with an outcome written in markdown
  reader = await memberWithSession("Rita Reader");
  db().run(sql`UPDATE members SET digest_opt_in = 1 WHERE id IN (${reader.id}, ${eve.id})`);
  postOutcome(initiativeId, host.id, { body: memberMarkdown, sessionId: null });
  queueWeeklyDigests(new Date(weekRange(shiftWeek(weekOf(now), 1), zone).start + 8 * hour));
  // always sent: a new password, a founder invitation, the unlock link, a sign-up with a known address
  requestPasswordReset(ann.email);
  inviteFounder(host.id, "nieuwe.stichter@example.org", "en");
  offerLoginUnlock(bob.email);
  mailSignupWithKnownAddress(eve.id);
  await deliverAll();
});

describe("every mail the app sends", () => {
  it("covers every kind", () => {
    expect(new Set(delivered.map((d) => d.kind))).toEqual(new Set(everyKind));
  });

  it("has a text part and an HTML part, says it was sent automatically, and decodes its subject", () => {
    for (const { kind, mail, subject } of delivered) {
      expect(mail.text?.trim(), kind).toBeTruthy();
      expect(typeof mail.html === "string" && mail.html.length > 0, `${kind} has an HTML part`).toBe(true);
      expect(header(mail, "Auto-Submitted"), kind).toEqual(["auto-generated"]);
      expect(header(mail, "Precedence"), kind).toEqual([]);
      expect(mail.subject, kind).toBe(subject);
    }
    const hostMessage = delivered.find((d) => d.kind === "host-message")!;
    expect(hostMessage.mail.subject).toBe("[Soep & zo — café 🍲] Méér **nieuws** 🎉");
  });

  it("offers one-click unsubscribe in every optional mail, and not in the ones that are always sent", () => {
    for (const { kind, mail } of delivered) {
      const unsubscribe = header(mail, "List-Unsubscribe");
      if (alwaysSent.includes(kind)) {
        expect(unsubscribe, kind).toEqual([]);
        expect(header(mail, "List-Unsubscribe-Post"), kind).toEqual([]);
        continue;
      }
      expect(unsubscribe, kind).toHaveLength(1);
      expect(unsubscribe[0], kind).toMatch(/^<https?:\/\/[^>\s]+\/unsubscribe\/[\w-]{20,64}>$/);
      expect(header(mail, "List-Unsubscribe-Post"), kind).toEqual(["List-Unsubscribe=One-Click"]);
      // The footer says the same.
      expect(mail.text, kind).toContain(unsubscribe[0].slice(1, -1));
    }
  });

  it("has a text part without markdown or HTML, with lines, lists and links kept", () => {
    for (const { kind, mail } of delivered) {
      const text = mail.text!;
      // Addresses are left out of the markdown check: a random unsubscribe token may hold "__".
      const words = text.replace(/https?:\/\/\S+/g, "URL");
      expect(words, kind).not.toMatch(/\*\*|__|`|^\s*#{1,6}\s|\[[^\]\n]*\]\([^)\n]*\)|^\s*>/m);
      expect(text, kind).not.toMatch(/<\/?[a-z][^>\n]*>/i);
      expect(text, kind).not.toMatch(/&(amp|lt|gt|quot|#\d+);/);
    }
    for (const kind of ["host-message", "digest"]) {
      const texts = delivered.filter((d) => d.kind === kind).map((d) => d.mail.text!);
      expect(texts.length, kind).toBeGreaterThan(0);
      for (const text of texts) {
        expect(text, kind).toMatch(/^\s*Kop van de dag$/m);
        expect(text, kind).toContain("Dit was vet en schuin, met nadruk en code.");
        expect(text, kind).toContain("de link (https://example.org/a?b=1&c=2)");
        expect(text, kind).toMatch(/^\s*- één ding 🍲$/m);
        expect(text, kind).toMatch(/^\s*- twee dingen$/m);
        expect(text, kind).not.toContain("alert");
      }
    }
    const hostMessage = delivered.find((d) => d.kind === "host-message")!.mail.text!;
    expect(hostMessage).toContain("https://example.org/kaal");
    expect(hostMessage).toContain("Café, crème brûlée & zo ✨");
    expect(hostMessage).toContain("Een citaat");
    expect(hostMessage).toMatch(/^\s*1\. genest$/m);
    // The digest shows an excerpt of the outcome, under the initiative it belongs to.
    const digest = delivered.find((d) => d.kind === "digest" && d.to === reader.email)!.mail.text!;
    expect(digest).toContain("Soep & zo — café 🍲");
    expect(digest).toContain("Samen koken, één keer per week ✨");
  });

  it("has an HTML part that is safe, accessible and has exactly the links of the text", () => {
    for (const { kind, to, subject, mail } of delivered) {
      const html = mail.html as string;
      expect(html, kind).toMatch(/^<!doctype html>/i);
      expect(html, kind).not.toMatch(/<script|<iframe|<object|<embed|<form|javascript:/i);
      expect(html, kind).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
      const lang = /<html[^>]*\slang="([a-z]{2})"/.exec(html)?.[1];
      expect(lang, kind).toBe(to === english.email ? "en" : "nl");
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
      expect(decodeEntities(title ?? ""), kind).toBe(subject);
      const links = linksIn(html);
      expect(links, kind).toEqual(urlsIn(mail.text!));
      for (const link of links) expect(link, kind).toMatch(/^https?:\/\//);
    }
    const hostMessage = delivered.find((d) => d.kind === "host-message")!.mail.html as string;
    expect(hostMessage).toContain("Café, crème brûlée &amp; zo ✨");
    expect(hostMessage).toMatch(/<li[^>]*>\s*één ding 🍲\s*<\/li>/);
    expect(hostMessage).toContain("Kop van de dag");
    expect(hostMessage).toContain('href="https://example.org/a?b=1&amp;c=2"');
  });
});

describe("the digest's excerpts", () => {
  it("are the same clean text on the page as in the mail, cut between words when long", () => {
    const longOutcome = postOutcome(db().get<{ id: number }>(sql`SELECT id FROM initiatives ORDER BY id LIMIT 1`).id, host.id, {
      body: `**Lang** verslag: ${"woordenrijkdom ".repeat(40)}[slot](https://example.org/slot)`,
      sessionId: null,
    });
    const page = digestFor(weekOf(new Date()), { forMembers: true });
    const [first, long] = page.outcomes;
    const mail = delivered.find((d) => d.kind === "digest" && d.to === reader.email)!.mail.text!;
    // The mail indents the excerpt under its heading.
    expect(mail).toContain(first.body.replace(/\n/g, "\n  "));
    expect(first.body.split("\n")).toEqual([
      "Kop van de dag",
      "Dit was vet en schuin, met nadruk en code. Lees de link (https://example.org/a?b=1&c=2) of https://example.org/kaal.",
      "- één ding 🍲",
      "- twee dingen",
      "  1. genest",
      "  Een citaat",
      "klik",
      "Café, crème brûlée & zo ✨",
    ]);
    expect(page.outcomes.map((o) => o.id)).toContain(longOutcome);
    expect(long.body).toMatch(/^Lang verslag: (woordenrijkdom )+woordenrijkdom…$/);
    expect([...long.body].length).toBeLessThanOrEqual(280);
  });
});

describe("one-click unsubscribe through the HTTP server", () => {
  const post = (url: string, body: string, headers: Record<string, string>) =>
    rawRequest(url, { method: "POST", headers: { "Content-Length": Buffer.byteLength(body), ...headers }, body });
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const unsubscribePath = (memberEmail: string) => {
    const mail = delivered.find((d) => d.to === memberEmail && header(d.mail, "List-Unsubscribe").length)!;
    return new URL(header(mail.mail, "List-Unsubscribe")[0].slice(1, -1)).pathname;
  };
  const mailState = (memberId: string) => {
    const row = db().get<{ mail_off: string; digest_opt_in: number }>(sql`SELECT mail_off, digest_opt_in FROM members WHERE id = ${memberId}`);
    return { off: JSON.parse(row.mail_off) as string[], digest: row.digest_opt_in };
  };

  beforeAll(async () => {
    // The same database as the mails above.
    server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR! });
  });

  it("switches all mail off for a POST of List-Unsubscribe=One-Click without Origin, url-encoded or multipart", async () => {
    expect(mailState(reader.id)).toEqual({ off: [], digest: 1 });
    const answer = await post(server!.url + unsubscribePath(reader.email), "List-Unsubscribe=One-Click", form);
    expect(answer.status, answer.body.slice(0, 300)).toBe(200);
    expect(mailState(reader.id)).toEqual({ off: [...optionalMailKinds], digest: 0 });

    const boundary = "----meedoen-one-click";
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    expect(mailState(english.id).digest).toBe(1);
    const second = await post(server!.url + unsubscribePath(english.email), multipart, { "Content-Type": `multipart/form-data; boundary=${boundary}` });
    expect(second.status, second.body.slice(0, 300)).toBe(200);
    expect(mailState(english.id)).toEqual({ off: [...optionalMailKinds], digest: 0 });
  });

  it("answers 404 for an unknown token, and exempts nothing else from the Origin check", async () => {
    expect((await post(`${server!.url}/unsubscribe/${"u".repeat(32)}`, "List-Unsubscribe=One-Click", form)).status).toBe(404);
    for (const path of ["/logout", "/language", "/login", `${unsubscribePath(english.email)}.data`, `${unsubscribePath(english.email)}/x`]) {
      expect((await post(server!.url + path, "List-Unsubscribe=One-Click", form)).status, path).toBe(403);
    }
    // Without the one-click field a POST is the page's button, which comes from the site itself.
    expect(mailState(host.id).off).toEqual([]);
    expect((await post(server!.url + unsubscribePath(host.email), "", form)).status).toBe(403);
    expect((await post(server!.url + unsubscribePath(host.email), "List-Unsubscribe=Other", form)).status).toBe(403);
    expect(mailState(host.id).off).toEqual([]);
  });

  it("keeps the page's button working: a GET shows it, a POST from the site switches off and redirects", async () => {
    const hostPath = unsubscribePath(host.email);
    const page = await fetch(server!.url + hostPath);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form[^>]*method="post"/i);
    const answer = await post(server!.url + hostPath, "", { ...form, Origin: server!.url });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`${hostPath}?done`);
    expect(mailState(host.id)).toEqual({ off: [...optionalMailKinds], digest: 0 });
  });
});
