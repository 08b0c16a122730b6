import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { diffLines } from "~/lib/diff";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { renderMarkdown } from "~/lib/markdown.server";
import { titleMeta } from "~/lib/meta";
import { formatDate } from "~/lib/time";
import { rulesHistory } from "~/models/proposals.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "rules.title", undefined, { key: "rules.intro" });

export function loader() {
  const versions = rulesHistory();
  return {
    currentHtml: renderMarkdown(versions[0].text),
    versions: versions.map((v, i) => ({
      id: v.id,
      proposalId: v.proposalId,
      adoptedAt: v.adoptedAt.getTime(),
      diff: versions[i + 1] ? diffLines(versions[i + 1].text, v.text).filter((l) => l.kind !== "same" || l.text.trim()) : null,
    })),
  };
}

export default function Rules() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { currentHtml, versions } = useLoaderData<typeof loader>();
  return (
    <article className="narrow-wide">
      <h1>{t("rules.title")}</h1>
      <p className="lead">{t("rules.intro")}</p>
      <div className="prose rules" dangerouslySetInnerHTML={{ __html: currentHtml }} />
      <p>
        <Link className="button secondary" to="/proposals/new?effect=rules">
          {t("rules.propose")}
        </Link>
      </p>
      <h2>{t("rules.history")}</h2>
      <ol className="history" reversed>
        {versions.map((v) => (
          <li key={v.id}>
            <p>
              <strong>{formatDate(v.adoptedAt, locale, timeZone)}</strong> —{" "}
              {v.proposalId ? <Link to={`/proposals/${v.proposalId}`}>{t("rules.byProposal", { id: v.proposalId })}</Link> : t("rules.initial")}
            </p>
            {v.diff ? (
              <pre className="diff" aria-label={t("rules.diff")}>
                {v.diff.map((line, i) =>
                  line.kind === "added" ? (
                    <ins key={i}>{`+ ${line.text}\n`}</ins>
                  ) : line.kind === "removed" ? (
                    <del key={i}>{`− ${line.text}\n`}</del>
                  ) : (
                    <span key={i}>{`  ${line.text}\n`}</span>
                  ),
                )}
              </pre>
            ) : null}
          </li>
        ))}
      </ol>
    </article>
  );
}
