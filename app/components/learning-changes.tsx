import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatHours } from "~/lib/learning-hours";
import { formatDate } from "~/lib/time";
import type { FactChange } from "~/models/learning.types";

/** Whether the record still says what it said when the link was made, and if not, what differs. */
export function FactChanges({ changes }: { changes: FactChange[] }) {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  if (!changes.length) return <p className="session-state ok">{t("verify.matches")}</p>;
  const hours = (minutes: number | null) => formatHours(minutes ?? 0, locale);
  return (
    <section className="panel" aria-labelledby="changes-heading">
      <h2 id="changes-heading">{t("verify.changed")}</h2>
      <p>{t("verify.changed.intro")}</p>
      <ul>
        {changes.map((c) => {
          const what = c.startsAt === null ? t("verify.change.gone") : `${formatDate(c.startsAt, locale, zone)}, ${c.title ?? t("learning.hiddenInitiative")}`;
          return (
            <li key={`${c.kind}-${c.sessionId}`}>
              <strong>{what}</strong>:{" "}
              {c.kind === "removed"
                ? t("verify.change.removed", { amount: hours(c.minutesThen) })
                : c.kind === "added"
                  ? t("verify.change.added", { amount: hours(c.minutesNow) })
                  : t("verify.change.hours", { amountThen: hours(c.minutesThen), amountNow: hours(c.minutesNow) })}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
