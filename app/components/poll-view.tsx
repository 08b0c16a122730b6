import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { ChoiceError, choiceErrorProps, Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { pollAnswerValues, type PollOptionView, type PollPageView, type PollTypedAnswers } from "~/models/polls.types";

const answerKey = { yes: "poll.answer.yes", maybe: "poll.answer.maybe", no: "poll.answer.no" } as const;

function OptionPlace({ option }: { option: PollOptionView }) {
  const t = useT();
  const how = option.mode === "online" ? t("poll.mode.online") : option.mode === "hybrid" ? t("poll.mode.hybrid") : null;
  return (
    <>
      {option.place ? <span className="poll-place">{option.place}</span> : null}
      {how ? <span className="poll-place">{how}</span> : null}
    </>
  );
}

/** The answers as a table of two columns, so that it reads on a phone: the time, and who said what. */
export function PollTable({ poll }: { poll: PollPageView }) {
  const t = useT();
  return (
    <table className="poll-table">
      <caption>{t("poll.table.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("poll.table.when")}</th>
          <th scope="col">{t("poll.table.answers")}</th>
        </tr>
      </thead>
      <tbody>
        {poll.options.map((o) => (
          <tr key={o.id} className={o.chosen ? "poll-chosen" : undefined}>
            <th scope="row">
              <span className="poll-when">{o.when}</span>
              <OptionPlace option={o} />
              {o.chosen ? <strong className="poll-badge">{t("poll.chosen")}</strong> : null}
            </th>
            <td>
              <ul className="poll-answers">
                {pollAnswerValues.map((a) => (
                  <li key={a} className={`poll-${a}`}>
                    <strong>{t("poll.count", { label: t(answerKey[a]), tally: o.counts[a] })}</strong>
                    {o.names[a].length ? <span className="poll-names"> {o.names[a].join(", ")}</span> : null}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Radio buttons yes / if need be / no for every time; members answer under their own name, visitors type one. */
export function PollAnswerForm({
  poll,
  errors,
  answered,
  editCode,
  retryAfterMinutes,
}: {
  poll: PollPageView;
  errors?: FieldErrors;
  /** What was typed and chosen in a refused answer, given back instead of what was saved. */
  answered?: PollTypedAnswers;
  editCode: string | null;
  retryAfterMinutes?: number;
}) {
  const t = useT();
  const chosen = (optionId: number) => (answered ? answered.answers[String(optionId)] : poll.options.find((o) => o.id === optionId)?.mine);
  // No time chosen concerns the times together: said at their group, whose first choice takes the
  // focus (without JavaScript too; with it, root.tsx moves it the same way).
  const noneChosen = !!errors?.answers && !errors?.name;
  return (
    <Form method="post" className="stack" aria-labelledby="answer-heading">
      <h2 id="answer-heading">{t("poll.yourAnswers")}</h2>
      <FormError errors={errors} params={retryAfterMinutes ? { n: retryAfterMinutes } : undefined} />
      <input type="hidden" name="intent" value="answer" />
      {editCode ? <input type="hidden" name="edit" value={editCode} /> : null}
      {poll.answerer.kind === "member" ? (
        <p>{t("poll.answerAs", { name: poll.answerer.name })}</p>
      ) : (
        <Field name="name" label={t("poll.name")} hint={t("poll.name.hint")} errors={errors} defaultValue={answered ? answered.name : poll.answerer.name} maxLength={80} required autoComplete="name" />
      )}
      <fieldset className="field poll-options" {...choiceErrorProps("answers", errors)}>
        <legend>{t("poll.options.legend")}</legend>
        <ChoiceError name="answers" errors={errors} />
        {poll.options.map((o, i) => (
          <fieldset key={o.id} className="field poll-choice">
            <legend>
              {o.when}
              {o.place ? ` · ${o.place}` : ""}
            </legend>
            <div className="choices">
              {pollAnswerValues.map((a, j) => (
                <label key={a} className="choice">
                  <input type="radio" name={`answer-${o.id}`} value={a} defaultChecked={chosen(o.id) === a} autoFocus={noneChosen && i === 0 && j === 0 ? true : undefined} />
                  <span>{t(answerKey[a])}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </fieldset>
      <button type="submit" className="button">
        {t("poll.submitAnswers")}
      </button>
    </Form>
  );
}

/** For the poll's hosts: make a time the session (with its meeting link when online), or close the poll. */
/** The error of one field of an option's form, under it (the fields are named per option). */
function FieldMessage({ id, error }: { id: string; error?: MessageKey }) {
  const t = useT();
  return error ? (
    <p className="field-error" id={id}>
      {t(error)}
    </p>
  ) : null;
}

export function PollHostTools({ poll, errors, typed }: { poll: PollPageView; errors?: FieldErrors; typed?: { optionId: string; onlineUrl: string; capacity: string } }) {
  const t = useT();
  // A refused "make it the session" comes back at the option it was for, with what was typed.
  const fieldError = (optionId: number, name: "onlineUrl" | "capacity") => (typed?.optionId === String(optionId) ? errors?.[name] : undefined);
  const fieldProps = (optionId: number, name: "onlineUrl" | "capacity") =>
    fieldError(optionId, name) ? { "aria-invalid": true, "aria-describedby": `field-${name}-${optionId}-error` } : {};
  return (
    <section aria-labelledby="host-heading" className="stack">
      <h2 id="host-heading">{t("poll.host.title")}</h2>
      <p className="hint">{t("poll.makeSession.hint")}</p>
      <FormError errors={errors} />
      {poll.options.map((o) => (
        <Form key={o.id} method="post" className="poll-make stack">
          <input type="hidden" name="intent" value="make" />
          <input type="hidden" name="optionId" value={String(o.id)} />
          <p>
            <strong>{o.when}</strong> {o.place ? `· ${o.place}` : ""} · {t("poll.count", { label: t("poll.answer.yes"), tally: o.counts.yes })}
          </p>
          {o.mode !== "onsite" ? (
            <div className="field">
              <label htmlFor={`field-onlineUrl-${o.id}`}>{t("poll.makeSession.onlineUrl", { when: o.when })}</label>
              <input id={`field-onlineUrl-${o.id}`} name="onlineUrl" type="url" maxLength={500} required defaultValue={typed?.optionId === String(o.id) ? typed.onlineUrl : undefined} {...fieldProps(o.id, "onlineUrl")} />
              <FieldMessage id={`field-onlineUrl-${o.id}-error`} error={fieldError(o.id, "onlineUrl")} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`field-capacity-${o.id}`}>
              {t("poll.makeSession.capacity", { when: o.when })} <span className="optional">{t("form.optional")}</span>
            </label>
            <input id={`field-capacity-${o.id}`} name="capacity" inputMode="numeric" maxLength={6} defaultValue={typed?.optionId === String(o.id) ? typed.capacity : undefined} {...fieldProps(o.id, "capacity")} />
            <FieldMessage id={`field-capacity-${o.id}-error`} error={fieldError(o.id, "capacity")} />
          </div>
          <button type="submit" className="button">
            {t("poll.makeSession")}
          </button>
        </Form>
      ))}
      <Form method="post">
        <input type="hidden" name="intent" value="close" />
        <button type="submit" className="button secondary">
          {t("poll.close")}
        </button>
      </Form>
    </section>
  );
}

/** The initiative page's list of its polls, and for hosts the way to start one. */
export function InitiativePolls({ initiativeId, polls, isHost }: { initiativeId: number; polls: { code: string; title: string; closed: boolean; sessionId: number | null }[]; isHost: boolean }) {
  const t = useT();
  if (!polls.length && !isHost) return null;
  return (
    <>
      <h2>{t("poll.list.title")}</h2>
      {polls.length ? (
        <ul>
          {polls.map((p) => (
            <li key={p.code}>
              <Link to={`/polls/${p.code}`}>{p.title}</Link>
              {p.closed ? <span className="muted"> · {p.sessionId ? t("poll.list.became") : t("poll.list.closed")}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {isHost ? (
        <p>
          <Link to={`/initiatives/${initiativeId}/polls/new`}>{t("poll.list.add")}</Link>
        </p>
      ) : null}
    </>
  );
}
