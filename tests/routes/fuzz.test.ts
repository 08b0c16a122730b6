// Bad input, through the real server (build/index.js): every form of the app gets hostile and
// random values over HTTP, with the right Origin and the actor's cookie. For every request:
// never a 5xx; a refusal is a 4xx with a clear Dutch message on the page (no stack trace, no
// "Error:", no SQL) and leaves the database as it was; whatever is accepted is stored cleaned
// (no control characters, no invisible or direction-changing characters, nothing over the
// limits) and the pages that show it carry no live script, `javascript:` link or event handler.
// The same valid submission sent twice never makes two rows where one is meant. Bodies over
// 1 MB are refused with 413 before they are read, with or without a Content-Length. The forms of
// governance version 2 are also tried case by case: hostile invitation tokens, co-host request ids
// and sessions, answers by the wrong member, and answers that race each other.
//
// Random variants come from a seeded PRNG: the seed is printed, and FUZZ_SEED=<seed> repeats a run.
// The server shares this test file's own database (tests/support/setup.ts), so actors and
// fixtures are made through the real models; triggers count every write to the state tables,
// which tells exactly whether a refused request changed anything.
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyLimits } from "~/lib/security.server";
import { db } from "~/lib/db.server";
import { nl } from "~/lib/i18n/nl";
import { toLocalDateTimeInput } from "~/lib/time";
import { requestPasswordReset } from "~/models/account.server";
import { requestEmailChange } from "~/models/account-changes.server";
import { postComment, postOutcome } from "~/models/contributions.server";
import { ruleHeadings } from "~/lib/diff";
import { closeProposal, currentRules, openProposal } from "~/models/proposals.server";
import { checkIn, markAttendance, register } from "~/models/registrations.server";
import { inviteFounder } from "~/models/founders.server";
import { joinAsHost } from "~/models/hosts.server";
import { governance } from "~/governance/config";
import { day, hour, initiativeBy, sessionOf, zone } from "../support/fixtures";
import { makeFounder, witnessedMeeting } from "../support/governance";
import { memberWithSession } from "../support/requests";
import { processCpuMs, startServer, type RunningServer } from "../support/server";

// The seeded PRNG.

const seed = Number(process.env.FUZZ_SEED ?? 20_261_126) >>> 0;
console.log(`[fuzz] seed ${seed} (repeat with FUZZ_SEED=${seed})`);

/** mulberry32: small, fast and good enough to pick hostile values. */
function prng(s: number) {
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(seed);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// Values: plain text is percent-encoded, raw values go into the body as they are.

/** A form value: text (percent-encoded when sent) or raw, already-encoded bytes of the body. */
type Value = string | { raw: string };
type Fields = [name: string, value: Value][];
const raw = (s: string): Value => ({ raw: s });
const encode = (v: Value) => (typeof v === "string" ? encodeURIComponent(v) : v.raw);
const bodyOf = (fields: Fields) => fields.map(([k, v]) => `${encodeURIComponent(k)}=${encode(v)}`).join("&");
const show = (v: Value) => {
  const s = typeof v === "string" ? v : `raw:${v.raw}`;
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 40))}…(${s.length} chars)` : JSON.stringify(s);
};

const kb100 = "Lang ".repeat(20_480);
const kb900 = "x".repeat(900 * 1024);
/** Text values every field gets; `refuse` marks values no form may accept. */
const hostileText: { label: string; value: Value; refuse?: boolean }[] = [
  { label: "100 KB", value: kb100, refuse: true },
  { label: "900 KB", value: kb900, refuse: true },
  { label: "control characters and NUL", value: "a\u0000b\u0001c\u0007d\u001be\u007ff\u0085g\u009fh\r\ni" },
  { label: "only control characters", value: "\u0000\u0001\u0002\u001f" },
  { label: "invalid UTF-8 %C3%28", value: raw("Caf%C3%28"), refuse: true },
  { label: "invalid UTF-8 %FF", value: raw("%FF%FEabc"), refuse: true },
  { label: "lone surrogate %ED%A0%80", value: raw("x%ED%A0%80y"), refuse: true },
  { label: "overlong UTF-8 %C0%AF", value: raw("a%C0%AFb"), refuse: true },
  { label: "truncated UTF-8 %E2%82", value: raw("a%E2%82"), refuse: true },
  { label: "raw byte 0xFF unencoded", value: raw("ab\xffcd"), refuse: true }, // sent as the single byte 0xFF
  { label: "broken percent escape", value: raw("50%zz%"), },
  { label: "SQL injection", value: "'; DROP TABLE members; --" },
  { label: "SQL injection 2", value: "1' OR '1'='1' /* \" OR 1=1 UNION SELECT password_hash FROM members" },
  { label: "script tag", value: "<script>alert('xss')</script>Hallo" },
  { label: "img onerror", value: '<img src=x onerror="alert(1)">Plaatje' },
  { label: "markdown javascript link", value: "[klik hier](javascript:alert(1)) en ![x](javascript:alert(2))" },
  { label: "html javascript link", value: '<a href="javascript:alert(1)">a</a> <a href=" JaVaScRiPt:alert(1)">b</a> <iframe src="//evil.example"></iframe>' },
  { label: "svg onload", value: '<svg onload=alert(1)><style>*{}</style><object data="x"></object>' },
  { label: "RTL override", value: "Factuur\u202Egnp.exe\u202C" },
  { label: "zero-width characters", value: "Ann\u200Ba\u200C\u200D\u2060\uFEFF" },
  { label: "only zero-width characters", value: "\u200B\u200B\u2060\uFEFF" },
  { label: "only spaces", value: " \u00A0\u2003 \t " },
  { label: "emoji and combining marks", value: "e\u0301\u0301\u0301 👩🏽‍🌾 𝕳𝖊𝖑𝖑𝖔" },
  { label: "prototype words", value: "__proto__" },
  { label: "template params", value: "{n} {name} %s %d ${x}" },
];
const hostileNumbers = ["-1", "0", "1.5", "1e3", "1e308", "99999999999999999999999", "NaN", "0x10", "٣", "7abc"];
const hostileDates = ["0000-01-01T10:00", "99999-01-01T10:00", "2026-02-30T10:00", "2027-13-01T25:61", "garbage", "2027-03-28T02:30", "9999-12-31T23:59", "2027-01-01T10:00Z"];

/** Where-to-go-next values: only a path on this site may come back in the Location header. */
const hostileRedirects = ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\\/evil.example", "/%2F%2Fevil.example", "/a\r\nSet-Cookie: x=1", "/\u0000x", "/ünïcode/漢字?q=é#ß", "javascript:alert(1)", " /agenda", "/" + "a".repeat(100_000), "https://evil.example/", "/\u2028/x"];

/** Random text from a pool of awkward characters (no U+FFFD: that is what broken bytes turn into). */
function randomText(): string {
  const pools = [
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789",
    "<>&\"'`=/\\;:%#[](){}!*_~|",
    "\u0000\u0001\u0008\u000b\u000c\u001b\u007f\u0080\u009f\r\n\t",
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202d\u202e\u2066\u2069\u2060\ufeff\u061c",
    "éøßÆ€ŁЖж漢字한국어עבריתالعربية",
  ];
  const length = pick([0, 1, 3, 10, 40, 200, 2_000, 30_000]);
  let s = "";
  while (s.length < length) {
    if (random() < 0.05) s += pick(["<script>", "javascript:", "onerror=", "'--", "%", "𝕏", "\ud83d\ude00"]);
    else s += pick(pools).charAt(int(0, 40)) || "x";
  }
  return s;
}
function randomValue(): Value {
  const r = random();
  if (r < 0.55) return randomText();
  if (r < 0.7) return pick(hostileNumbers);
  if (r < 0.8) return pick(hostileDates);
  // Random bytes, percent-encoded: mostly invalid UTF-8.
  let bytes = "";
  for (let i = int(1, 12); i > 0; i--) bytes += `%${int(0, 255).toString(16).padStart(2, "0").toUpperCase()}`;
  return raw(bytes);
}

// The server, the actors and the fixtures.

let server: RunningServer;
type Actor = { id: string; cookie: string; email: string };
let voice: Actor, host: Actor, participant: Actor, bystander: Actor, resetter: Actor, leaver: Actor;
/** Governance v2: who asks to co-host, a second host, who holds a founder's invitation, who checked in with the code. */
let asker: Actor, coHost: Actor, acceptor: Actor, checker: Actor;
/** Who changes their password, who asks for a new address, and whose new address waits for its link. */
let changer: Actor, mover: Actor, confirmer: Actor;
let fx: {
  initiativeId: number;
  future: number;
  past: number;
  live: number;
  cancelTarget: number;
  /** The session the message form writes to: a fresh one after every accepted message (5 a day each). */
  messageTarget: number;
  /** The headings of the house rules in force: a flag names one (governance v2 §4). */
  rules: string[];
  checkinCode: string;
  comment: number;
  outcome: number;
  networkProposal: number;
  initiativeProposal: number;
  closedProposal: number;
  resetToken: string;
  emailToken: string;
  unsubscribeToken: string;
  /** An initiative of the host (and the co-host) where the asker came to a session and asks to co-host. */
  hostsInitiative: number;
  /** The asker's open request there: the answering forms reopen it after every accepted answer. */
  hostRequest: number;
  /** Another initiative of the same host, with an open request of the asker. */
  otherInitiative: number;
  otherRequest: number;
  /** A request on the hosts' initiative that was answered long ago. */
  answeredRequest: number;
  /** The acceptor's invitation link (its token): a new one after every accepted variant. */
  founderToken: string;
  /** A session that ended three weeks ago, where the checker checked in with the code: fixed now. */
  fixedSession: number;
};

/** Everything a member action could change (not rate limits, login sessions or reset links). */
const stateTables = ["members", "initiatives", "initiative_tags", "hosts", "host_requests", "log_entries", "sessions", "registrations", "interests", "outbox", "proposals", "proposal_positions", "proposal_electorate", "proposal_statements", "flags", "house_rules", "member_tags", "now_updates", "outcomes", "comments", "founder_invitations", "unseen_check_ins", "email_changes"];
/** Where accepted text ends up. */
const textTables = ["members", "initiatives", "initiative_tags", "log_entries", "sessions", "outbox", "proposals", "proposal_positions", "proposal_statements", "flags", "house_rules", "member_tags", "now_updates", "outcomes", "comments"];

/** Counts every insert, update and delete of the state tables, whoever makes it. */
function installWriteCounters() {
  const sqlite = db().$client;
  sqlite.exec("CREATE TABLE IF NOT EXISTS fuzz_writes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)");
  for (const table of stateTables) {
    sqlite.prepare("INSERT OR IGNORE INTO fuzz_writes (tbl, n) VALUES (?, 0)").run(table);
    for (const op of ["INSERT", "UPDATE", "DELETE"]) {
      sqlite.exec(`CREATE TRIGGER IF NOT EXISTS fuzz_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN UPDATE fuzz_writes SET n = n + 1 WHERE tbl = '${table}'; END`);
    }
  }
}
const writes = () => JSON.stringify(db().$client.prepare("SELECT tbl, n FROM fuzz_writes ORDER BY tbl").all());
const count = (table: string, where = "1") => (db().$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;

const local = (ms: number) => toLocalDateTimeInput(ms, zone);

/** A link for the confirmer's next new address, as mailed to it. */
async function newEmailToken() {
  const asked = await requestEmailChange(confirmer.id, { email: `fuzz.confirm.${++unique}@example.org`, password: "a long enough password" });
  if (!asked.ok) throw new Error(`no e-mail change: ${asked.refusal}`);
  return asked.token;
}

// Reset hooks of the governance v2 forms.

function openRequestOf(initiativeId: number, memberId: string): number {
  return db().get<{ id: number }>(sql`SELECT id FROM host_requests WHERE initiative_id = ${initiativeId} AND member_id = ${memberId} AND answered_at IS NULL`)!.id;
}

/** Puts the asker's request back as it was: open, the asker no host, no answer mailed. The same id stays valid for every variant. */
function reopenHostRequest() {
  db().run(sql`UPDATE host_requests SET answered_at = NULL, answer = NULL, answered_by = NULL WHERE id = ${fx.hostRequest}`);
  db().run(sql`DELETE FROM hosts WHERE initiative_id = ${fx.hostsInitiative} AND member_id = ${asker.id}`);
  db().run(sql`DELETE FROM outbox WHERE dedupe_key = ${`host-answer:${fx.hostRequest}`}`);
}

/** Frees the 15 founder places (§1): open invitations expire, and only the voice and the host stay founders. */
function freeFounderPlaces() {
  db().run(sql`UPDATE founder_invitations SET expires_at = ${Date.now() - 1} WHERE used_at IS NULL AND expires_at > ${Date.now() - 1}`);
  // Accepted invitations still waiting for a yes keep a place too, for 14 days.
  db().run(sql`UPDATE founder_invitations SET used_at = ${Date.now() - 15 * day} WHERE used_at IS NOT NULL AND confirmed_at IS NULL`);
  db().run(sql`UPDATE members SET founder_at = NULL WHERE founder_at IS NOT NULL AND id NOT IN (${voice.id}, ${host.id})`);
}
const foundersAndOpenInvitations = () =>
  count("members", "founder_at IS NOT NULL AND deleted_at IS NULL") +
  count("founder_invitations", `used_at IS NULL AND expires_at > ${Date.now()}`) +
  count("founder_invitations", `used_at > ${Date.now() - 14 * day} AND confirmed_at IS NULL AND used_by IS NOT NULL`);

/** A fresh member with a fresh invitation to become a founder (the last one was used). */
async function newFounderInvitation() {
  freeFounderPlaces();
  acceptor = await memberWithSession("Fuzz Acceptor");
  fx.founderToken = inviteFounder(voice.id, acceptor.email, "nl")!;
}

/** The checker checks in with the code again (after withdrawing it). */
function checkerChecksIn() {
  db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'checkin:%'`);
  checkIn(fx.live, checker.id, fx.checkinCode);
}

/** The voice (a founder) checked in at the live session too and has said of nobody that they were not seen there. */
function voiceSawEveryone() {
  checkerChecksIn();
  checkIn(fx.live, voice.id, fx.checkinCode);
  db().run(sql`DELETE FROM unseen_check_ins WHERE witness_id = ${voice.id}`);
}

beforeAll(async () => {
  // The models (this process) and the server share the database file; migrate it here first.
  db();
  [voice, host, participant, bystander, resetter, leaver, asker, coHost, acceptor, checker] = await Promise.all(
    ["Fuzz Voice", "Fuzz Host", "Fuzz Participant", "Fuzz Bystander", "Fuzz Resetter", "Fuzz Leaver", "Fuzz Asker", "Fuzz Co-host", "Fuzz Acceptor", "Fuzz Checker"].map((n) => memberWithSession(n)),
  );
  // Accounts two days old, and the voice and the host are founders: while the network starts up
  // a founder has a voice (governance v2 §1; an old account alone no longer gives one), so no
  // newcomer limit gets in the way of their many accepted posts, and the voice may flag.
  db().run(sql`UPDATE members SET created_at = ${Date.now() - 2 * day}`);
  for (const m of [voice, host]) makeFounder(m.id);
  const earlier = new Date(Date.now() - 3 * day);
  const initiativeId = initiativeBy(host.id, { title: "Fuzz", summary: "Een initiatief om te testen.", kind: "course" }, earlier);
  const future = sessionOf(initiativeId, host.id, { now: earlier, startsIn: 10 * day });
  const past = sessionOf(initiativeId, host.id, { now: earlier, startsIn: day });
  const live = sessionOf(initiativeId, host.id, { now: new Date(Date.now() - 2 * hour), startsIn: hour });
  const cancelTarget = sessionOf(initiativeId, host.id, { now: earlier, startsIn: 12 * day });
  for (const s of [future, past, live]) register(s, participant.id, earlier);
  // The participant came to the past session: that (not signing up) lets them ask to co-host (v2 §2).
  markAttendance(past, host.id, participant.id, true);
  const checkinCode = (db().$client.prepare("SELECT checkin_code FROM sessions WHERE id = ?").get(live) as { checkin_code: string }).checkin_code;
  const comment = postComment(initiativeId, participant.id, { body: "Goed idee." }, earlier);
  const outcome = postOutcome(initiativeId, participant.id, { body: "We hebben geoogst.", sessionId: null }, earlier);
  const networkProposal = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Koffie", body: "", days: 7, effect: null }, voice.id);
  const initiativeProposal = openProposal({ scope: "initiative", initiativeId, kind: "majority", title: "Vaker", body: "", days: 7, effect: null }, host.id);
  const closedProposal = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Thee", body: "", days: 3, effect: null }, voice.id);
  if (!closeProposal(closedProposal, new Date(Date.now() + 31 * day))) throw new Error("proposal did not close");
  const resetToken = requestPasswordReset(resetter.email)!;
  const unsubscribeToken = "fuzz-unsubscribe-token-0123456789";
  db().run(sql`UPDATE members SET unsubscribe_token = ${unsubscribeToken} WHERE id = ${bystander.id}`);
  const rules = ruleHeadings(currentRules().text);
  if (rules.length < 3) throw new Error("the house rules have fewer than 3 headings");
  // Governance v2 (§1, §2): the asker came to a session of two initiatives of the host and asks to
  // co-host both; the co-host runs the first with the host; the acceptor holds a founder's
  // invitation; the checker checked in with the code at the live session, and at one long fixed.
  const hostsInitiative = initiativeBy(host.id, { title: "Fuzz kartrekkers", summary: "Wie trekt er mee?", kind: "course" }, earlier);
  const otherInitiative = initiativeBy(host.id, { title: "Fuzz elders", summary: "Een ander initiatief.", kind: "course" }, earlier);
  for (const id of [hostsInitiative, otherInitiative]) {
    const met = sessionOf(id, host.id, { now: earlier, startsIn: day });
    register(met, asker.id, earlier);
    markAttendance(met, host.id, asker.id, true);
  }
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${hostsInitiative}, ${coHost.id}, ${earlier.getTime()}, ${earlier.getTime()})`);
  const answeredRequest = db().get<{ id: number }>(sql`
    INSERT INTO host_requests (initiative_id, member_id, created_at, answered_at, answer, answered_by)
    VALUES (${hostsInitiative}, ${bystander.id}, ${earlier.getTime()}, ${earlier.getTime() + hour}, 'declined', ${host.id}) RETURNING id`).id;
  joinAsHost(otherInitiative, asker.id);
  joinAsHost(hostsInitiative, asker.id);
  const founderToken = inviteFounder(voice.id, acceptor.email, "nl")!;
  checkIn(live, checker.id, checkinCode);
  const fixedSession = sessionOf(initiativeId, host.id, { now: new Date(Date.now() - 30 * day), startsIn: 9 * day });
  db().run(sql`
    INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
    VALUES (${fixedSession}, ${checker.id}, 'registered', 1, ${Date.now() - 21 * day}, 'code', ${Date.now() - 22 * day}, ${Date.now() - 21 * day})`);
  [changer, mover, confirmer] = await Promise.all(["Fuzz Changer", "Fuzz Mover", "Fuzz Confirmer"].map((n) => memberWithSession(n)));
  const emailToken = await newEmailToken();
  fx = {
    emailToken,
    initiativeId, future, past, live, cancelTarget, messageTarget: future, rules, checkinCode, comment, outcome, networkProposal, initiativeProposal, closedProposal, resetToken, unsubscribeToken,
    hostsInitiative, hostRequest: openRequestOf(hostsInitiative, asker.id), otherInitiative, otherRequest: openRequestOf(otherInitiative, asker.id), answeredRequest, founderToken, fixedSession,
  };
  installWriteCounters();
  // Trust X-Forwarded-For, so sign-up, login and reset attempts come from many addresses and the
  // per-address limits do not hide the validation behind "too many attempts".
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, TRUST_PROXY: "1", SCHEDULER_INTERVAL_MS: "3600000" });
});

afterAll(async () => {
  if (process.env.FUZZ_TIMING && server) {
    // CPU time, not wall time: on a busy machine the wall clock says little about the test.
    const own = process.cpuUsage();
    console.log(`[fuzz] CPU: server ${(processCpuMs(server.process.pid!) / 1000).toFixed(1)} s, test ${((own.user + own.system) / 1e6).toFixed(1)} s`);
  }
  await server?.stop();
});

// The forms.

type Kind = "text" | "number" | "date" | "choice" | "redirect";
type Form = {
  name: string;
  path: () => string;
  actor: () => Actor | null;
  /** A valid submission; `kinds` says what each field is (text by default). */
  fields: () => Fields;
  kinds?: Record<string, Kind>;
  /** Fields whose content does not matter to the route (hostile values may be accepted silently). */
  ignored?: string[];
  /** The valid submission is accepted (a 2xx or 3xx without errors). */
  accepts?: boolean;
  /** A second identical submission must not add a row here (table, where). */
  once?: () => [string, string];
  /** Random variants (besides the systematic ones). */
  randomVariants?: number;
  /** Puts in place what the variants need, before the first of them (what an earlier form may have used up). */
  setup?: () => void | Promise<void>;
  /** Puts back what the hostile variants used up, before the valid submission. */
  prepare?: () => void | Promise<void>;
  /** After an accepted submission (of any variant): puts back what it used up. */
  afterAccepted?: () => void | Promise<void>;
};

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
let unique = 0;
const start = (daysAhead: number) => Date.now() + daysAhead * day + (++unique % 500) * 60_000;

const forms: Form[] = [
  // Account
  { name: "POST /signup", path: () => "/signup", actor: () => null, accepts: true, randomVariants: 6,
    fields: () => [["email", `fuzz.signup.${++unique}@example.org`], ["password", "a long enough password"], ["displayName", "Nieuwe deelnemer"]],
    once: () => ["members", "1"] },
  { name: "POST /login", path: () => "/login", actor: () => null, accepts: true, randomVariants: 6, ignored: ["redirectTo"], kinds: { redirectTo: "redirect" },
    fields: () => [["email", voice.email], ["password", "a long enough password"], ["redirectTo", "/settings"]],
    prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'login:%'`) },
  { name: "POST /password/forgot", path: () => "/password/forgot", actor: () => null, accepts: true,
    fields: () => [["email", bystander.email]] },
  { name: "POST /password/reset/:token", path: () => `/password/reset/${fx.resetToken}`, actor: () => null, accepts: true,
    fields: () => [["password", "a brand new long password"]],
    afterAccepted: () => void (fx.resetToken = requestPasswordReset(resetter.email)!) },
  { name: "POST /language", path: () => "/language", actor: () => null, accepts: true, kinds: { locale: "choice", redirectTo: "redirect" }, ignored: ["redirectTo"],
    fields: () => [["locale", "nl"], ["redirectTo", "/agenda"]] },
  { name: "POST /settings intent=mail", path: () => "/settings", actor: () => voice, accepts: true, kinds: { intent: "choice", mail: "choice", digest: "choice" }, ignored: ["mail", "digest"],
    fields: () => [["intent", "mail"], ["mail", "registration"], ["mail", "session-change"], ["digest", "on"]] },
  { name: "POST /settings intent=renew-calendar", path: () => "/settings", actor: () => voice, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "renew-calendar"]] },
  { name: "POST /settings/profile", path: () => "/settings/profile", actor: () => bystander, accepts: true, randomVariants: 5, kinds: { profileVisibility: "choice" },
    fields: () => [["displayName", "Bea de Vries"], ["organisation", "Buurthuis"], ["work", "Opbouwwerker"], ["expertise", "jeugd, taal"], ["bio", "Ik werk in **de wijk**."], ["profileVisibility", "public"]] },
  { name: "POST /settings/profile intent=now", path: () => "/settings/profile", actor: () => bystander, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "now"], ["now", "Aan het lezen."]],
    once: () => ["now_updates", `member_id = ${q(bystander.id)}`] },
  { name: "POST /now", path: () => "/now", actor: () => voice, accepts: true, randomVariants: 4,
    fields: () => [["now", "Bezig met de moestuin."]],
    once: () => ["now_updates", `member_id = ${q(voice.id)}`] },
  { name: "POST /settings/delete", path: () => "/settings/delete", actor: () => leaver, accepts: true,
    fields: () => [["password", "a long enough password"]],
    // Each accepted variant removed the account: the next variants need another one.
    afterAccepted: async () => void (leaver = await memberWithSession("Fuzz Leaver")),
    prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'login:%'`) },
  { name: "POST /settings/password", path: () => "/settings/password", actor: () => changer, accepts: true, randomVariants: 4,
    fields: () => [["current", "a long enough password"], ["password", "a brand new long password"]],
    // An accepted variant changed the password: the next variants need the known one again.
    afterAccepted: async () => void (changer = await memberWithSession("Fuzz Changer")),
    prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'login:%'`) },
  { name: "POST /settings/email", path: () => "/settings/email", actor: () => mover, accepts: true, randomVariants: 4,
    fields: () => [["email", `fuzz.move.${++unique}@example.org`], ["password", "a long enough password"]],
    once: () => ["email_changes", `member_id = ${q(mover.id)} AND used_at IS NULL`],
    prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'login:%' OR key LIKE 'email-change:%'`) },
  { name: "POST /settings/email/:token", path: () => `/settings/email/${fx.emailToken}`, actor: () => null, accepts: true,
    fields: () => [],
    afterAccepted: async () => void (fx.emailToken = await newEmailToken()) },
  { name: "POST /unsubscribe/:token", path: () => `/unsubscribe/${fx.unsubscribeToken}`, actor: () => null, accepts: true,
    fields: () => [] },
  // Initiatives
  { name: "POST /initiatives/new", path: () => "/initiatives/new", actor: () => voice, accepts: true, randomVariants: 6, kinds: { kind: "choice", target: "number" },
    fields: () => [["title", "Samen koken"], ["summary", "Elke week koken we samen."], ["kind", "course"], ["body", "Meer *uitleg*."], ["tags", "koken, buurt"], ["place", "Buurthuis"], ["target", "12"]],
    once: () => ["initiatives", `created_by = ${q(voice.id)}`] },
  { name: "POST /initiatives/:id/edit", path: () => `/initiatives/${fx.initiativeId}/edit`, actor: () => host, accepts: true, randomVariants: 5, kinds: { kind: "choice", target: "number" },
    fields: () => [["title", "Fuzz"], ["summary", "Een initiatief om te testen."], ["kind", "course"], ["body", "Uitleg."], ["tags", "test"], ["place", "Bieb"], ["target", ""]] },
  { name: "POST /initiatives/:id/sessions", path: () => `/initiatives/${fx.initiativeId}/sessions`, actor: () => host, accepts: true, randomVariants: 5,
    kinds: { startsAt: "date", endsAt: "date", capacity: "number" },
    fields: () => { const s = start(20); return [["startsAt", local(s)], ["endsAt", local(s + 2 * hour)], ["place", "Bieb"], ["hostOrganisation", "Bibliotheek"], ["capacity", "12"]]; },
    once: () => ["sessions", `initiative_id = ${fx.initiativeId}`] },
  // Asking to co-host makes a request for the hosts to answer (v2 §2); asking again adds none.
  { name: "POST /initiatives/:id/hosts", path: () => `/initiatives/${fx.initiativeId}/hosts`, actor: () => participant, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "join"]], once: () => ["host_requests", `initiative_id = ${fx.initiativeId} AND member_id = ${q(participant.id)}`],
    prepare: () => void db().run(sql`DELETE FROM host_requests WHERE initiative_id = ${fx.initiativeId} AND member_id = ${participant.id}`) },
  // A host answers the asker's request (v2 §2): every accepted answer reopens it, so each variant meets an open request.
  { name: "POST /initiatives/:id/hosts intent=accept", path: () => `/initiatives/${fx.hostsInitiative}/hosts`, actor: () => host, accepts: true, randomVariants: 4,
    kinds: { intent: "choice", request: "number" },
    fields: () => [["intent", "accept"], ["request", String(fx.hostRequest)]], once: () => ["hosts", `initiative_id = ${fx.hostsInitiative}`],
    setup: reopenHostRequest, prepare: reopenHostRequest, afterAccepted: reopenHostRequest },
  { name: "POST /initiatives/:id/hosts intent=decline", path: () => `/initiatives/${fx.hostsInitiative}/hosts`, actor: () => coHost, accepts: true, randomVariants: 4,
    kinds: { intent: "choice", request: "number" },
    fields: () => [["intent", "decline"], ["request", String(fx.hostRequest)]], once: () => ["log_entries", `action = 'host.declined' AND subject_id = '${fx.hostsInitiative}'`],
    setup: reopenHostRequest, prepare: reopenHostRequest, afterAccepted: reopenHostRequest },
  { name: "POST /initiatives/:id/hosts intent=withdraw", path: () => `/initiatives/${fx.hostsInitiative}/hosts`, actor: () => asker, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "withdraw"]], setup: reopenHostRequest, prepare: reopenHostRequest, afterAccepted: reopenHostRequest },
  { name: "POST /initiatives/:id/comments", path: () => `/initiatives/${fx.initiativeId}/comments`, actor: () => voice, accepts: true, randomVariants: 6,
    fields: () => [["body", "Ik kom ook, **zeker** weten."]], once: () => ["comments", `member_id = ${q(voice.id)}`] },
  { name: "POST /initiatives/:id/outcomes", path: () => `/initiatives/${fx.initiativeId}/outcomes`, actor: () => host, accepts: true, randomVariants: 5, kinds: { sessionId: "number" },
    fields: () => [["body", "Tien bakken vol."], ["sessionId", String(fx.past)]], once: () => ["outcomes", `member_id = ${q(host.id)}`] },
  { name: "POST /initiatives/:id/flag", path: () => `/initiatives/${fx.initiativeId}/flag`, actor: () => voice, accepts: true, randomVariants: 4, kinds: { rule: "choice" },
    fields: () => [["rule", fx.rules[0]], ["reason", "Reclame."]], once: () => ["flags", `member_id = ${q(voice.id)}`] },
  { name: "POST /initiatives/:id/interest", path: () => `/initiatives/${fx.initiativeId}/interest`, actor: () => voice, accepts: true, kinds: { interested: "choice" }, ignored: ["interested"],
    fields: () => [["interested", "1"]], once: () => ["interests", `member_id = ${q(voice.id)}`] },
  { name: "POST /initiatives/:id/enrol", path: () => `/initiatives/${fx.initiativeId}/enrol`, actor: () => bystander, accepts: true,
    fields: () => [], once: () => ["registrations", `member_id = ${q(bystander.id)}`] },
  // Sessions
  { name: "POST /sessions/:id/edit", path: () => `/sessions/${fx.future}/edit`, actor: () => host, accepts: true, randomVariants: 5,
    kinds: { startsAt: "date", endsAt: "date", capacity: "number" },
    fields: () => { const s = start(10); return [["startsAt", local(s)], ["endsAt", local(s + 2 * hour)], ["place", "Elders"], ["hostOrganisation", ""], ["capacity", ""]]; } },
  { name: "POST /sessions/:id/edit intent=cancel-session", path: () => `/sessions/${fx.cancelTarget}/edit`, actor: () => host, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "cancel-session"], ["reason", "De zaal is dicht"]] },
  { name: "POST /sessions/:id/register", path: () => `/sessions/${fx.future}/register`, actor: () => voice, accepts: true, ignored: ["redirectTo"], kinds: { redirectTo: "redirect" },
    fields: () => [["redirectTo", "/agenda"]], once: () => ["registrations", `member_id = ${q(voice.id)}`] },
  { name: "POST /sessions/:id/cancel", path: () => `/sessions/${fx.future}/cancel`, actor: () => participant, accepts: true, ignored: ["redirectTo"], kinds: { redirectTo: "redirect" },
    fields: () => [["redirectTo", "/agenda"], ["confirmed", "yes"]], prepare: () => void register(fx.future, participant.id) },
  { name: "POST /sessions/:id/checkin", path: () => `/sessions/${fx.live}/checkin`, actor: () => participant, accepts: true,
    fields: () => [["code", fx.checkinCode]], prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'checkin:%'`) },
  { name: "POST /sessions/:id/attendance", path: () => `/sessions/${fx.past}/attendance`, actor: () => host, accepts: true, kinds: { memberId: "choice", present: "choice" }, ignored: ["present"],
    fields: () => [["memberId", participant.id], ["present", "1"]] },
  // A member undoes their own self check-in (v2 §2); every accepted variant checks in again.
  { name: "POST /sessions/:id/attendance intent=withdraw", path: () => `/sessions/${fx.live}/attendance`, actor: () => checker, accepts: true,
    kinds: { intent: "choice" }, fields: () => [["intent", "withdraw"]],
    once: () => ["log_entries", `action = 'attendance.withdrawn' AND actor_id = ${q(checker.id)}`],
    setup: checkerChecksIn, prepare: checkerChecksIn, afterAccepted: checkerChecksIn },
  // A witness who was at the meeting did not see someone who checked in (ADR 051); one word strikes
  // nothing, and every accepted variant is taken back.
  { name: "POST /sessions/:id/attendance intent=unseen", path: () => `/sessions/${fx.live}/attendance`, actor: () => voice, accepts: true,
    kinds: { intent: "choice", memberId: "choice" }, fields: () => [["intent", "unseen"], ["memberId", checker.id]],
    once: () => ["unseen_check_ins", `witness_id = ${q(voice.id)}`],
    setup: voiceSawEveryone, prepare: voiceSawEveryone, afterAccepted: voiceSawEveryone },
  // At most 5 host messages per session a day (v2 §2): every accepted one moves to a fresh session,
  // so each variant is really read and stored, never refused by the limit.
  { name: "POST /sessions/:id/message", path: () => `/sessions/${fx.messageTarget}/message`, actor: () => host, accepts: true, randomVariants: 6,
    fields: () => [["subject", "Tot dinsdag"], ["body", "Neem koffie mee."]], once: () => ["outbox", "kind = 'host-message'"],
    afterAccepted: () => {
      fx.messageTarget = sessionOf(fx.initiativeId, host.id, { startsIn: 30 * day + (++unique % 500) * 60_000 });
      register(fx.messageTarget, participant.id);
    } },
  // Contributions
  { name: "POST /comments/:id/edit", path: () => `/comments/${fx.comment}/edit`, actor: () => participant, accepts: true, randomVariants: 6,
    fields: () => [["body", "Ik kom toch."]] },
  { name: "POST /outcomes/:id/edit", path: () => `/outcomes/${fx.outcome}/edit`, actor: () => participant, accepts: true, randomVariants: 6,
    fields: () => [["body", "Twaalf bakken."]] },
  { name: "POST /comments/:id/flag", path: () => `/comments/${fx.comment}/flag`, actor: () => voice, accepts: true, kinds: { rule: "choice" },
    fields: () => [["rule", fx.rules[1]], ["reason", "Onaardig."]], once: () => ["flags", `member_id = ${q(voice.id)} AND target_type = 'comment'`] },
  { name: "POST /outcomes/:id/flag", path: () => `/outcomes/${fx.outcome}/flag`, actor: () => voice, accepts: true, kinds: { rule: "choice" },
    fields: () => [["rule", fx.rules[2]], ["reason", "Klopt niet."]], once: () => ["flags", `member_id = ${q(voice.id)} AND target_type = 'outcome'`] },
  { name: "POST /members/:id (flag)", path: () => `/members/${bystander.id}`, actor: () => voice, accepts: true, kinds: { rule: "choice" },
    fields: () => [["rule", fx.rules[0]], ["reason", "Spam."]], once: () => ["flags", `member_id = ${q(voice.id)} AND target_type = 'member'`] },
  // Proposals
  { name: "POST /proposals/new", path: () => "/proposals/new", actor: () => voice, accepts: true, randomVariants: 6,
    kinds: { kind: "choice", scope: "choice", initiativeId: "number", days: "number", effect: "choice", hostId: "choice" },
    fields: () => [["title", "Vaker koffie"], ["body", "Elke week."], ["kind", "consent"], ["scope", "network"], ["days", "7"], ["effect", "none"]],
    once: () => ["proposals", `opened_by = ${q(voice.id)}`] },
  { name: "POST /proposals/new (rules)", path: () => "/proposals/new", actor: () => voice, accepts: true,
    kinds: { kind: "choice", scope: "choice", days: "number", effect: "choice" },
    fields: () => [["title", "Nieuwe spelregels"], ["kind", "consent"], ["scope", "network"], ["days", "7"], ["effect", "rules"], ["rulesText", "1. **Wees aardig.** Altijd."]] },
  { name: "POST /proposals/new (remove a host)", path: () => "/proposals/new", actor: () => host, accepts: true, randomVariants: 3,
    kinds: { kind: "choice", scope: "choice", initiativeId: "number", days: "number", effect: "choice", hostId: "choice" },
    fields: () => [["title", "Andere kartrekker"], ["body", ""], ["kind", "majority"], ["scope", "initiative"], ["initiativeId", String(fx.initiativeId)], ["days", "7"], ["effect", "remove-host"], ["hostId", host.id]],
    once: () => ["proposals", `opened_by = ${q(host.id)}`] },
  { name: "POST /proposals/:id intent=respond", path: () => `/proposals/${fx.networkProposal}`, actor: () => voice, accepts: true, kinds: { intent: "choice", position: "choice" },
    fields: () => [["intent", "respond"], ["position", "consent"], ["reason", "Prima."]], once: () => ["proposal_positions", `member_id = ${q(voice.id)}`] },
  { name: "POST /proposals/:id intent=respond (initiative)", path: () => `/proposals/${fx.initiativeProposal}`, actor: () => participant, accepts: true, kinds: { intent: "choice", position: "choice" },
    fields: () => [["intent", "respond"], ["position", "against"], ["reason", "Liever niet."]] },
  { name: "POST /proposals/:id intent=statement", path: () => `/proposals/${fx.closedProposal}`, actor: () => voice, accepts: true, kinds: { intent: "choice" },
    fields: () => [["intent", "statement"], ["statement", "We doen het zo."]] },
  // Founders (v2 §1): the voice (a founder) invites by mail; accepted invitations give their places back.
  // The same address sent twice (a double click) is one invitation: one place, one mail.
  { name: "POST /founders", path: () => "/founders", actor: () => voice, accepts: true, randomVariants: 4,
    fields: () => [["email", `fuzz.founder.${++unique}@example.org`]], once: () => ["founder_invitations", `invited_by = ${q(voice.id)}`],
    setup: freeFounderPlaces, prepare: freeFounderPlaces, afterAccepted: freeFounderPlaces },
  { name: "POST /founders/:token", path: () => `/founders/${fx.founderToken}`, actor: () => acceptor, accepts: true,
    // The voice and the host are founders with a voice: an acceptance waits for the host's yes.
    fields: () => [], once: () => ["log_entries", "action = 'founder.accepted'"],
    setup: newFounderInvitation, prepare: newFounderInvitation, afterAccepted: newFounderInvitation },
  // Last: ends the session of its cookie.
  { name: "POST /logout", path: () => "/logout", actor: () => null, accepts: true, fields: () => [] },
];

// Requests.

type Sent = { status: number; html: string; location: string | null; ms: number };
let forwarded = 0;

async function post(path: string, body: string | Buffer | undefined, actor: Actor | null, headers: Record<string, string> = {}): Promise<Sent> {
  const started = Date.now();
  const res = await fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: server.url,
      "X-Forwarded-For": `10.${(++forwarded >> 16) & 255}.${(forwarded >> 8) & 255}.${forwarded & 255}`,
      ...(body === undefined ? {} : { "Content-Type": "application/x-www-form-urlencoded" }),
      ...(actor ? { Cookie: actor.cookie } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : new Uint8Array(typeof body === "string" ? Buffer.from(body, "latin1") : body),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), ms: Date.now() - started };
}

// The Dutch messages a refusal may show: the dictionary (with {params} filled by anything) and
// the plain pages of app/server.ts.
const templates = [
  ...Object.values(nl).map((text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\{\w+\\\}/g, ".+?")}$`, "s")),
  /^Dit formulier is te groot om te versturen\.$/,
  /^Dit verzoek kwam niet van deze website en is geweigerd\.$/,
];
const decodeEntities = (s: string) =>
  s.replace(/<[^>]+>/g, "").replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos|#39);/gi, (_m, e: string) =>
    e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  ).replace(/\s+/g, " ").trim();

/** The messages a refusal page shows: form and field errors, alerts, the error page, a plain page. */
function messagesOf(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<(p|h1)\b[^>]*(?:class="(?:form-error|field-error)"|role="alert")[^>]*>([\s\S]*?)<\/\1>/g)) found.push(decodeEntities(m[2]));
  const errorPage = /<section class="error-page">\s*<h1>[\s\S]*?<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(html);
  if (errorPage) found.push(decodeEntities(errorPage[1]));
  const plain = /^<!doctype html><html lang="nl">.*?<main><h1>([^<]*)<\/h1>/.exec(html);
  if (plain) found.push(decodeEntities(plain[1]));
  return found;
}

const leaks = /\bError:|\bat [\w.<>$]+ \(|\.(?:js|ts):\d+:\d+|SQLITE|sqlite|no such (?:table|column)|syntax error|constraint failed|ZodError|TypeError|ReferenceError|Cannot read properties|undefined is not|\[object Object\]/;

/** Problems with one answer; `refuse` demands a refusal. */
function judge(sent: Sent, options: { refuse?: boolean; before: string; after: string }): string[] {
  const problems: string[] = [];
  if (sent.status >= 500) problems.push(`status ${sent.status}`);
  if (options.refuse && sent.status < 400) problems.push(`accepted (${sent.status} → ${sent.location}) what must be refused`);
  if (sent.status >= 400 && sent.status < 500) {
    if (options.after !== options.before) problems.push(`refused with ${sent.status} but the database changed`);
    const messages = messagesOf(sent.html);
    if (!messages.length) problems.push(`refused with ${sent.status} without a message on the page: ${sent.html.slice(0, 300)}`);
    for (const text of messages) {
      if (!text) problems.push(`refused with ${sent.status} with an empty message`);
      else if (!templates.some((t) => t.test(text))) problems.push(`refused with ${sent.status}: message is not a Dutch dictionary text: ${JSON.stringify(text.slice(0, 200))}`);
    }
    if (!/<html lang="nl"/.test(sent.html)) problems.push(`refused with ${sent.status}: the page is not in Dutch`);
  }
  const leak = leaks.exec(sent.html.replace(/<script\b[\s\S]*?<\/script>/g, ""));
  if (leak) problems.push(`the page shows ${JSON.stringify(leak[0])}: …${JSON.stringify(sent.html.slice(Math.max(0, leak.index - 150), leak.index + 150))}…`);
  if (sent.status < 400 && sent.status !== 303 && sent.status !== 302 && sent.status !== 200) problems.push(`unexpected status ${sent.status}`);
  return problems;
}

type Variant = { label: string; body: string | Buffer | undefined; headers?: Record<string, string>; refuse?: boolean; redirect?: boolean };

/** Hostile values grouped by what they try; every field gets one of each group (rotating). */
const hostileGroups = (() => {
  const byLabel = new Map(hostileText.map((h) => [h.label, h]));
  const group = (...labels: string[]) => labels.map((l) => byLabel.get(l)!);
  return [
    group("100 KB"),
    group("900 KB"),
    group("control characters and NUL", "only control characters"),
    group("SQL injection", "SQL injection 2"),
    group("script tag", "img onerror", "markdown javascript link", "html javascript link", "svg onload"),
    group("RTL override", "zero-width characters", "only zero-width characters", "emoji and combining marks", "only spaces", "prototype words", "template params", "broken percent escape"),
  ];
})();
/** Broken bytes are refused by the server before any route runs: cheap, so every field gets them all. */
const brokenBytes = hostileText.filter((h) => /UTF-8|surrogate|0xFF/.test(h.label));

/** The systematic and random variants of one form. */
function variantsOf(form: Form): Variant[] {
  const base = form.fields();
  const variants: Variant[] = [];
  const names = [...new Set(base.map(([k]) => k))];
  const replace = (name: string, value: Value) => base.map(([k, v]): [string, Value] => [k, k === name ? value : v]);
  variants.push({ label: "empty body", body: "" });
  variants.push({ label: "text/plain body", body: bodyOf(base), headers: { "Content-Type": "text/plain" } });
  variants.push({ label: "JSON body", body: JSON.stringify(Object.fromEntries(base)), headers: { "Content-Type": "application/json" } });
  variants.push({ label: "multipart garbage", body: "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\u0000--", headers: { "Content-Type": "multipart/form-data; boundary=x" } });
  variants.push({ label: "multipart with a file for every field", body: multipartFiles(base), headers: { "Content-Type": "multipart/form-data; boundary=fuzzboundary" } });
  variants.push({ label: "raw invalid UTF-8 body", body: Buffer.concat([Buffer.from(bodyOf(base) + "&x="), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80])]), refuse: true });
  variants.push({ label: "hostile field names", body: bodyOf([...base, ["__proto__", "x"], ["constructor", "y"], ["a\u0000b", "z"], ["", "leeg"]]) });
  names.forEach((name, index) => {
    const kind = form.kinds?.[name] ?? "text";
    const ignored = form.ignored?.includes(name);
    variants.push({ label: `${name} missing`, body: bodyOf(base.filter(([k]) => k !== name)) });
    variants.push({ label: `${name} repeated, hostile first`, body: bodyOf([[name, hostileGroups[4][index % 5].value], ...base]) });
    for (const h of brokenBytes) variants.push({ label: `${name} = ${h.label}`, body: bodyOf(replace(name, h.value)), refuse: true });
    // Choices and numbers get the huge values and a few others; text fields one of every group.
    const groups = kind === "text" ? hostileGroups : hostileGroups.slice(0, 3);
    for (const g of groups) {
      const h = g[(index + seed) % g.length];
      // A value the route ignores (where to go next, a checkbox) may be accepted; a huge one it reads, never.
      variants.push({ label: `${name} = ${h.label}`, body: bodyOf(replace(name, h.value)), refuse: h.refuse && !ignored });
    }
    if (kind === "redirect") for (const r of hostileRedirects) variants.push({ label: `${name} = ${show(r)}`, body: bodyOf(replace(name, r)) });
    if (kind === "number") for (const n of hostileNumbers) variants.push({ label: `${name} = ${n}`, body: bodyOf(replace(name, n)) });
    if (kind === "choice") for (const n of ["abc", "", "1e308"]) variants.push({ label: `${name} = ${show(n)}`, body: bodyOf(replace(name, n)) });
    if (kind === "date") for (const d of hostileDates) variants.push({ label: `${name} = ${d}`, body: bodyOf(replace(name, d)) });
  });
  // Every hostile text is tried on every form that has text: the ones no field got go to the first text field.
  const textFields = names.filter((n) => (form.kinds?.[n] ?? "text") === "text" && !form.ignored?.includes(n));
  if (textFields.length) {
    const tried = new Set(textFields.flatMap((n) => hostileGroups.map((g) => g[(names.indexOf(n) + seed) % g.length].label)));
    for (const h of hostileText) if (!tried.has(h.label) && !brokenBytes.includes(h)) variants.push({ label: `${textFields[0]} = ${h.label}`, body: bodyOf(replace(textFields[0], h.value)), refuse: h.refuse });
  }
  for (let i = 0; i < (form.randomVariants ?? 2); i++) {
    const fields = base.map(([k, v]): [string, Value] => [k, random() < 0.6 ? randomValue() : v]);
    if (random() < 0.3 && fields.length) fields.splice(int(0, fields.length - 1), 1);
    if (random() < 0.3 && names.length) fields.push([pick(names), randomValue()]);
    variants.push({ label: `random #${i}: ${fields.map(([k, v]) => `${k}=${show(v)}`).join(" ")}`, body: bodyOf(fields) });
  }
  return variants;
}

function multipartFiles(fields: Fields): Buffer {
  const parts = fields.map(([k]) =>
    `--fuzzboundary\r\nContent-Disposition: form-data; name="${k}"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\n<script>alert(1)</script>\r\n`,
  );
  return Buffer.from(parts.join("") + "--fuzzboundary--\r\n");
}

// What was stored, and the pages that show it.

const forbiddenStored = /\[object \w+\]|[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const maxStored = 20_000;

function storedProblems(): string[] {
  const problems: string[] = [];
  const sqlite = db().$client;
  for (const table of textTables) {
    const columns = (sqlite.prepare(`SELECT name, type FROM pragma_table_info('${table}')`).all() as { name: string; type: string }[]).filter((c) => /TEXT/i.test(c.type) || c.type === "");
    for (const { name } of columns) {
      // Mail bodies are composed from stored text plus the app's own lines; the limits are per field.
      const limit = table === "outbox" ? 60_000 : maxStored;
      const rows = sqlite.prepare(`SELECT rowid AS rowid, "${name}" AS v FROM ${table} WHERE typeof("${name}") = 'text'`).all() as { rowid: number; v: string }[];
      for (const { rowid, v } of rows) {
        const bad = forbiddenStored.exec(v);
        if (bad) problems.push(`${table}.${name} #${rowid} stores U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}: ${JSON.stringify(v.slice(0, 80))}`);
        if (v.length > limit) problems.push(`${table}.${name} #${rowid} stores ${v.length} characters`);
      }
    }
  }
  return problems;
}

/** Live markup in a page: scripts without the page's nonce, event handlers, script links, embeds. */
function htmlProblems(path: string, html: string): string[] {
  const problems: string[] = [];
  // The app's own scripts carry data, not markup; CDATA in a feed is HTML to a feed reader.
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, "$1</script>").replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1");
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
  const attribute = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  const around = (index: number) => JSON.stringify(markup.slice(Math.max(0, index - 60), index + 140));
  for (const m of markup.matchAll(tag)) {
    const name = m[1].toLowerCase();
    const attributes = [...(m[2] ?? "").matchAll(attribute)].map((a) => ({ name: a[1].toLowerCase(), value: decodeEntities(a[2] ?? a[3] ?? a[4] ?? "") }));
    if (name === "script" && !attributes.some((a) => a.name === "nonce")) problems.push(`${path}: a script without the page's nonce: ${around(m.index)}`);
    // The app's own charts are SVG with their class; the sanitiser never lets a class through from user text.
    const ownChart = name === "svg" && attributes.some((a) => a.name === "class" && /^(network-map|bar-chart)\b/.test(a.value));
    // Stored pictures (covers, profile photos) are the app's own <img>, from /images/ only.
    const ownPicture = name === "img" && attributes.some((a) => a.name === "src" && /^\/images\/[0-9a-f]{64}-(400|1200)\.webp$/.test(a.value));
    if (["iframe", "object", "embed", "svg", "style", "img", "base", "form"].includes(name) && !ownChart && !ownPicture && !(name === "form" && !attributes.some((a) => a.name === "action" && /^[a-z]+:/i.test(a.value)))) {
      problems.push(`${path}: an embedded <${name}> from user text: ${around(m.index)}`);
    }
    for (const a of attributes) {
      if (a.name.startsWith("on")) problems.push(`${path}: an event handler attribute ${a.name}: ${around(m.index)}`);
      const link = a.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(a.name) && /^(?:javascript|vbscript|data):/.test(link)) {
        problems.push(`${path}: a ${link.split(":")[0]}: link: ${around(m.index)}`);
      }
    }
  }
  return problems;
}

// The tests.

const allProblems: string[] = [];
const timings: { form: string; label: string; ms: number }[] = [];
afterAll(() => {
  if (process.env.FUZZ_TIMING) {
    const total = timings.reduce((sum, t) => sum + t.ms, 0);
    console.log(`[fuzz] ${timings.length} requests, ${total} ms; slowest:\n${[...timings].sort((a, b) => b.ms - a.ms).slice(0, 25).map((t) => `  ${t.ms} ms  ${t.form}  ${t.label.slice(0, 80)}`).join("\n")}`);
  }
});

describe(`fuzzing every form (seed ${seed})`, () => {
  it.each(forms.map((f) => [f.name, f] as const))("%s: hostile and random values, never a 5xx, refusals clear and harmless", async (_name, form) => {
    const problems: string[] = [];
    await form.setup?.();
    for (const variant of variantsOf(form)) {
      const before = writes();
      const sent = await post(form.path(), variant.body, form.actor(), variant.headers);
      const after = writes();
      if (sent.status < 400 && form.afterAccepted) await form.afterAccepted();
      for (const p of judge(sent, { refuse: variant.refuse, before, after })) problems.push(`${variant.label}: ${p}`);
      if (sent.location !== null && !/^\/(?![/\\])[\x21-\x7e]{0,2000}$/.test(sent.location)) problems.push(`${variant.label}: redirects to ${show(sent.location)}`);
      timings.push({ form: form.name, label: variant.label, ms: sent.ms });
    }
    // The valid submission, then the same again: accepted, and the second adds no row where one is meant.
    await form.prepare?.();
    const valid = bodyOf(form.fields());
    const path = form.path();
    const actor = form.actor();
    const [table, where] = form.once?.() ?? [null, null];
    const rowsBefore = table ? count(table, where!) : 0;
    const first = await post(path, valid, actor);
    for (const p of judge(first, { before: "", after: "" })) problems.push(`valid submission: ${p}`);
    if (form.accepts && !(first.status < 400 && !/class="(?:form-error|field-error)"/.test(first.html))) {
      problems.push(`valid submission refused: ${first.status} ${messagesOf(first.html).join(" / ")}`);
    }
    if (table) {
      const rowsAfterFirst = count(table, where!);
      const second = await post(path, valid, actor);
      if (second.status >= 500) problems.push(`duplicate submission: status ${second.status}`);
      const rowsAfterSecond = count(table, where!);
      if (rowsAfterSecond > rowsAfterFirst) problems.push(`duplicate submission added a second row to ${table} (${rowsBefore} → ${rowsAfterFirst} → ${rowsAfterSecond})`);
    }
    allProblems.push(...problems.map((p) => `${form.name}: ${p}`));
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("signing up twice with the same address makes one account", async () => {
    const fields: Fields = [["email", "fuzz.dup@example.org"], ["password", "a long enough password"], ["displayName", "Dubbel"]];
    const [a, b] = await Promise.all([post("/signup", bodyOf(fields), null), post("/signup", bodyOf(fields), null)]);
    expect([a.status, b.status].every((s) => s < 500)).toBe(true);
    const again = await post("/signup", bodyOf(fields), null);
    expect(again.status).toBe(303);
    expect(count("members", "email = 'fuzz.dup@example.org'")).toBe(1);
  });

  it("stores only cleaned text, within the limits", () => {
    expect(storedProblems(), `seed ${seed}`).toEqual([]);
  });

  it("pages that show stored content carry no live script, javascript: link or event handler", async () => {
    // The check itself sees live markup when there is some.
    expect(htmlProblems("self-test", `<p><a href=" JaVa&#115;cript:alert(1)">x</a><img src=x onerror=alert(1)><script>alert(1)</script></p><meta content="&lt;img onerror=x&gt;">`)).toHaveLength(4);
    const sqlite = db().$client;
    const ids = (query: string) => (sqlite.prepare(query).all() as { id: string | number }[]).map((r) => r.id);
    // Every page of the fixtures, and the pages of whatever was stored with markup or a script in it.
    const hostile = (columns: string[]) => columns.map((c) => `${c} LIKE '%<%' OR ${c} LIKE '%javascript%' OR ${c} LIKE '%onerror%' OR ${c} LIKE '%](%'`).join(" OR ");
    const paths = [
      "/", "/agenda", "/proposals", "/log", "/now", "/members", "/rules", "/feed.xml", "/log.xml",
      `/initiatives/${fx.initiativeId}`, `/sessions/${fx.future}`, `/sessions/${fx.past}`, `/sessions/${fx.live}`,
      `/comments/${fx.comment}/edit`, `/outcomes/${fx.outcome}/edit`,
      ...ids(`SELECT id FROM initiatives WHERE ${hostile(["title", "summary", "body", "place", "tags"])} ORDER BY id LIMIT 30`).map((id) => `/initiatives/${id}`),
      ...ids(`SELECT id FROM sessions WHERE ${hostile(["place", "host_organisation"])} ORDER BY id LIMIT 15`).map((id) => `/sessions/${id}`),
      ...ids(`SELECT id FROM proposals WHERE ${hostile(["title", "body", "statement"])} ORDER BY id LIMIT 30`).map((id) => `/proposals/${id}`),
      ...ids(`SELECT id FROM members WHERE deleted_at IS NULL AND (${hostile(["display_name", "organisation", "work", "bio", "now_text"])} OR id IN (${[voice, host, participant, bystander].map((m) => q(m.id)).join(", ")})) LIMIT 30`).map((id) => `/members/${id}`),
    ];
    const problems: string[] = [];
    // Pages as a visitor and as a member with a voice (who sees hidden content and flags).
    const jobs = paths.flatMap((path) => [null, voice].map((who) => ({ path, who })));
    for (let i = 0; i < jobs.length; i += 4) {
      await Promise.all(
        jobs.slice(i, i + 4).map(async ({ path, who }) => {
          const res = await fetch(server.url + path, { redirect: "manual", headers: who ? { Cookie: who.cookie } : {} });
          const html = await res.text();
          if (res.status >= 500) problems.push(`${path}: status ${res.status}`);
          problems.push(...htmlProblems(path, html));
        }),
      );
    }
    expect(problems, `seed ${seed}`).toEqual([]);
  });
});

// Governance v2 forms, case by case.
// The fuzzing above sends hostile values to valid targets; here the targets are hostile (tokens,
// request ids, sessions, who answers) and answers race each other. Every answer is judged as above,
// and a refusal must have exactly its status and its message, and write nothing.

type Expected = { status: number | number[]; message: keyof typeof nl | (keyof typeof nl)[] };

/** Problems with a refusal: judged as every other answer, with this status and one of these messages. */
function refusalProblems(label: string, sent: Sent, before: string, after: string, expected: Expected): string[] {
  const problems = judge(sent, { refuse: true, before, after });
  if (![expected.status].flat().includes(sent.status)) problems.push(`status ${sent.status}, expected ${[expected.status].flat().join(" or ")}`);
  const wanted = [expected.message].flat().map((key) => nl[key]);
  const shown = messagesOf(sent.html);
  if (!shown.some((m) => wanted.includes(m))) problems.push(`shows ${JSON.stringify(shown.map((m) => m.slice(0, 100)))}, expected ${JSON.stringify(wanted)}`);
  return problems.map((p) => `${label}: ${p}`);
}

/** Sends one request that must be refused; its problems go to `problems`. */
async function expectRefusal(problems: string[], label: string, path: string, fields: Fields, actor: Actor | null, expected: Expected) {
  const before = writes();
  const sent = await post(path, bodyOf(fields), actor);
  problems.push(...refusalProblems(label, sent, before, writes(), expected));
  return sent;
}

/** Sends one request that must be accepted (a redirect or a page without errors). */
async function expectAccepted(problems: string[], label: string, path: string, fields: Fields, actor: Actor) {
  const sent = await post(path, bodyOf(fields), actor);
  problems.push(...judge(sent, { before: "", after: "" }).map((p) => `${label}: ${p}`));
  if (sent.status >= 400 || /class="(?:form-error|field-error)"/.test(sent.html)) problems.push(`${label}: refused with ${sent.status} ${messagesOf(sent.html).join(" / ")}`);
  return sent;
}

async function get(path: string, actor: Actor | null): Promise<Sent> {
  const started = Date.now();
  const res = await fetch(server.url + path, { redirect: "manual", headers: actor ? { Cookie: actor.cookie } : {} });
  return { status: res.status, html: await res.text(), location: res.headers.get("location"), ms: Date.now() - started };
}

const notFound: Expected = { status: 404, message: "error.notFound" };
const badRequest: Expected = { status: 400, message: "error.badRequest" };
const requestGone: Expected = { status: 404, message: "host.requestNotFound" };
const notRegistered: Expected = { status: 409, message: "session.notRegistered" };
const invite = (email = `fuzz.invite.${++unique}@example.org`): Fields => [["email", email]];
const answer = (intent: string, ...requests: string[]): Fields => [["intent", intent], ...requests.map((r): [string, Value] => ["request", r])];
const ids = (members: Actor[]) => members.map((m) => q(m.id)).join(", ");

describe("governance v2 forms, case by case", () => {
  it("POST /founders: no founder, a founder without a voice yet, a held founder, a bad address and a full network are refused with the reason, writing nothing; one free place goes to one of eight racing invitations", async () => {
    freeFounderPlaces();
    const problems: string[] = [];
    // A founder for an hour has no voice yet (the account must be a day old); a held founder none at all.
    const [young, held] = await Promise.all([memberWithSession("Fuzz Young Founder"), memberWithSession("Fuzz Held Founder")]);
    makeFounder(young.id, hour);
    makeFounder(held.id);
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${held.id}`);
    await expectRefusal(problems, "a member who is no founder", "/founders", invite(), bystander, { status: 403, message: "founder.notFounder" });
    await expectRefusal(problems, "a founder without a voice yet", "/founders", invite(), young, { status: 403, message: "founder.noVoiceYet" });
    await expectRefusal(problems, "a held founder", "/founders", invite(), held, { status: 403, message: "member.held" });
    const before = writes();
    const visitor = await post("/founders", bodyOf(invite()), null);
    if (!(visitor.status === 302 || visitor.status === 303) || !visitor.location?.startsWith("/login") || writes() !== before) problems.push(`a visitor: ${visitor.status} → ${visitor.location}`);
    // Not one address: header injection, lists, display names, too long, no domain or no name.
    const long = `${"x".repeat(60)}@${Array.from({ length: 4 }, () => "y".repeat(60)).join(".")}.nl`;
    for (const email of ["naam@voorbeeld.nl\r\nBcc: iedereen@evil.example", "naam@voorbeeld.nl\nBcc: iedereen@evil.example", "a@voorbeeld.nl, b@evil.example", "a@voorbeeld.nl;b@evil.example", "<a@voorbeeld.nl>", '"Naam" <a@voorbeeld.nl>', "a@b", "@voorbeeld.nl", "naam@", "naam", long, "naam@voorbeeld.nl%0D%0ABcc:x@evil.example", "naam@@voorbeeld.nl", "na am@voorbeeld.nl"]) {
      await expectRefusal(problems, `email ${show(email)}`, "/founders", invite(email), voice, { status: 400, message: "auth.email.invalid" });
    }
    // The places filled with invitations (the young and the held founder take two): one more is refused.
    while (foundersAndOpenInvitations() < governance.maxFounders) inviteFounder(voice.id, `fuzz.fill.${++unique}@example.org`, "nl");
    await expectRefusal(problems, "a full network", "/founders", invite(), voice, { status: 409, message: "founder.full" });
    // One invitation expires; eight race for its place: one is sent, seven are told it is full.
    db().run(sql`UPDATE founder_invitations SET expires_at = ${Date.now() - 1} WHERE token_hash = (SELECT token_hash FROM founder_invitations WHERE used_at IS NULL AND expires_at > ${Date.now()} LIMIT 1)`);
    const raced = await Promise.all(Array.from({ length: 8 }, () => post("/founders", bodyOf(invite()), voice)));
    const sent = raced.filter((r) => r.status === 200 && messagesOf(r.html).length === 0);
    if (sent.length !== 1) problems.push(`racing for one place: ${sent.length} invitations sent (${raced.map((r) => r.status).join(", ")})`);
    for (const [i, r] of raced.entries()) if (r.status !== 200) problems.push(...refusalProblems(`racing invitation ${i}`, r, "", "", { status: 409, message: "founder.full" }));
    if (foundersAndOpenInvitations() !== governance.maxFounders) problems.push(`${foundersAndOpenInvitations()} founders and open invitations, not ${governance.maxFounders}`);
    freeFounderPlaces();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /founders/:token: unknown, malformed, used and expired tokens (huge, unicode, broken bytes, path tricks) are a 404; a founder accepting is a 409; nothing is written; two members racing for one link: one wins", async () => {
    const problems: string[] = [];
    // An expired invitation, a used one, and a valid one (the acceptor's).
    const expired = inviteFounder(voice.id, "fuzz.expired@example.org", "nl")!;
    freeFounderPlaces();
    const used = inviteFounder(voice.id, "fuzz.used@example.org", "nl")!;
    const user = await memberWithSession("Fuzz Used");
    await post(`/founders/${used}`, "", user);
    if (count("founder_invitations", `used_by = ${q(user.id)}`) !== 1) problems.push("the used invitation was not accepted");
    await newFounderInvitation();
    const valid = fx.founderToken;
    const changed = valid.slice(0, -1) + (valid.endsWith("A") ? "B" : "A");
    const segments: [string, string][] = [
      ["a used token", used],
      ["an expired token", expired],
      ["the valid token with its last character changed", changed],
      ["the valid token in upper case", valid.toUpperCase() === valid ? changed : valid.toUpperCase()],
      ["one character", "x"],
      ["42 characters", valid.slice(0, 42)],
      ["44 characters", `${valid}A`],
      ["8 KB", "A".repeat(8192)],
      ["43 underscores (the pattern, no token)", "_".repeat(43)],
      ["43 umlauts", encodeURIComponent("ü".repeat(43))],
      ["43 emoji", encodeURIComponent("😀".repeat(43))],
      ["a fullwidth look-alike", encodeURIComponent(`${valid.slice(0, 42)}Ａ`)],
      ["NUL inside", `${valid.slice(0, 21)}%00${valid.slice(22)}`],
      ["NUL after", `${valid}%00`],
      ["invalid UTF-8", `%FF%FE${valid.slice(2)}`],
      ["a lone surrogate", `%ED%A0%80${valid.slice(3)}`],
      ["overlong UTF-8", `%C0%AF${valid.slice(2)}`],
      ["a broken percent escape", `${valid.slice(0, 41)}%Z`],
      ["a space after", `${valid}%20`],
      ["a newline after", `${valid}%0A`],
      ["an encoded slash inside", `${valid.slice(0, 21)}%2F${valid.slice(22)}`],
      ["an encoded backslash inside", `${valid.slice(0, 21)}%5C${valid.slice(22)}`],
      ["encoded dot segments", "..%2F..%2Fsettings"],
      // (Not "%2E%2E": a client takes that for "..", fetch included, and asks for "/".)
      ["three encoded dots", "%2E%2E%2E"],
      ["double-encoded dot segments", "%252E%252E%252Fsettings"],
      ["standard base64 characters", `${valid.slice(0, 41)}%2B%2F`],
      ["a semicolon parameter", `${valid};x=1`],
      ["SQL", encodeURIComponent("' OR '1'='1' --")],
      ["a LIKE wildcard", "%25"],
      ["script", encodeURIComponent("<script>alert(1)</script>")],
      ["__proto__", "__proto__"],
      ["constructor", "constructor"],
      ["a path below the link", `${valid}/x`],
    ];
    const invalid: Expected = { status: 404, message: ["founder.invalid", "error.notFound"] };
    for (const [label, segment] of segments) {
      await expectRefusal(problems, `POST ${label}`, `/founders/${segment}`, [], bystander, invalid);
      await expectRefusal(problems, `POST ${label}, by the acceptor`, `/founders/${segment}`, [], acceptor, invalid);
      const before = writes();
      const page = await get(`/founders/${segment}`, acceptor);
      problems.push(...refusalProblems(`GET ${label}`, page, before, writes(), invalid));
    }
    // A founder cannot take a second place; the link stays valid for the one it was meant for.
    await expectRefusal(problems, "a founder accepting", `/founders/${valid}`, [], voice, { status: 409, message: "founder.already" });
    // The acceptor (twice) and two others accept the same link at once: one accepts it.
    const rivals = [acceptor, ...(await Promise.all([memberWithSession("Fuzz Rival 1"), memberWithSession("Fuzz Rival 2")]))];
    const joined = count("log_entries", "action = 'founder.accepted'");
    const raced = await Promise.all([...rivals, acceptor].map((who) => post(`/founders/${valid}`, "", who)));
    const won = raced.filter((r) => r.status < 400);
    if (won.length !== 1 || won[0].status !== 303) problems.push(`racing for one link: ${raced.map((r) => r.status).join(", ")}`);
    for (const [i, r] of raced.entries()) if (r.status >= 400) problems.push(...refusalProblems(`racing acceptance ${i}`, r, "", "", invalid));
    if (count("founder_invitations", `used_by IN (${ids(rivals)})`) !== 1) problems.push(`${count("founder_invitations", `used_by IN (${ids(rivals)})`)} of the rivals accepted it`);
    if (count("log_entries", "action = 'founder.accepted'") !== joined + 1) problems.push(`${count("log_entries", "action = 'founder.accepted'") - joined} founder.accepted entries for one link`);
    await newFounderInvitation();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /initiatives/:id/hosts accept/decline: hostile request ids, another initiative's or an answered request, the wrong initiative and answers by non-hosts are refused; the request stays open; with the field twice the first counts", async () => {
    reopenHostRequest();
    const problems: string[] = [];
    const id = String(fx.hostRequest);
    const path = `/initiatives/${fx.hostsInitiative}/hosts`;
    for (const intent of ["accept", "decline"]) {
      await expectRefusal(problems, `${intent}, request missing`, path, [["intent", intent]], host, badRequest);
      await expectRefusal(problems, `${intent}, intent missing`, path, [["request", id]], host, badRequest);
      for (const bad of ["ACCEPT", "accept ", "accept\u0000", "step-back\u200B", "join,accept"]) await expectRefusal(problems, `intent ${show(bad)}`, path, answer(bad, id), host, badRequest);
      for (const r of ["", " ", "abc", "0", "-0", "-1", `-${id}`, "1.5", `${id}.5`, "NaN", "Infinity", "-Infinity", "1e308", "99999999999999999999999", "9007199254740993", "٣", "３", `${id}abc`, `${id},${id}`, "null", "[]", "{}", "x".repeat(10_000)]) {
        await expectRefusal(problems, `${intent}, request = ${show(r)}`, path, answer(intent, r), host, badRequest);
      }
      for (const [label, r] of [["an id nobody has", "9007199254740991"], ["2^31", "2147483648"], ["another initiative's request", String(fx.otherRequest)], ["an answered request", String(fx.answeredRequest)]]) {
        await expectRefusal(problems, `${intent}, ${label}`, path, answer(intent, r), host, requestGone);
      }
      await expectRefusal(problems, `${intent}, another initiative's request first, this one second`, path, answer(intent, String(fx.otherRequest), id), host, requestGone);
      await expectRefusal(problems, `${intent}, a hostile request first, this one second`, path, answer(intent, "-1", id), host, badRequest);
      // The request belongs to the initiative in the path: not to another one the host runs, nor to one that does not exist.
      await expectRefusal(problems, `${intent} on the other initiative`, `/initiatives/${fx.otherInitiative}/hosts`, answer(intent, id), host, requestGone);
      await expectRefusal(problems, `${intent} on an initiative that does not exist`, "/initiatives/99999999/hosts", answer(intent, id), host, requestGone);
      for (const p of ["abc", "0", "-1", "1e3", `${fx.hostsInitiative}.0`, "9".repeat(30), encodeURIComponent("١")]) {
        await expectRefusal(problems, `${intent} on /initiatives/${p}/hosts`, `/initiatives/${p}/hosts`, answer(intent, id), host, notFound);
      }
      // Only a host answers: not the asker, a participant, a member with a voice, a bystander; a held host neither.
      for (const [label, who] of [["the asker", asker], ["a participant", participant], ["a member with a voice", voice], ["a bystander", bystander]] as const) {
        await expectRefusal(problems, `${intent} by ${label}`, path, answer(intent, id), who, { status: 403, message: "host.notHost" });
      }
      db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${coHost.id}`);
      await expectRefusal(problems, `${intent} by a held host`, path, answer(intent, id), coHost, { status: 403, message: "member.held" });
      db().run(sql`UPDATE members SET posting_held_at = NULL WHERE id = ${coHost.id}`);
      const before = writes();
      const visitor = await post(path, bodyOf(answer(intent, id)), null);
      if (!(visitor.status === 302 || visitor.status === 303) || !visitor.location?.startsWith("/login") || writes() !== before) problems.push(`${intent} by a visitor: ${visitor.status} → ${visitor.location}`);
    }
    if (count("host_requests", `id = ${id} AND answered_at IS NULL`) !== 1) problems.push("the request was answered");
    if (count("host_requests", `id = ${fx.otherRequest} AND answered_at IS NULL`) !== 1) problems.push("the other initiative's request was answered");
    if (count("hosts", `member_id = ${q(asker.id)}`) !== 0) problems.push("the asker became a host");
    // With the field twice the first counts: this request first, another initiative's second.
    await expectAccepted(problems, "this request first, another initiative's second", path, answer("accept", id, String(fx.otherRequest)), host);
    if (count("hosts", `member_id = ${q(asker.id)}`) !== 1 || count("hosts", `member_id = ${q(asker.id)} AND initiative_id = ${fx.hostsInitiative}`) !== 1) problems.push("accepting made the asker a host elsewhere, or not here");
    if (count("host_requests", `id = ${fx.otherRequest} AND answered_at IS NULL`) !== 1) problems.push("the other initiative's request was answered");
    // Answered now: answering it again (either way) finds nothing.
    await expectRefusal(problems, "accept again", path, answer("accept", id), coHost, requestGone);
    await expectRefusal(problems, "decline after it was accepted", path, answer("decline", id), host, requestGone);
    reopenHostRequest();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /initiatives/:id/hosts: a request id is digits only, like every id of the app (0x.., ..e0, ...0, +.., 0b.., 0o.. are not the request)", async () => {
    reopenHostRequest();
    const problems: string[] = [];
    const n = fx.hostRequest;
    const path = `/initiatives/${fx.hostsInitiative}/hosts`;
    for (const r of [`0x${n.toString(16)}`, `${n}e0`, `${n}.0`, `${n}.000`, `+${n}`, `0b${n.toString(2)}`, `0o${n.toString(8)}`, `${n * 10}e-1`]) {
      await expectRefusal(problems, `accept, request = ${show(r)}`, path, answer("accept", r), host, badRequest);
      reopenHostRequest();
    }
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /initiatives/:id/hosts: answers racing for one request (two hosts accepting and declining, the asker withdrawing): exactly one wins, one host row at most, one log entry and one mail at most", async () => {
    const problems: string[] = [];
    const path = `/initiatives/${fx.hostsInitiative}/hosts`;
    const answers = `action IN ('host.accepted', 'host.declined') AND subject_id = '${fx.hostsInitiative}'`;
    for (let round = 0; round < 6; round++) {
      reopenHostRequest();
      const id = String(fx.hostRequest);
      const tries: [string, Actor, Fields][] = [
        ["the host accepts", host, answer("accept", id)],
        ["the host accepts again", host, answer("accept", id)],
        ["the co-host accepts", coHost, answer("accept", id)],
        ["the co-host declines", coHost, answer("decline", id)],
        ["the host declines", host, answer("decline", id)],
        ["the asker withdraws", asker, [["intent", "withdraw"]]],
      ];
      // Each round another one goes first.
      const order = tries.map((_, i) => tries[(i + round) % tries.length]);
      const logged = count("log_entries", answers);
      const sent = await Promise.all(order.map(([, who, fields]) => post(path, bodyOf(fields), who)));
      const winners = order.filter((_, i) => sent[i].status < 400).map(([label]) => label);
      if (winners.length !== 1) problems.push(`round ${round}: ${winners.length} answers won (${winners.join(", ")})`);
      for (const [i, s] of sent.entries()) if (s.status >= 400) problems.push(...refusalProblems(`round ${round}, ${order[i][0]}`, s, "", "", requestGone));
      const row = db().get<{ answer: string | null }>(sql`SELECT answer FROM host_requests WHERE id = ${fx.hostRequest}`)!;
      const winner = winners[0] ?? "";
      const want = winner.includes("accepts") ? { answer: "accepted", hostRows: 1, logs: 1 } : winner.includes("declines") ? { answer: "declined", hostRows: 0, logs: 1 } : { answer: "withdrawn", hostRows: 0, logs: 0 };
      const got = { answer: row.answer, hostRows: count("hosts", `initiative_id = ${fx.hostsInitiative} AND member_id = ${q(asker.id)}`), logs: count("log_entries", answers) - logged };
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`round ${round} (${winner} won): ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      const mails = count("outbox", `dedupe_key = 'host-answer:${id}'`);
      if (mails > want.logs) problems.push(`round ${round} (${winner} won): ${mails} answer mails`);
    }
    reopenHostRequest();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /initiatives/:id/hosts intent=withdraw: only the asker's own open request, once", async () => {
    reopenHostRequest();
    const problems: string[] = [];
    const path = `/initiatives/${fx.hostsInitiative}/hosts`;
    for (const [label, who] of [["a bystander", bystander], ["the host", host], ["the co-host", coHost]] as const) {
      await expectRefusal(problems, `withdrawn by ${label}`, path, [["intent", "withdraw"]], who, requestGone);
    }
    await expectRefusal(problems, "withdrawn on an initiative that does not exist", "/initiatives/99999999/hosts", [["intent", "withdraw"]], asker, requestGone);
    // A request field is not read: the asker withdraws this request, not the other initiative's.
    await expectAccepted(problems, "withdrawn by the asker, naming the other request", path, [["intent", "withdraw"], ["request", String(fx.otherRequest)]], asker);
    if (count("host_requests", `id = ${fx.hostRequest} AND answer = 'withdrawn'`) !== 1) problems.push("the request was not withdrawn");
    if (count("host_requests", `id = ${fx.otherRequest} AND answered_at IS NULL`) !== 1) problems.push("the other initiative's request was withdrawn");
    await expectRefusal(problems, "withdrawn again", path, [["intent", "withdraw"]], asker, requestGone);
    await expectRefusal(problems, "accepted after it was withdrawn", path, answer("accept", String(fx.hostRequest)), host, requestGone);
    if (count("hosts", `member_id = ${q(asker.id)}`) !== 0) problems.push("the asker became a host");
    reopenHostRequest();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  it("POST /sessions/:id/attendance intent=withdraw: a member undoes only their own self check-in, within the week, once; everything else is refused and writes nothing", async () => {
    checkerChecksIn();
    db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'checkin:%'`);
    checkIn(fx.live, participant.id, fx.checkinCode);
    const problems: string[] = [];
    const withdraw: Fields = [["intent", "withdraw"]];
    const live = `/sessions/${fx.live}/attendance`;
    // Nobody undoes another member's check-in: not a host naming them, not a member who did not check in.
    await expectRefusal(problems, "the host, naming the checker", live, [...withdraw, ["memberId", checker.id]], host, notRegistered);
    await expectRefusal(problems, "a member who did not check in", live, withdraw, bystander, notRegistered);
    // A tick by the host is not the member's to undo; a week after the session attendance is fixed.
    await expectRefusal(problems, "a member the host ticked present", `/sessions/${fx.past}/attendance`, withdraw, participant, { status: 403, message: "session.notHost" });
    await expectRefusal(problems, "three weeks after the session", `/sessions/${fx.fixedSession}/attendance`, withdraw, checker, { status: 409, message: "session.attendance.fixed" });
    for (const s of ["99999999", "9007199254740991"]) await expectRefusal(problems, `session ${s}`, `/sessions/${s}/attendance`, withdraw, checker, { status: 404, message: "session.closed.notFound" });
    for (const s of ["abc", "0", "-1", "1e3", `${fx.live}.0`, `0x${fx.live.toString(16)}`, "9".repeat(30), encodeURIComponent("١")]) {
      await expectRefusal(problems, `session ${show(s)}`, `/sessions/${s}/attendance`, withdraw, checker, notFound);
    }
    // Naming another member changes nothing: the checker undoes her own check-in, the participant's stays.
    await expectAccepted(problems, "the checker, naming the participant", live, [...withdraw, ["memberId", participant.id], ["present", "0"]], checker);
    if (count("registrations", `session_id = ${fx.live} AND member_id = ${q(checker.id)} AND attended_at IS NULL`) !== 1) problems.push("the checker's check-in stayed");
    if (count("registrations", `session_id = ${fx.live} AND member_id = ${q(participant.id)} AND attended_at IS NOT NULL AND attendance_by = 'code'`) !== 1) problems.push("the participant's check-in was undone");
    await expectRefusal(problems, "the checker again", live, withdraw, checker, notRegistered);
    // Four at once: one is done, three find nothing to undo.
    checkerChecksIn();
    const logged = count("log_entries", `action = 'attendance.withdrawn' AND actor_id = ${q(checker.id)}`);
    const raced = await Promise.all(Array.from({ length: 4 }, () => post(live, bodyOf(withdraw), checker)));
    if (raced.filter((r) => r.status === 303).length !== 1) problems.push(`four at once: ${raced.map((r) => r.status).join(", ")}`);
    for (const [i, r] of raced.entries()) if (r.status !== 303) problems.push(...refusalProblems(`withdrawal ${i} of four at once`, r, "", "", notRegistered));
    if (count("log_entries", `action = 'attendance.withdrawn' AND actor_id = ${q(checker.id)}`) !== logged + 1) problems.push("not one log entry for four withdrawals at once");
    checkerChecksIn();
    expect(problems, `seed ${seed}`).toEqual([]);
  });

  // Last of these: it ends the bootstrap (five earned voices), and undoes that afterwards.
  it("after the bootstrap no new founders: inviting is a 403 and an invitation sent before cannot be accepted any more; nothing is written", async () => {
    await newFounderInvitation();
    const problems: string[] = [];
    const earners = await Promise.all(["A", "B", "C", "D", "E"].map((n) => memberWithSession(`Fuzz Earner ${n}`)));
    const meeting = witnessedMeeting({ hostId: earners[0].id, witnesses: [voice.id, host.id], attendees: earners.slice(1).map((m) => m.id) });
    try {
      await expectRefusal(problems, "inviting after the bootstrap", "/founders", invite(), voice, { status: 403, message: "founder.notBootstrapping" });
      await expectRefusal(problems, "accepting an invitation sent before", `/founders/${fx.founderToken}`, [], acceptor, { status: [403, 404], message: ["founder.notBootstrapping", "founder.invalid", "error.notFound"] });
      if (count("members", `id = ${q(acceptor.id)} AND founder_at IS NOT NULL`) !== 0) problems.push("the acceptor became a founder after the bootstrap");
    } finally {
      // The meeting's attendance goes: fewer than five earned voices, the network bootstraps again.
      db().run(sql`DELETE FROM registrations WHERE session_id = ${meeting.sessionId}`);
      await newFounderInvitation();
    }
    expect(problems, `seed ${seed}`).toEqual([]);
  });
});

// Bodies over the limit.

type RawAnswer = { status: number; statusMs: number; closedMs: number; sentBytes: number; text: string };

/** Sends a request by hand: when did the status line come, and when did the server close? */
function rawRequest(head: string, feed: (socket: net.Socket, count: (n: number) => void) => void): Promise<RawAnswer> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const started = Date.now();
    let text = "";
    let status = 0;
    let statusMs = -1;
    let sentBytes = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within 8 s (status ${status} after ${statusMs} ms, ${sentBytes} bytes sent)`));
    }, 8_000);
    socket.on("connect", () => {
      socket.write(head);
      feed(socket, (n) => (sentBytes += n));
    });
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      const m = !status && /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) {
        status = Number(m[1]);
        statusMs = Date.now() - started;
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ status, statusMs, closedMs: Date.now() - started, sentBytes, text });
    });
  });
}

const piece = Buffer.alloc(64 * 1024, "a");
const chunk = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]);

/** Writes `total` bytes of form body (chunked or not) as fast as the socket takes them; `stop` leaves the body unfinished. */
function sendBody(total: number, chunked: boolean, stop = false) {
  return (socket: net.Socket, count: (n: number) => void) => {
    let sent = 0;
    const next = () => {
      while (sent < total && !socket.destroyed) {
        const data = piece.subarray(0, Math.min(piece.length, total - sent));
        sent += data.length;
        count(data.length);
        if (!socket.write(chunked ? chunk(data) : data)) return void socket.once("drain", next);
      }
      if (chunked && !stop && !socket.destroyed) socket.write("0\r\n\r\n");
    };
    socket.write(chunked ? chunk(Buffer.from("body=")) : "body=");
    next();
  };
}

describe("bodies over the text forms' limit (64 KB; pictures 5.5 MB)", () => {
  const mb = 1024 * 1024;
  const head = (extra: string) =>
    `POST /initiatives/${fx.initiativeId}/comments HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nOrigin: ${server.url}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nCookie: ${voice.cookie}\r\n${extra}\r\n`;
  const refused = (answer: RawAnswer, before: string) => {
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.text).toContain("Dit formulier is te groot om te versturen.");
    expect(writes()).toBe(before);
  };

  it("a 5 MB Content-Length is answered with 413 at once, before the body comes, and the connection closed", async () => {
    const before = writes();
    // Only 256 KB of the announced 5 MB is ever sent: a server that waited for the body would never answer.
    const answer = await rawRequest(head(`Content-Length: ${5 * mb + 5}\r\n`), sendBody(256 * 1024, false));
    refused(answer, before);
    expect(answer.statusMs).toBeLessThan(1500);
    expect(answer.closedMs).toBeLessThan(4000);
  });

  it("a 5 MB body sent in full is answered with 413 and the connection closed, without waiting for the client", async () => {
    const before = writes();
    const answer = await rawRequest(head(`Content-Length: ${5 * mb + 5}\r\n`), sendBody(5 * mb, false));
    refused(answer, before);
    expect(answer.statusMs).toBeLessThan(1500);
    expect(answer.closedMs).toBeLessThan(4000);
  });

  it("a chunked body without Content-Length is refused with 413 once more than the limit has come in, and the connection closed", async () => {
    const before = writes();
    // 1.5 MB of chunks and then nothing more: the body never ends, the answer must still come.
    const answer = await rawRequest(head("Transfer-Encoding: chunked\r\n"), sendBody(1.5 * mb, true, true));
    refused(answer, before);
    expect(answer.statusMs).toBeLessThan(1500);
    expect(answer.closedMs).toBeLessThan(4000);
  });

  it("a 5 MB chunked body sent in full is refused with 413 and the connection closed", async () => {
    const before = writes();
    const answer = await rawRequest(head("Transfer-Encoding: chunked\r\n"), sendBody(5 * mb, true));
    refused(answer, before);
    expect(answer.closedMs).toBeLessThan(4000);
  });

  it("a body just under the text forms' limit (64 KB) is read and answered with a field message, not a 413", async () => {
    const sent = await post(`/initiatives/${fx.initiativeId}/comments`, `body=${"y".repeat(bodyLimits.text - 10)}`, voice);
    expect(sent.status).toBe(400);
    expect(messagesOf(sent.html)).toContain(nl["comment.body.tooLong"]);
  });

  it("the server still answers after all of this", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
