// Bad input, through the real server (build/index.js): every form of the app gets hostile and
// random values over HTTP, with the right Origin and the actor's cookie. For every request:
// never a 5xx; a refusal is a 4xx with a clear Dutch message on the page (no stack trace, no
// "Error:", no SQL) and leaves the database as it was; whatever is accepted is stored cleaned
// (no control characters, no invisible or direction-changing characters, nothing over the
// limits) and the pages that show it carry no live script, `javascript:` link or event handler.
// The same valid submission sent twice never makes two rows where one is meant. Bodies over
// 1 MB are refused with 413 before they are read, with or without a Content-Length.
//
// Random variants come from a seeded PRNG: the seed is printed, and FUZZ_SEED=<seed> repeats a run.
// The server shares this test file's own database (tests/support/setup.ts), so actors and
// fixtures are made through the real models; triggers count every write to the state tables,
// which tells exactly whether a refused request changed anything.
import { readFileSync } from "node:fs";
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { nl } from "~/lib/i18n/nl";
import { toLocalDateTimeInput } from "~/lib/time";
import { requestPasswordReset } from "~/models/account.server";
import { postComment, postOutcome } from "~/models/contributions.server";
import { ruleHeadings } from "~/lib/diff";
import { closeProposal, currentRules, openProposal } from "~/models/proposals.server";
import { markAttendance, register } from "~/models/registrations.server";
import { day, hour, initiativeBy, sessionOf, zone } from "../support/fixtures";
import { makeFounder } from "../support/governance";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

// ---- The seeded PRNG ---------------------------------------------------------------------------

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

// ---- Values: plain text is percent-encoded, raw values go into the body as they are --------------

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

// ---- The server, the actors and the fixtures --------------------------------------------------

let server: RunningServer;
type Actor = { id: string; cookie: string; email: string };
let voice: Actor, host: Actor, participant: Actor, bystander: Actor, resetter: Actor, leaver: Actor;
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
  unsubscribeToken: string;
};

/** Everything a member action could change (not rate limits, login sessions or reset links). */
const stateTables = ["members", "initiatives", "initiative_tags", "hosts", "host_requests", "log_entries", "sessions", "registrations", "interests", "outbox", "proposals", "proposal_positions", "proposal_electorate", "proposal_statements", "flags", "house_rules", "member_tags", "now_updates", "outcomes", "comments", "founder_invitations"];
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

beforeAll(async () => {
  // The models (this process) and the server share the database file; migrate it here first.
  db();
  [voice, host, participant, bystander, resetter, leaver] = await Promise.all(
    ["Fuzz Voice", "Fuzz Host", "Fuzz Participant", "Fuzz Bystander", "Fuzz Resetter", "Fuzz Leaver"].map((n) => memberWithSession(n)),
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
  fx = { initiativeId, future, past, live, cancelTarget, messageTarget: future, rules, checkinCode, comment, outcome, networkProposal, initiativeProposal, closedProposal, resetToken, unsubscribeToken };
  installWriteCounters();
  // Trust X-Forwarded-For, so sign-up, login and reset attempts come from many addresses and the
  // per-address limits do not hide the validation behind "too many attempts".
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, TRUST_PROXY: "1", SCHEDULER_INTERVAL_MS: "3600000" });
});

afterAll(async () => {
  if (process.env.FUZZ_TIMING && server) {
    // CPU time, not wall time: on a busy machine the wall clock says little about the test.
    const [utime, stime] = readFileSync(`/proc/${server.process.pid}/stat`, "utf8").split(") ")[1].split(" ").slice(11, 13).map(Number);
    const own = process.cpuUsage();
    console.log(`[fuzz] CPU: server ${((utime + stime) / 100).toFixed(1)} s, test ${((own.user + own.system) / 1e6).toFixed(1)} s`);
  }
  await server?.stop();
});

// ---- The forms -----------------------------------------------------------------------------------

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
    fields: () => [["intent", "cancel-session"]] },
  { name: "POST /sessions/:id/register", path: () => `/sessions/${fx.future}/register`, actor: () => voice, accepts: true, ignored: ["redirectTo"], kinds: { redirectTo: "redirect" },
    fields: () => [["redirectTo", "/agenda"]], once: () => ["registrations", `member_id = ${q(voice.id)}`] },
  { name: "POST /sessions/:id/cancel", path: () => `/sessions/${fx.future}/cancel`, actor: () => participant, accepts: true, ignored: ["redirectTo"], kinds: { redirectTo: "redirect" },
    fields: () => [["redirectTo", "/agenda"]], prepare: () => void register(fx.future, participant.id) },
  { name: "POST /sessions/:id/checkin", path: () => `/sessions/${fx.live}/checkin`, actor: () => participant, accepts: true,
    fields: () => [["code", fx.checkinCode]], prepare: () => void db().run(sql`DELETE FROM rate_limits WHERE key LIKE 'checkin:%'`) },
  { name: "POST /sessions/:id/attendance", path: () => `/sessions/${fx.past}/attendance`, actor: () => host, accepts: true, kinds: { memberId: "choice", present: "choice" }, ignored: ["present"],
    fields: () => [["memberId", participant.id], ["present", "1"]] },
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
  // Last: ends the session of its cookie.
  { name: "POST /logout", path: () => "/logout", actor: () => null, accepts: true, fields: () => [] },
];

// ---- Requests -------------------------------------------------------------------------------------

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

// ---- What was stored, and the pages that show it -----------------------------------------------

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

// ---- The tests ------------------------------------------------------------------------------------

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

// ---- Bodies over the limit ------------------------------------------------------------------------

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

describe("bodies over the 1 MB limit", () => {
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

  it("a chunked body without Content-Length is refused with 413 once 1 MB has come in, and the connection closed", async () => {
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

  it("a body just under the limit is read and answered with a field message, not a 413", async () => {
    const sent = await post(`/initiatives/${fx.initiativeId}/comments`, `body=${"y".repeat(mb - 10)}`, voice);
    expect(sent.status).toBe(400);
    expect(messagesOf(sent.html)).toContain(nl["comment.body.tooLong"]);
  });

  it("the server still answers after all of this", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
