// Organisations by name (issue 14). People type their organisation in many ways: "GGZ
// Lindenveen, team Herstel", "ggz lindenveen", "Stichting De Brug" and "De Brug". The key below
// makes those one; what follows a comma or a dash names a team or a location, not another
// organisation.
import type Database from "better-sqlite3";

// Words of a legal form, which people add or leave out.
const legalForms = new Set(["stichting", "vereniging", "bv", "nv", "vof", "cooperatie", "coop", "ua", "foundation", "the"]);

/** The organisation's own name: the part before a comma or a spaced dash ("team Herstel"). */
export function organisationPart(name: string): { name: string; rest: string } {
  const clean = name.replace(/\s+/g, " ").trim();
  const at = clean.search(/,| [-–—] /);
  if (at <= 0) return { name: clean, rest: "" };
  return { name: clean.slice(0, at).trim(), rest: clean.slice(at).replace(/^(,| [-–—] )\s*/, "").trim() };
}

/** The key two spellings of one organisation share: no accents, case, punctuation or legal form. */
export function organisationKey(name: string): string {
  const words = organisationPart(name)
    .name.normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " en ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  const kept = words.filter((w) => !legalForms.has(w));
  return (kept.length ? kept : words).join(" ");
}

/** A readable address part: "GGZ Lindenveen" → "ggz-lindenveen". */
export function organisationSlug(name: string): string {
  const slug = organisationKey(name).replace(/ /g, "-").slice(0, 60).replace(/-+$/, "");
  return slug || "organisatie";
}

/** The slug, or the slug with a number when it is taken. */
export function freeSlug(client: Database.Database, name: string): string {
  const base = organisationSlug(name);
  const taken = client.prepare("SELECT 1 FROM organisations WHERE slug = ?");
  if (!taken.get(base)) return base;
  for (let n = 2; ; n++) if (!taken.get(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Links every member and session that names an organisation but has none picked (the free text
 * from before organisations existed, or a database restored from then) to the organisation with
 * that key, creating it with the spelling most people used. A member's team or location after the
 * comma moves to their work, so nothing they wrote is lost. Safe to run at every start.
 */
export function linkOrganisations(client: Database.Database, now = Date.now()) {
  const memberRows = client
    .prepare("SELECT id, organisation, work FROM members WHERE organisation_id IS NULL AND organisation != '' AND deleted_at IS NULL")
    .all() as { id: string; organisation: string; work: string }[];
  const sessionRows = client.prepare("SELECT id, host_organisation FROM sessions WHERE host_organisation_id IS NULL AND host_organisation != ''").all() as {
    id: number;
    host_organisation: string;
  }[];
  if (!memberRows.length && !sessionRows.length) return;
  client.transaction(() => {
    const spellings = new Map<string, Map<string, number>>();
    for (const text of [...memberRows.map((m) => m.organisation), ...sessionRows.map((s) => s.host_organisation)]) {
      const key = organisationKey(text);
      if (!key) continue;
      const name = organisationPart(text).name;
      const counts = spellings.get(key) ?? new Map<string, number>();
      counts.set(name, (counts.get(name) ?? 0) + 1);
      spellings.set(key, counts);
    }
    const idOf = new Map<string, { id: number; name: string }>();
    const existing = client.prepare("SELECT id, name FROM organisations WHERE name_key = ? AND merged_into IS NULL ORDER BY id LIMIT 1");
    const insert = client.prepare("INSERT INTO organisations (slug, name, name_key, created_at) VALUES (?, ?, ?, ?) RETURNING id");
    for (const [key, counts] of spellings) {
      const found = existing.get(key) as { id: number; name: string } | undefined;
      if (found) {
        idOf.set(key, found);
        continue;
      }
      // The spelling most people used; of equals, the shortest, then the first alphabetically.
      const name = [...counts].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0][0];
      const id = (insert.get(freeSlug(client, name), name, key, now) as { id: number }).id;
      idOf.set(key, { id, name });
    }
    const setMember = client.prepare("UPDATE members SET organisation_id = ?, organisation = ?, work = ? WHERE id = ?");
    for (const m of memberRows) {
      const org = idOf.get(organisationKey(m.organisation));
      if (!org) continue;
      const rest = organisationPart(m.organisation).rest;
      const work = rest && !m.work.includes(rest) ? (m.work ? `${m.work} · ${rest}` : rest).slice(0, 160) : m.work;
      setMember.run(org.id, org.name, work, m.id);
    }
    const setSession = client.prepare("UPDATE sessions SET host_organisation_id = ?, host_organisation = ? WHERE id = ?");
    for (const s of sessionRows) {
      const org = idOf.get(organisationKey(s.host_organisation));
      if (org) setSession.run(org.id, org.name, s.id);
    }
  })();
}
