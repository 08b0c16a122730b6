// Outcomes (opbrengsten) and comments: lists, the hidden notice, and the posting forms.
// Presentational only; the data comes from ~/models/contributions.server through loaders.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { OutcomeMethodChoices, OutcomeMethods } from "~/components/outcome-methods";
import type { FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDate, formatDateTime } from "~/lib/time";
import type { ContributionKind, ContributionView, InitiativeContributions, LatestOutcome, SessionContributions } from "~/models/contributions.server";
import type { ContributionModeration, ItemModeration } from "~/models/hosts.types";
import { EditWaitingNotice, HideCommentForm, HostHiddenNotice } from "~/components/host-moderation";

// Kept in step with contributionLimits in contributions.server.ts (values cannot be imported here).
const maxLength: Record<ContributionKind, number> = { outcome: 10_000, comment: 5_000 };

/** The fields of a flag on one outcome or comment; ids are per item since a page lists many. */
function ContributionFlagFields({ kind, id, rules }: { kind: ContributionKind; id: number; rules: string[] }) {
  const t = useT();
  const prefix = `flag-${kind}-${id}`;
  return (
    <details className="flag-form">
      <summary>{kind === "outcome" ? t("contribution.flag.outcome") : t("contribution.flag.comment")}</summary>
      <p className="hint">{t("flag.hint")}</p>
      <div className="field">
        <label htmlFor={`${prefix}-rule`}>{t("flag.rule")}</label>
        <select id={`${prefix}-rule`} name="rule" required defaultValue="">
          <option value="" disabled>
            {t("flag.rule.choose")}
          </option>
          {rules.map((rule) => (
            <option key={rule} value={rule}>
              {rule}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-reason`}>{t("flag.reason")}</label>
        <textarea id={`${prefix}-reason`} name="reason" rows={3} required maxLength={1000} />
      </div>
      <button type="submit" className="button danger">
        {t("flag.submit")}
      </button>
    </details>
  );
}

/** One outcome or comment; when hidden, a notice naming the rule (readable on click-through for those allowed). */
export function ContributionItem({ item, rules = [], showSession = false, showInitiative = false, moderation, hideRules = [] }: { item: ContributionView; rules?: string[]; showSession?: boolean; showInitiative?: boolean; moderation?: ItemModeration; hideRules?: string[] }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const path = item.kind === "outcome" ? "outcomes" : "comments";
  return (
    <article id={`${item.kind}-${item.id}`} className="contribution">
      <p className="card-meta muted">
        {item.author?.id ? <Link to={`/members/${item.author.id}`}>{item.author.displayName}</Link> : <span>{item.author?.displayName ?? t("member.former")}</span>}
        {" · "}
        <time dateTime={new Date(item.createdAt).toISOString()}>{formatDateTime(item.createdAt, locale, timeZone)}</time>
        {item.edited ? ` · ${t("contribution.edited")}` : null}
        {showInitiative ? (
          <>
            {" · "}
            <Link to={`/initiatives/${item.initiativeId}#${item.kind}-${item.id}`}>{item.initiativeTitle}</Link>
          </>
        ) : null}
        {showSession && item.kind === "outcome" ? (
          <>
            {" · "}
            {item.sessionId && item.sessionStartsAt ? (
              <Link to={`/sessions/${item.sessionId}`}>{t("outcome.forSession", { date: formatDate(item.sessionStartsAt, locale, timeZone) })}</Link>
            ) : (
              t("outcome.forInitiative")
            )}
          </>
        ) : null}
      </p>
      {item.hidden && moderation?.hiddenByHost ? (
        <HostHiddenNotice commentId={item.id} rule={item.hidden.rule} moderation={moderation} />
      ) : null}
      {item.hidden ? (
        <>
          {moderation?.hiddenByHost ? null : <p className="form-error">
            {item.kind === "outcome" ? t("contribution.hidden.outcome", { rule: item.hidden.rule }) : t("contribution.hidden.comment", { rule: item.hidden.rule })}{" "}
            {item.mine && item.hidden.times < 2 && !moderation?.waiting ? t("flag.hidden.authorEdit") : null}
          </p>}
          {moderation?.waiting ? <EditWaitingNotice type={item.kind} id={item.id} waiting={moderation.waiting} /> : null}
          {item.bodyHtml ? (
            <details>
              <summary>{t("flag.hidden.showAnyway")}</summary>
              <div className="prose" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
            </details>
          ) : (
            <p className="hint">{t("flag.hidden.onlyVoices")}</p>
          )}
        </>
      ) : (
        <div className="prose" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      )}
      <OutcomeMethods methods={item.methods} />
      {item.mine ? (
        <p className="row-links">
          <Link to={`/${path}/${item.id}/edit`}>
            {t("contribution.edit")}
            <span className="visually-hidden"> ({item.kind === "outcome" ? t("outcome.one") : t("comment.one")})</span>
          </Link>
          {item.kind === "comment" && !item.hidden ? (
            <Link to={`/comments/${item.id}/delete`}>
              {t("safe.comment.delete")}
              <span className="visually-hidden"> ({t("comment.one")})</span>
            </Link>
          ) : null}
        </p>
      ) : null}
      {moderation?.canHide && hideRules.length ? <HideCommentForm commentId={item.id} rules={hideRules} /> : null}
      {item.canFlag && rules.length ? (
        <Form method="post" action={`/${path}/${item.id}/flag`}>
          <ContributionFlagFields kind={item.kind} id={item.id} rules={rules} />
        </Form>
      ) : null}
    </article>
  );
}

export function ContributionList({ items, empty, rules, showSession, showInitiative, moderation }: { items: ContributionView[]; empty: string; rules?: string[]; showSession?: boolean; showInitiative?: boolean; moderation?: ContributionModeration }) {
  if (!items.length) return <p className="muted">{empty}</p>;
  return (
    <ol className="contributions">
      {items.map((item) => (
        <li key={item.id}>
          <ContributionItem item={item} rules={rules} showSession={showSession} showInitiative={showInitiative} moderation={moderation?.items[`${item.kind}-${item.id}`]} hideRules={moderation?.hideRules} />
        </li>
      ))}
    </ol>
  );
}

type FormProps = { action: string; errors?: FieldErrors; values?: Record<string, string>; errorParams?: Params };

/**
 * The markdown body, labelled like <Field>, but with ids of its own: a page can hold an outcome
 * form and a comment form at once, and each label must point at its own textarea.
 */
function BodyField({ idPrefix, label, hint, errors, defaultValue, rows, max }: { idPrefix: string; label: string; hint: string; errors?: FieldErrors; defaultValue?: string; rows: number; max: number }) {
  const t = useT();
  const id = `${idPrefix}-body`;
  const errorKey = errors?.body;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <textarea
        id={id}
        name="body"
        rows={rows}
        required
        maxLength={max}
        defaultValue={defaultValue}
        aria-invalid={errorKey ? true : undefined}
        aria-describedby={errorKey ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-errormessage={errorKey ? `${id}-error` : undefined}
      />
      {errorKey ? (
        <p className="field-error" id={`${id}-error`}>
          {t(errorKey)}
        </p>
      ) : null}
    </div>
  );
}

/** Posting an outcome; `sessions` offers a choice, `sessionId` fixes it (the session page). */
export function OutcomeForm({ action, errors, values, errorParams, sessions, sessionId, methods }: FormProps & { sessions?: { id: number; startsAt: number }[]; sessionId?: number; methods?: { id: number; title: string }[] }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  // A refusal about the session is said at its select; where the session is fixed, above the form.
  const pick = !sessionId && !!sessions?.length;
  const shown = errors?.sessionId && !pick ? { ...errors, form: errors.form ?? errors.sessionId } : errors;
  return (
    <Form method="post" action={action} className="contribution-form">
      <FormError errors={shown} params={errorParams} />
      {sessionId ? <input type="hidden" name="sessionId" value={sessionId} /> : null}
      {pick ? (
        <Field name="sessionId" label={t("outcome.session")} errors={errors} required>
          <select id="field-sessionId" name="sessionId" defaultValue={values?.sessionId ?? ""}>
            <option value="">{t("outcome.session.whole")}</option>
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {formatDateTime(s.startsAt, locale, timeZone)}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <BodyField idPrefix="outcome" label={t("outcome.body")} hint={t("outcome.body.hint")} errors={errors} defaultValue={values?.body} rows={6} max={maxLength.outcome} />
      <OutcomeMethodChoices methods={methods} errors={errors} checked={values?.methodId?.split(",")} />
      <button type="submit" className="button">
        {t("outcome.submit")}
      </button>
    </Form>
  );
}

export function CommentForm({ action, errors, values, errorParams }: FormProps) {
  const t = useT();
  return (
    <Form method="post" action={action} className="contribution-form">
      <FormError errors={errors} params={errorParams} />
      <BodyField idPrefix="comment" label={t("comment.body")} hint={t("comment.body.hint")} errors={errors} defaultValue={values?.body} rows={4} max={maxLength.comment} />
      <button type="submit" className="button">
        {t("comment.submit")}
      </button>
    </Form>
  );
}

/** The author's edit form (either kind). */
export function ContributionEditForm({ kind, errors, values, errorParams }: { kind: ContributionKind; errors?: FieldErrors; values?: Record<string, string>; errorParams?: Params }) {
  const t = useT();
  return (
    <Form method="post">
      <FormError errors={errors} params={errorParams} />
      <BodyField
        idPrefix={kind}
        label={kind === "outcome" ? t("outcome.body") : t("comment.body")}
        hint={kind === "outcome" ? t("outcome.body.hint") : t("comment.body.hint")}
        errors={errors}
        defaultValue={values?.body}
        rows={kind === "outcome" ? 10 : 6}
        max={maxLength[kind]}
      />
      <button type="submit" className="button">
        {t("contribution.save")}
      </button>
    </Form>
  );
}

/** For the member profile: the outcomes this member posted (from outcomesByMember). */
export function MemberOutcomes({ outcomes }: { outcomes: ContributionView[] }) {
  const t = useT();
  return (
    <section aria-labelledby="member-outcomes-heading">
      <h2 id="member-outcomes-heading">{t("outcome.title")}</h2>
      <ContributionList items={outcomes} empty={t("outcome.byMember.none")} showInitiative />
    </section>
  );
}

/** The feed's "new outcomes" section (from latestOutcomes). */
export function LatestOutcomes({ outcomes }: { outcomes: LatestOutcome[] }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  if (!outcomes.length) return null;
  return (
    <section aria-labelledby="latest-outcomes-heading" className="latest-outcomes">
      <h2 id="latest-outcomes-heading">{t("outcome.latest")}</h2>
      <ul>
        {outcomes.map((o) => (
          <li key={o.id}>
            <Link to={`/initiatives/${o.initiativeId}#outcome-${o.id}`}>{o.initiativeTitle}</Link>
            <span className="muted">
              {" "}
              · {o.author ?? t("member.former")} · {formatDate(o.createdAt, locale, timeZone)}
            </span>
            {o.excerpt ? <p className="hint">{o.excerpt}</p> : null}
          </li>
        ))}
      </ul>
      <p>
        <a href="/feed.xml">{t("atom.subscribe")}</a>
      </p>
    </section>
  );
}

/** The initiative page's outcomes and comments sections, with their forms. */
export function InitiativeContributionsSection({ initiativeId, contributions, rules }: { initiativeId: number; contributions: InitiativeContributions; rules: string[] }) {
  const t = useT();
  const here = `/initiatives/${initiativeId}`;
  return (
    <>
      <section aria-labelledby="outcomes-heading" className="outcomes-section">
        <h2 id="outcomes-heading">{t("outcome.title")}</h2>
        <ContributionList items={contributions.outcomes} empty={t("outcome.none")} rules={rules} showSession moderation={contributions.moderation} />
        {contributions.mayPostOutcome ? (
          <details className="panel">
            <summary>{t("outcome.new.title")}</summary>
            <OutcomeForm action={`${here}/outcomes`} sessions={contributions.outcomeSessions} methods={contributions.outcomeMethods} />
          </details>
        ) : null}
      </section>
      <section aria-labelledby="comments-heading" className="comments-section">
        <h2 id="comments-heading">{t("comment.title")}</h2>
        <ContributionList items={contributions.comments} empty={t("comment.none")} rules={rules} moderation={contributions.moderation} />
        {contributions.loggedIn ? (
          <CommentForm action={`${here}/comments`} />
        ) : (
          <p>
            <Link className="button secondary" to={`/login?redirectTo=${encodeURIComponent(`${here}#comments-heading`)}`}>
              {t("comment.loginFirst")}
            </Link>
          </p>
        )}
      </section>
    </>
  );
}

/** The session page's outcomes, with the form for its participants and hosts once it started. */
export function SessionOutcomesSection({ sessionId, initiativeId, contributions, rules }: { sessionId: number; initiativeId: number; contributions: SessionContributions; rules: string[] }) {
  const t = useT();
  return (
    <section aria-labelledby="outcomes-heading" className="outcomes-section">
      <h2 id="outcomes-heading">{t("outcome.title")}</h2>
      <ContributionList items={contributions.outcomes} empty={t("outcome.session.none")} rules={rules} moderation={contributions.moderation} />
      {contributions.mayPostOutcome ? (
        <details className="panel">
          <summary>{t("outcome.new.title")}</summary>
          <OutcomeForm action={`/initiatives/${initiativeId}/outcomes`} sessionId={sessionId} methods={contributions.outcomeMethods} />
        </details>
      ) : null}
    </section>
  );
}
