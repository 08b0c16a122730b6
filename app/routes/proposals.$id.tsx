import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";
import { governance } from "~/governance/config";
import type { Position } from "~/governance/rules";
import { getMember, requireMember } from "~/lib/auth.server";
import { readFormData, textField } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { organisationPath } from "~/lib/organisation-links";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { ProposalRefusedError, raiseAgain, respond, writeStatement } from "~/models/proposals.server";
import { nameViewer } from "~/models/names.server";
import { proposalPage } from "~/models/proposal-page.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.proposal.hidden ? [...titleMeta(matches, "proposal.hiddenTitle"), { name: "robots", content: "noindex" }] : titleMeta(matches, null, data?.proposal.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const page = proposalPage(idParam(params.id), member, nameViewer(request, member));
  if (!page) throw data(null, { status: 404 });
  return page;
}

const proposalLimits = { reason: 2000, statement: 5000 } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const intent = form.get("intent");
  try {
    if (intent === "respond") {
      const position = textField(form, "position") as Position;
      const reason = textField(form, "reason");
      if (reason.length > proposalLimits.reason) return data({ error: "proposal.reason.tooLong" as MessageKey }, { status: 400 });
      respond(id, member.id, position, reason);
      return redirect(`/proposals/${id}#respond`, 303);
    }
    if (intent === "statement") {
      const statement = textField(form, "statement");
      if (!statement) return data({ error: "proposal.statement.required" as MessageKey }, { status: 400 });
      if (statement.length > proposalLimits.statement) return data({ error: "proposal.statement.tooLong" as MessageKey }, { status: 400 });
      writeStatement(id, member.id, statement);
      return redirect(`/proposals/${id}`, 303);
    }
    if (intent === "raise-again") {
      const next = raiseAgain(id, member.id, governance.proposalDefaultDays);
      return redirect(`/proposals/${next}`, 303);
    }
  } catch (error) {
    if (error instanceof ProposalRefusedError) return data({ error: error.messageKey as MessageKey }, { status: error.status });
    throw error;
  }
  return data({ error: "error.badRequest" as MessageKey }, { status: 400 });
}

export default function ProposalPage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { proposal, positions, options, quorum: q, eligible, loggedIn, mayTakePart: canTakePart, hasVoice, mine } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const here = `/proposals/${proposal.id}`;
  return (
    <article className="proposal narrow-wide">
      <p>
        <Link to="/proposals">← {t("proposal.list.title")}</Link>
      </p>
      <p className="card-meta">
        <span className="badge">{t(`proposal.kind.${proposal.kind}` as MessageKey)}</span>
        <span>{proposal.scope === "network" ? t("proposal.scope.network") : t("proposal.scope.initiativeNamed", { title: proposal.hidden ? t("flag.hidden.title") : (proposal.initiative?.title ?? "") })}</span>
        {proposal.fallbackOf ? <span>{t("proposal.fallback", { id: proposal.fallbackOf })}</span> : null}
      </p>
      <h1>{proposal.hidden ? t("proposal.hiddenTitle") : proposal.title}</h1>
      {proposal.hidden ? <p className="notice">{t("proposal.hidden.notice")}</p> : null}
      {proposal.openedBySystem ? <p className="notice">{t("proposal.openedBySystem")}</p> : null}
      <div className="prose" dangerouslySetInnerHTML={{ __html: proposal.bodyHtml }} />
      {proposal.effect?.diff ? (
        <section aria-labelledby="effect-heading">
          <h2 id="effect-heading">{t("proposal.effect.rules")}</h2>
          <pre className="diff">
            {proposal.effect.diff.map((line, i) =>
              line.kind === "added" ? <ins key={i}>{`+ ${line.text}\n`}</ins> : line.kind === "removed" ? <del key={i}>{`− ${line.text}\n`}</del> : <span key={i}>{`  ${line.text}\n`}</span>,
            )}
          </pre>
        </section>
      ) : proposal.effect?.merge ? (
        <p className="notice">
          {t("proposal.effect.merge")} <Link to={organisationPath(proposal.effect.merge.from.slug)}>{proposal.effect.merge.from.name}</Link> {t("proposal.effect.mergeWith")}{" "}
          <Link to={organisationPath(proposal.effect.merge.into.slug)}>{proposal.effect.merge.into.name}</Link>. {t("proposal.effectNote.merge-organisations")}
        </p>
      ) : proposal.effect ? (
        <p className="notice">{t(`proposal.effectNote.${proposal.effect.type}` as MessageKey)}</p>
      ) : null}

      <dl className="facts">
        <dt>{proposal.closed ? t("proposal.closedOn") : t("proposal.deadlineLabel")}</dt>
        <dd>{formatDateTime(proposal.deadline, locale, timeZone)}</dd>
        <dt>{t("proposal.quorum")}</dt>
        <dd>{t("proposal.quorumText", { quorum: proposal.outcome?.quorum ?? q, eligible: proposal.outcome?.eligible ?? eligible })}</dd>
      </dl>

      {proposal.closed && proposal.outcome ? (
        <section className="panel" aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">{proposal.outcome.adopted ? t("proposal.adopted") : t("proposal.notAdopted")}</h2>
          <p>{t(`proposal.reason.${proposal.outcome.reason}` as MessageKey)}</p>
          <p className="muted">
            {Object.entries(proposal.outcome.tally)
              .filter(([k, v]) => k !== "responses" && v > 0)
              .map(([k, v]) => `${t(`position.${k}` as MessageKey)}: ${v}`)
              .join(" · ") || t("proposal.noResponses")}
          </p>
          {proposal.statement ? (
            <>
              <h3>{t("proposal.statement")}</h3>
              <p className="statement">{proposal.statement}</p>
              {proposal.statementHistory.length ? (
                <details>
                  <summary>{t("proposal.statement.history")}</summary>
                  <ul className="stack">
                    {proposal.statementHistory.map((v) => (
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
          {canTakePart && !proposal.hidden ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="statement" />
              <Field name="statement" label={proposal.statement ? t("proposal.statement.edit") : t("proposal.statement.write")} hint={t("proposal.statement.hint")} defaultValue={proposal.statement ?? ""} multiline rows={4} maxLength={proposalLimits.statement} />
              <button type="submit" className="button secondary" disabled={busy}>
                {t("proposal.statement.submit")}
              </button>
            </Form>
          ) : null}
          {proposal.kind === "consent" && proposal.outcome.reason === "objection" && hasVoice ? (
            <Form method="post">
              <p className="hint">{t("proposal.raiseAgain.hint")}</p>
              <button type="submit" name="intent" value="raise-again" className="button">
                {t("proposal.raiseAgain")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {result?.error ? (
        <p className="form-error" role="alert">
          {t(result.error)}
        </p>
      ) : null}

      {!proposal.closed ? (
        <section className="panel" aria-labelledby="respond">
          <h2 id="respond">{t("proposal.respond")}</h2>
          {canTakePart ? (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="respond" />
              <fieldset className="field">
                <legend>{t("proposal.position")}</legend>
                <div className="choices">
                  {options.map((option) => (
                    <label key={option} className="choice">
                      <input type="radio" name="position" value={option} defaultChecked={mine?.position === option} required />
                      <span>
                        <strong>{t(`position.${option}` as MessageKey)}</strong> <span className="hint">{t(`position.${option}.hint` as MessageKey)}</span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <Field name="reason" label={t("proposal.reason")} hint={t("proposal.reason.hint")} defaultValue={mine?.reason ?? ""} multiline rows={3} maxLength={proposalLimits.reason} />
              <button type="submit" className="button" disabled={busy}>
                {mine ? t("proposal.respond.change") : t("proposal.respond.submit")}
              </button>
            </Form>
          ) : loggedIn ? (
            <p>{proposal.scope === "network" ? t("proposal.noVoice") : t("proposal.notParticipant")} <Link to="/how-it-works">{t("nav.howItWorks")}</Link></p>
          ) : (
            <p>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</Link>
            </p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="positions-heading">
        <h2 id="positions-heading">{t("proposal.positions")}</h2>
        {positions.length ? (
          <ul className="people">
            {positions.map((p, i) => (
              <li key={p.memberId ?? `position-${i}`}>
                <strong>{p.displayName || t("member.former")}</strong>: {t(`position.${p.position}` as MessageKey)}
                {p.reason ? <span className="muted"> — {p.reason}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("proposal.noResponses")}</p>
        )}
      </section>
    </article>
  );
}
