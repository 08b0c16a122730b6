// Generated data for benchmarks: members, initiatives, sessions and sign-ups in bulk, with
// prepared statements inside the caller's transaction. Deterministic (a seeded PRNG), so two runs
// produce the same network. The full-text indexes are filled by the database's own triggers.
import { generateCheckinCode } from "~/models/sessions.server";
import { db } from "~/lib/db.server";

const day = 24 * 60 * 60 * 1000;

/** A small deterministic PRNG, so that two bulk runs produce the same data. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bulkTopics = [
  "eenzaamheid", "taalles", "schuldhulp", "mantelzorg", "jongerenwerk", "digitale vaardigheden",
  "buurtpreventie", "opvoedondersteuning", "armoede", "gezond eten", "bewegen", "herstel",
  "statushouders", "laaggeletterdheid", "vrijwilligerswerk", "burenhulp", "dementie", "wonen",
];
const bulkForms: Record<"course" | "activity" | "request", string[]> = {
  course: ["Cursus", "Training", "Workshop", "Leergang", "Masterclass"],
  activity: ["Inloopochtend", "Buurtactiviteit", "Bijeenkomst", "Themamiddag", "Ontmoetingsavond"],
  request: ["Gezocht: hulp bij", "Vraag over", "Wie weet meer over", "Gezocht: ruimte voor"],
};
const bulkPlaces = [
  "Buurthuis De Kastanje", "Bibliotheek De Leeshoek", "Stadhuis Lindenveen", "Wijkcentrum Zuid",
  "Online", "Lindenveen-Noord", "Lindenveen-Centrum", "Sporthal De Wissel", "",
];
const bulkSummaries = [
  (topic: string) => `Voor professionals en vrijwilligers in de buurt die met ${topic} te maken hebben.`,
  (topic: string) => `We wisselen ervaringen uit over ${topic} en maken afspraken voor de komende maanden.`,
  (topic: string) => `Een praktische middag over ${topic}, met voorbeelden uit de wijk.`,
  (topic: string) => `Wie denkt mee over ${topic}? Iedereen uit het netwerk is welkom.`,
];
const bulkOpenings = [
  "We delen ervaringen uit de praktijk en zoeken samen naar wat **werkt** in de buurt.",
  "Korte inleiding, daarna **samen aan de slag** in kleine groepen.",
  "Neem een voorbeeld mee uit je eigen werk; we bespreken er **drie** uitgebreid.",
];
const bulkTags = [
  "buurt", "taal", "vrijwilligers", "armoede", "jeugd", "ouderen", "ontmoeting", "training",
  "zorg", "wonen", "gezondheid", "digitaal", "cultuur", "sport", "participatie", "mantelzorg",
];

/**
 * Inserts `count` generated initiatives with creation times spread evenly from `from` to `to`,
 * in id order, so that the feed (newest id first) is also newest first in time.
 */
export function bulkInitiatives(count: number, from: number, to: number) {
  const client = db().$client;
  const memberIds = client.prepare("SELECT id FROM members ORDER BY created_at, id").pluck().all() as string[];
  if (!memberIds.length) throw new Error("no members to host the generated initiatives");
  const random = mulberry32(20240611);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];

  const insertInitiative = client.prepare(
    `INSERT INTO initiatives (title, summary, body, kind, tags, place, target, status, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'idea', ?, ?, ?)`,
  );
  const insertTag = client.prepare("INSERT INTO initiative_tags (initiative_id, tag) VALUES (?, ?)");
  const insertHost = client.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)");
  const insertLog = client.prepare(
    `INSERT INTO log_entries (at, action, actor_id, subject_type, subject_id, detail)
     VALUES (?, 'initiative.created', ?, 'initiative', ?, ?)`,
  );

  const kinds = ["activity", "activity", "course", "request"] as const;

  // The caller holds the transaction: thousands of inserts, one commit.
  for (let n = 0; n < count; n++) {
    const kind = pick(kinds);
    const topic = pick(bulkTopics);
    const place = pick(bulkPlaces);
    const tags = [...new Set([pick(bulkTags), pick(bulkTags), ...(random() < 0.5 ? [pick(bulkTags)] : [])])];
    const title = `${pick(bulkForms[kind])} ${topic}${place && place !== "Online" ? ` in ${place}` : ""}`.slice(0, 120);
    const summary = pick(bulkSummaries)(topic) + ` (${n + 1})`;
    const body = [
      `## Over ${topic}`,
      "",
      pick(bulkOpenings),
      "",
      `- wat zie je in je werk rond ${topic}?`,
      `- wie in het netwerk kan helpen?`,
      `- welke volgende stap zet je zelf?`,
      "",
      `Meer over [${tags[0]}](/?tag=${encodeURIComponent(tags[0])}).`,
    ].join("\n");
    const at = Math.round(from + ((to - from) * n) / Math.max(1, count));
    const host = memberIds[Math.floor(random() * memberIds.length)];
    const target = kind === "course" ? 8 + Math.floor(random() * 20) : null;
    const { lastInsertRowid } = insertInitiative.run(title, summary, body, kind, tags.join(", "), place, target, host, at, at);
    const id = Number(lastInsertRowid);
    for (const tag of tags) insertTag.run(id, tag);
    insertHost.run(id, host, at, at);
    insertLog.run(at, host, String(id), JSON.stringify({ title }));
  }
}


const firstNames = [
  "Aïsha", "Bram", "Chantal", "Daan", "Eline", "Fatima", "Gijs", "Hanna", "Ibrahim", "Joke", "Kees", "Linda",
  "Mohamed", "Noor", "Olga", "Priya", "Quinten", "Rachid", "Sofie", "Tom", "Ursula", "Vera", "Wim", "Youssef", "Zeynep",
];
const lastNames = [
  "de Vries", "Jansen", "Bakker", "El Idrissi", "Visser", "Smit", "Yılmaz", "Meijer", "de Boer", "Mulder",
  "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Kaya", "Dekker", "Brouwer", "de Wit", "Dijkstra",
];
const organisationKinds = ["Wijkteam", "Buurthuis", "Welzijn", "Bibliotheek", "Vrijwilligerscentrale", "GGZ-team", "Schuldhulp", "Gemeente"];
const organisationPlaces = ["Noord", "Zuid", "Oost", "West", "Centrum", "De Hoven", "Kanaleneiland"];

/** A bulk member's organisation: one of 56 (8 kinds in 7 places), some more common than others. */
function organisationOf(random: () => number) {
  const kind = organisationKinds[Math.floor(random() * random() * organisationKinds.length)];
  const place = organisationPlaces[Math.floor(random() * organisationPlaces.length)];
  return `${kind} ${place}`;
}

/**
 * Inserts `count` generated members (all with the given password hash, addresses
 * bulk-00001@<domain> and up), joined evenly between `from` and `to`.
 */
export function bulkMembers(count: number, from: number, to: number, passwordHash: string, domain: string) {
  const client = db().$client;
  const random = mulberry32(5000);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const insert = client.prepare(
    `INSERT INTO members (id, email, password_hash, display_name, organisation, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (let n = 0; n < count; n++) {
    const id = `bulk${String(n + 1).padStart(8, "0")}`;
    const at = Math.round(from + ((to - from) * n) / Math.max(1, count));
    insert.run(id, `bulk-${String(n + 1).padStart(5, "0")}@${domain}`, passwordHash, `${pick(firstNames)} ${pick(lastNames)}`, organisationOf(random), at);
  }
}

/**
 * Gives generated courses and activities `sessionCount` sessions in all (evenly spread from a
 * year ago to three months ahead, each after its initiative was posted), and `signUps`
 * registrations spread over them: places fill in order, the rest wait; three in four of those
 * registered for a session that took place checked in, and nearly every regular (below).
 */
export function bulkSessions(sessionCount: number, signUps: number, now: number) {
  const client = db().$client;
  const random = mulberry32(20000);
  const initiatives = client
    .prepare("SELECT id, created_at AS createdAt, created_by AS host FROM initiatives WHERE kind != 'request' AND created_by IS NOT NULL ORDER BY id")
    .all() as { id: number; createdAt: number; host: string }[];
  const memberIds = client.prepare("SELECT id FROM members WHERE deleted_at IS NULL ORDER BY id").pluck().all() as string[];
  if (!initiatives.length || !memberIds.length) throw new Error("no initiatives or members to give sessions");
  if (signUps > sessionCount * memberIds.length) throw new Error("more sign-ups than sessions × members");

  const insertSession = client.prepare(
    `INSERT INTO sessions (initiative_id, starts_at, ends_at, place, host_organisation, capacity, checkin_code, created_at, updated_at)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)`,
  );
  const insertRegistration = client.prepare(
    `INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // As in a real network, a core of regulars comes to most meetings and checks in with the code:
  // the founders in the first two months (only they can witness while the network starts), then
  // the founders with forty members who keep coming. So meetings are witnessed and voices spread
  // (governance.md §1); without them nobody would ever earn a voice.
  const founders = client.prepare("SELECT id FROM members WHERE founder_at IS NOT NULL AND deleted_at IS NULL ORDER BY id").pluck().all() as string[];
  const regulars = [...founders, ...memberIds.filter((id) => !founders.includes(id)).slice(0, 40)];
  if (!founders.length) throw new Error("no founders to start the network's meetings");
  const capacities = [null, 8, 12, 15, 20, 25, 30, 40];
  const first = now - 365 * day;
  const last = now + 90 * day;
  for (let n = 0; n < sessionCount; n++) {
    // Evenly through the period, at 18:00 or 09:00 UTC.
    const target = first + ((last - first) * n) / Math.max(1, sessionCount);
    let initiative = initiatives[Math.floor(random() * initiatives.length)];
    for (let tries = 0; initiative.createdAt > target - day && tries < 20; tries++) initiative = initiatives[Math.floor(random() * initiatives.length)];
    const startsAt = Math.max(target, initiative.createdAt + day) - (target % day) + (random() < 0.7 ? 18 : 9) * 60 * 60 * 1000;
    const capacity = capacities[Math.floor(random() * capacities.length)];
    const createdAt = Math.max(initiative.createdAt, startsAt - 30 * day);
    const { lastInsertRowid } = insertSession.run(initiative.id, startsAt, startsAt + 2.5 * 60 * 60 * 1000, pick(bulkPlaces), capacity, generateCheckinCode(), createdAt, createdAt);
    const sessionId = Number(lastInsertRowid);

    // This session's share of the sign-ups, so that the total comes out exactly. Regulars first.
    const count = Math.floor(((n + 1) * signUps) / sessionCount) - Math.floor((n * signUps) / sessionCount);
    const chosen = new Set<string>();
    const regularsHere = startsAt < now ? (startsAt < first + 60 * day ? [pick(founders), pick(founders), pick(regulars)] : [pick(regulars), pick(regulars), pick(regulars)]) : [];
    for (const memberId of regularsHere) if (chosen.size < count && memberId !== initiative.host) chosen.add(memberId);
    const regularCount = chosen.size;
    while (chosen.size < count) {
      const memberId = memberIds[Math.floor(random() * memberIds.length)];
      if (memberId !== initiative.host) chosen.add(memberId);
    }
    let seq = 0;
    for (const memberId of chosen) {
      seq++;
      const status = capacity === null || seq <= capacity ? "registered" : "waitlisted";
      const at = createdAt + Math.floor(((startsAt - createdAt) * seq) / (count + 1));
      const attended = status === "registered" && startsAt < now && random() < (seq <= regularCount ? 0.95 : 0.75);
      insertRegistration.run(sessionId, memberId, status, seq, attended ? startsAt + 10 * 60 * 1000 : null, attended ? "code" : null, at, at);
    }
  }

  function pick<T>(list: readonly T[]) {
    return list[Math.floor(random() * list.length)];
  }
}
