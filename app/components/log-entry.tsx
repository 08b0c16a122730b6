import { Link } from "~/components/link";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";
import type { LogListEntry } from "~/models/log.server";

export function subjectPath(entry: Pick<LogListEntry, "subjectType" | "subjectId">) {
  switch (entry.subjectType) {
    case "initiative":
      return `/initiatives/${entry.subjectId}`;
    case "session":
      return `/sessions/${entry.subjectId}`;
    case "proposal":
      return `/proposals/${entry.subjectId}`;
    case "member":
      return `/members/${entry.subjectId}`;
    case "rules":
      return "/rules";
    case "organisation":
      return `/organisations/${encodeURIComponent(entry.subjectId)}`;
    case "method":
      return `/methods/${entry.subjectId}`;
    default:
      return null;
  }
}

/** One line of the public log: when, who, what, about what. */
export function LogEntryLine({ entry }: { entry: LogListEntry }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const path = subjectPath(entry);
  const tally = entry.action === "proposal.closed" && entry.detail ? (entry.detail as { adopted?: boolean; tally?: Record<string, number>; closedEarly?: string }) : null;
  return (
    <li className="log-entry">
      <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, locale, timeZone)}</time>
      <span>
        <strong>{t(`log.${entry.action}` as MessageKey)}</strong>
        {path ? (
          <>
            {" · "}
            <Link to={path}>{entry.subjectTitle ?? t("log.subject.gone")}</Link>
          </>
        ) : null}
        {entry.action === "content.hidden-by-host" && typeof entry.detail?.rule === "string" ? <span> · {t("hosts.log.rule", { rule: entry.detail.rule })}</span> : null}
        {" · "}
        <span className="muted">{entry.actorId ? (entry.actorName ?? t("member.former")) : t("log.bySystem")}</span>
        {tally?.tally ? (
          <span className="muted">
            {" "}
            ({tally.closedEarly ? `${t("log.closedEarly")}, ` : null}
            {tally.adopted ? t("proposal.adopted") : t("proposal.notAdopted")}:{" "}
            {Object.entries(tally.tally)
              .filter(([k, v]) => k !== "responses" && v > 0)
              .map(([k, v]) => `${t(`position.${k}` as MessageKey)} ${v}`)
              .join(", ") || t("proposal.noResponses")}
            )
          </span>
        ) : null}
      </span>
    </li>
  );
}
