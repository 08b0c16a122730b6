import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import type { MessageKey } from "~/lib/i18n";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDateTime } from "~/lib/time";
import { nameViewer } from "~/models/names.server";
import { closeDueProposals, listProposals } from "~/models/proposals.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "proposal.list.title", undefined, { key: "proposal.list.intro" });

export async function loader({ request }: LoaderFunctionArgs) {
  // Anything past its deadline is closed before it is shown (the scheduler does it too).
  closeDueProposals();
  const member = await getMember(request);
  const viewerId = member?.id ?? null;
  // Proposals about a held member name them as this viewer may see them (names.server.ts).
  const { locale } = nameViewer(request, member);
  return { open: listProposals({ open: true, viewerId, locale }), closed: listProposals({ open: false, viewerId, locale }) };
}

type Row = ReturnType<typeof listProposals>[number];

function ProposalRow({ p }: { p: Row }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const outcome = p.outcome ? (JSON.parse(p.outcome) as { adopted: boolean }) : null;
  return (
    <li className="card">
      <p className="card-meta">
        <span className="badge">{t(`proposal.kind.${p.kind}` as MessageKey)}</span>
        <span>{p.scope === "network" ? t("proposal.scope.network") : t("proposal.scope.initiativeNamed", { title: p.hidden ? t("flag.hidden.title") : (p.initiative_title ?? "") })}</span>
      </p>
      <h3 className="card-title">
        <Link to={`/proposals/${p.id}`}>{p.hidden ? t("proposal.hiddenTitle") : p.title}</Link>
      </h3>
      <p className="muted">
        {outcome ? (outcome.adopted ? t("proposal.adopted") : t("proposal.notAdopted")) : t("proposal.deadline", { when: formatDateTime(p.deadline, locale, timeZone) })}
        {" · "}
        {t("proposal.responses", { n: p.responses })}
      </p>
    </li>
  );
}

export default function Proposals() {
  const t = useT();
  const { open, closed } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("proposal.list.title")}</h1>
      <p className="lead">{t("proposal.list.intro")}</p>
      <p className="row-links">
        <Link className="button" to="/proposals/new">
          {t("proposal.new.title")}
        </Link>
        <Link to="/how-it-works">{t("nav.howItWorks")}</Link>
      </p>
      <h2>{t("proposal.list.open")}</h2>
      {open.length ? (
        <ol className="cards single">
          {open.map((p) => (
            <ProposalRow key={p.id} p={p} />
          ))}
        </ol>
      ) : (
        <p className="empty">{t("proposal.list.noneOpen")}</p>
      )}
      <h2>{t("proposal.list.closed")}</h2>
      {closed.length ? (
        <ol className="cards single">
          {closed.map((p) => (
            <ProposalRow key={p.id} p={p} />
          ))}
        </ol>
      ) : (
        <p className="muted">{t("proposal.list.noneClosed")}</p>
      )}
    </>
  );
}
