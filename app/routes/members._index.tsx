import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { voiceSnapshot } from "~/models/voice.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "members.title");

export function loader() {
  const snapshot = voiceSnapshot();
  const members = db().all<{ id: string; display_name: string; organisation: string }>(sql`SELECT id, display_name, organisation FROM members ORDER BY display_name COLLATE NOCASE LIMIT 1000`);
  return {
    bootstrapping: snapshot.bootstrapping,
    voiceCount: snapshot.voices.size,
    members: members.map((m) => ({ id: m.id, name: m.display_name, organisation: m.organisation, voice: snapshot.voices.get(m.id)?.kind ?? null })),
  };
}

export default function Members() {
  const t = useT();
  const { members, voiceCount, bootstrapping } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("members.title")}</h1>
      <p className="lead">{t("members.intro", { n: members.length, voices: voiceCount })}</p>
      {bootstrapping ? <p className="notice">{t("voice.bootstrapping")}</p> : null}
      <p>
        <Link to="/how-it-works">{t("nav.howItWorks")}</Link>
      </p>
      <ul className="people directory">
        {members.map((m) => (
          <li key={m.id}>
            <Link to={`/members/${m.id}`}>{m.name}</Link>
            {m.organisation ? <span className="muted"> · {m.organisation}</span> : null}
            {m.voice ? <span className="badge voice"> {t("voice.badge")}</span> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
