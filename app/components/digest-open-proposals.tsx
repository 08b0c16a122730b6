import { Link } from "~/components/link";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";

type OpenProposal = { id: number; title: string; deadline: number; open: boolean };

/** The newsletter's open proposals: "your voice is asked" where it is, or who is asked (for visitors). */
export function OpenProposals({ proposals, asked, forMembers }: { proposals: OpenProposal[]; asked: number[]; forMembers: boolean }) {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  if (!proposals.length) return null;
  return (
    <>
      <h2>{t("digest.open")}</h2>
      {forMembers ? null : <p>{t("digest.open.voices")}</p>}
      <ul>
        {proposals.map((p) => (
          <li key={p.id}>
            <Link to={`/proposals/${p.id}`}>{p.title}</Link> ({t("digest.open.until", { date: formatDateTime(p.deadline, locale, zone) })})
            {asked.includes(p.id) ? <strong className="badge voice">{t("digest.open.yourVoice")}</strong> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
