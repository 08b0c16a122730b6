// The outcome of a closed proposal: adopted or not, the tally, what we do now (with its history),
// and — after objections — raising it again under the 2/3 rule, as the second, smaller action.
import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { proposalLimits } from "~/components/proposal-parts";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";

type Props = {
  kind: string;
  outcome: { adopted: boolean; reason: string; tally: Record<string, number> };
  closedEarly: number | null;
  statement: string | null;
  statementHistory: { id: number; text: string; at: number; name: string | null }[];
  canWrite: boolean;
  canRaiseAgain: boolean;
  busy: boolean;
  /** A refused statement (empty, too long): what was sent and why, said at the field. */
  refused?: { text: string; error: MessageKey } | null;
};

export function ProposalOutcomePanel({ kind, outcome, closedEarly, statement, statementHistory, canWrite, canRaiseAgain, busy, refused }: Props) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <section className="panel" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading">{outcome.adopted ? t("proposal.adopted") : t("proposal.notAdopted")}</h2>
      <p>{t(`proposal.reason.${outcome.reason}` as MessageKey)}</p>
      {closedEarly ? <p>{t("proposal.closedEarly", { hours: closedEarly })}</p> : null}
      <p className="muted">
        {Object.entries(outcome.tally)
          .filter(([k, v]) => k !== "responses" && v > 0)
          .map(([k, v]) => `${t(`position.${k}` as MessageKey)}: ${v}`)
          .join(" · ") || t("proposal.noResponses")}
      </p>
      {statement ? (
        <>
          <h3>{t("proposal.statement")}</h3>
          <p className="statement">{statement}</p>
          {statementHistory.length ? (
            <details>
              <summary>{t("proposal.statement.history")}</summary>
              <ul className="stack">
                {statementHistory.map((v) => (
                  <li key={v.id}>
                    <p className="muted">{t("proposal.statement.by", { name: v.name ?? t("member.former"), date: formatDateTime(v.at, locale, timeZone) })}</p>
                    <p className="statement">{v.text}</p>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
      {canWrite ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="statement" />
          <Field name="statement" label={statement ? t("proposal.statement.edit") : t("proposal.statement.write")} hint={t("proposal.statement.hint")} errors={refused ? { statement: refused.error } : undefined} defaultValue={refused ? refused.text : (statement ?? "")} multiline rows={4} maxLength={proposalLimits.statement} />
          <button type="submit" className="button secondary" disabled={busy}>
            {t("proposal.statement.submit")}
          </button>
        </Form>
      ) : null}
      {kind === "consent" && outcome.reason === "objection" && canRaiseAgain ? (
        <Form method="post">
          <p className="hint">
            {t("proposal.raiseAgain.second")} {t("proposal.raiseAgain.hint")}
          </p>
          <button type="submit" name="intent" value="raise-again" className="button secondary">
            {t("proposal.raiseAgain")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
