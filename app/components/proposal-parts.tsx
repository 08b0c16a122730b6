// Parts of the proposal page (/proposals/:id): the effect, the outcome, responding, positions,
// versions and the discussion. Presentational only; the data comes from proposal-page.server.ts.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { CommentForm } from "~/components/contributions";
import { Field } from "~/components/field";
import type { DiffLine } from "~/lib/diff";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";
import type { EarlierPosition, ProposalCommentView, ProposalVersionView } from "~/models/proposals.types";
import { EditWaitingNotice } from "~/components/host-moderation";

export const proposalLimits = { reason: 2000, statement: 5000 } as const;

export function DiffView({ lines }: { lines: DiffLine[] }) {
  return (
    <pre className="diff">
      {lines.map((line, i) => (line.kind === "added" ? <ins key={i}>{`+ ${line.text}\n`}</ins> : line.kind === "removed" ? <del key={i}>{`− ${line.text}\n`}</del> : <span key={i}>{`  ${line.text}\n`}</span>))}
    </pre>
  );
}

type Position = { memberId: string | null; displayName: string; position: string; reason: string };

/** Who responded how on the version in force, and the positions earlier versions cleared. */
export function PositionsSection({ positions, earlier }: { positions: Position[]; earlier: EarlierPosition[] }) {
  const t = useT();
  return (
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
      {earlier.length ? (
        <details>
          <summary>{t("proposal.earlierPositions")}</summary>
          <ul className="people">
            {earlier.map((p, i) => (
              <li key={i}>
                <strong>{p.displayName || t("member.former")}</strong> ({t("proposal.onVersion", { version: p.version })}): {t(`position.${p.position}` as MessageKey)}
                {p.reason ? <span className="muted"> — {p.reason}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** Every version with what it answers and what changed; shown once there is more than one. */
export function VersionsSection({ versions, current }: { versions: ProposalVersionView[]; current: number }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  if (versions.length < 2) return null;
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">{t("proposal.versions")}</h2>
      <ol className="stack">
        {[...versions].reverse().map((v) => (
          <li key={v.version} id={`version-${v.version}`}>
            <p className="card-meta">
              <strong>{t("proposal.version.by", { version: v.version, name: v.name ?? t("member.former"), date: formatDateTime(v.at, locale, timeZone) })}</strong>
              {v.version === current ? <span className="badge">{t("proposal.version.current")}</span> : null}
            </p>
            {v.answers ? <p>{t("proposal.version.answers", { answers: v.answers })}</p> : null}
            {v.diff ? (
              <details>
                <summary>{t("proposal.version.changes", { version: v.version - 1 })}</summary>
                <DiffView lines={v.diff} />
              </details>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The discussion: comments with the comment rules (hidden notice, edit, flag) and the form. */
export function DiscussionSection({ proposalId, comments, rules, loggedIn, canComment, held }: { proposalId: number; comments: ProposalCommentView[]; rules: string[]; loggedIn: boolean; canComment: boolean; held: boolean }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const here = `/proposals/${proposalId}`;
  return (
    <section aria-labelledby="discussion-heading">
      <h2 id="discussion-heading">{t("proposal.discussion")}</h2>
      {comments.length ? (
        <ol className="contributions">
          {comments.map((c) => (
            <li key={c.id}>
              <article id={`proposal-comment-${c.id}`} className="contribution">
                <p className="card-meta muted">
                  {c.author?.id ? <Link to={`/members/${c.author.id}`}>{c.author.displayName}</Link> : <span>{c.author?.displayName ?? t("member.former")}</span>}
                  {" · "}
                  <time dateTime={new Date(c.createdAt).toISOString()}>{formatDateTime(c.createdAt, locale, timeZone)}</time>
                  {c.edited ? ` · ${t("contribution.edited")}` : null}
                </p>
                {c.hidden ? (
                  <>
                    <p className="form-error">
                      {t("contribution.hidden.comment", { rule: c.hidden.rule })} {c.mine && c.hidden.times < 2 ? t("flag.hidden.authorEdit") : null}
                    </p>
                    {c.bodyHtml ? (
                      <details>
                        <summary>{t("flag.hidden.showAnyway")}</summary>
                        <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                      </details>
                    ) : (
                      <p className="hint">{t("flag.hidden.onlyVoices")}</p>
                    )}
                    {c.waiting ? <EditWaitingNotice type="proposal-comment" id={c.id} waiting={c.waiting} /> : null}
                  </>
                ) : (
                  <div className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
                )}
                {c.mine ? (
                  <p className="row-links">
                    <Link to={`/proposal-comments/${c.id}/edit`}>
                      {t("contribution.edit")}
                      <span className="visually-hidden"> ({t("comment.one")})</span>
                    </Link>
                  </p>
                ) : null}
                {c.canFlag && rules.length ? (
                  <Form method="post" action={`/proposal-comments/${c.id}/flag`}>
                    <details className="flag-form">
                      <summary>{t("proposal.comment.flag")}</summary>
                      <p className="hint">{t("flag.hint")}</p>
                      <div className="field">
                        <label htmlFor={`flag-pc-${c.id}-rule`}>{t("flag.rule")}</label>
                        <select id={`flag-pc-${c.id}-rule`} name="rule" required defaultValue="">
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
                        <label htmlFor={`flag-pc-${c.id}-reason`}>{t("flag.reason")}</label>
                        <textarea id={`flag-pc-${c.id}-reason`} name="reason" rows={3} required maxLength={1000} />
                      </div>
                      <button type="submit" className="button danger">
                        {t("flag.submit")}
                      </button>
                    </details>
                  </Form>
                ) : null}
              </article>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t("proposal.discussion.none")}</p>
      )}
      {canComment ? (
        <CommentForm action={`${here}/comments`} />
      ) : held ? (
        <p className="muted">{t("proposal.discussion.held")}</p>
      ) : !loggedIn ? (
        <p>
          <Link className="button secondary" to={`/login?redirectTo=${encodeURIComponent(`${here}#discussion-heading`)}`}>
            {t("proposal.discussion.loginFirst")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

/**
 * Taking or changing a position; after an objection, amending comes first. A refused response
 * (`submitted`) fills the form again with what was sent, not with the position held before.
 */
export function RespondSection({ id, options, mine, submitted, reasonError, canTakePart, loggedIn, scope, busy, canAmend, objectionStands, lastCallEndsAt }: {
  id: number;
  options: string[];
  mine: { position: string; reason: string } | null;
  submitted: { position: string; reason: string } | null;
  /** Why the reason sent was refused (none given for an objection, too long): shown at the field. */
  reasonError?: MessageKey;
  canTakePart: boolean;
  loggedIn: boolean;
  scope: string;
  busy: boolean;
  canAmend: boolean;
  objectionStands: boolean;
  lastCallEndsAt: number | null;
}) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const here = `/proposals/${id}`;
  const shown = submitted ?? mine;
  return (
    <section className="panel" aria-labelledby="respond">
      <h2 id="respond">{t("proposal.respond")}</h2>
      {lastCallEndsAt ? <p className="notice">{t("proposal.lastCall", { when: formatDateTime(lastCallEndsAt, locale, timeZone) })}</p> : null}
      {objectionStands ? (
        <div className="notice">
          <p>{t("proposal.objectionStands")}</p>
          {canAmend ? (
            <p>
              <Link className="button" to={`${here}/amend`}>
                {t("proposal.amend")}
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {canTakePart ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="respond" />
          <fieldset className="field">
            <legend>{t("proposal.position")}</legend>
            <div className="choices">
              {options.map((option) => (
                <label key={option} className="choice">
                  <input type="radio" name="position" value={option} defaultChecked={shown?.position === option} required />
                  <span>
                    <strong>{t(`position.${option}` as MessageKey)}</strong> <span className="hint">{t(`position.${option}.hint` as MessageKey)}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field name="reason" errors={reasonError ? { reason: reasonError } : undefined} label={t("proposal.reason")} hint={t(options.includes("object") ? "proposal.reason.hint" : "proposal.reason.hint.majority")} defaultValue={shown?.reason ?? ""} multiline rows={3} maxLength={proposalLimits.reason} />
          <button type="submit" className={objectionStands && canAmend ? "button secondary" : "button"} disabled={busy}>
            {mine ? t("proposal.respond.change") : t("proposal.respond.submit")}
          </button>
        </Form>
      ) : loggedIn ? (
        <p>
          {scope === "network" ? t("proposal.noVoice") : t("proposal.notParticipant")} <Link to="/how-it-works">{t("nav.howItWorks")}</Link>
        </p>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</Link>
        </p>
      )}
    </section>
  );
}
