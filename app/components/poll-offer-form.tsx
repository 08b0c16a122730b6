import { Form, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import type { VenueGroup } from "~/models/sessions.types";
import { pollModes } from "~/models/polls.types";

type Props = { values: Record<string, string>; errors?: FieldErrors; rows: number; maxRows: number; venues: VenueGroup[]; timeZone: string };

function RowError({ name, errors }: { name: string; errors?: FieldErrors }) {
  const t = useT();
  const key = errors?.[name];
  return key ? (
    <p className="field-error" id={`field-${name}-error`}>
      {t(key)}
    </p>
  ) : null;
}

/** One field of an option row, with its error announced with it. */
function rowInput(name: string, errors?: FieldErrors) {
  const invalid = !!errors?.[name];
  return { id: `field-${name}`, name, "aria-invalid": invalid || undefined, "aria-describedby": invalid ? `field-${name}-error` : undefined };
}

/** The offer form: title, note and rows of times. "More rows" posts the form back with more empty rows, without JavaScript too. */
export function PollOfferForm({ values, errors, rows, maxRows, venues, timeZone }: Props) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="stack poll-offer">
      <FormError errors={errors} />
      <input type="hidden" name="rows" value={String(rows)} />
      <div className="field">
        <label htmlFor="field-title">{t("poll.title")}</label>
        <p className="hint" id="field-title-hint">
          {t("poll.title.hint")}
        </p>
        <input {...rowInput("title", errors)} aria-describedby={["field-title-hint", errors?.title ? "field-title-error" : ""].filter(Boolean).join(" ")} defaultValue={values.title} maxLength={160} required />
        <RowError name="title" errors={errors} />
      </div>
      <div className="field">
        <label htmlFor="field-note">
          {t("poll.note")} <span className="optional">{t("form.optional")}</span>
        </label>
        <textarea {...rowInput("note", errors)} rows={3} defaultValue={values.note} maxLength={2000} />
        <RowError name="note" errors={errors} />
      </div>
      <fieldset className="field">
        <legend>{t("poll.options.legend")}</legend>
        <p className="hint">{t("poll.options.hint", { zone: timeZone })}</p>
        <RowError name="options" errors={errors} />
        {Array.from({ length: rows }, (_, i) => (
          <fieldset key={i} className="poll-option-row">
            <legend>{t("poll.option.n", { position: i + 1 })}</legend>
            <div className="poll-option-times">
              <div className="field">
                <label htmlFor={`field-date-${i}`}>{t("poll.option.dateLabel")}</label>
                <input type="date" {...rowInput(`date-${i}`, errors)} defaultValue={values[`date-${i}`]} />
                <RowError name={`date-${i}`} errors={errors} />
              </div>
              <div className="field">
                <label htmlFor={`field-start-${i}`}>{t("poll.option.startLabel")}</label>
                <input type="time" {...rowInput(`start-${i}`, errors)} defaultValue={values[`start-${i}`]} />
                <RowError name={`start-${i}`} errors={errors} />
              </div>
              <div className="field">
                <label htmlFor={`field-end-${i}`}>{t("poll.option.endLabel")}</label>
                <input type="time" {...rowInput(`end-${i}`, errors)} defaultValue={values[`end-${i}`]} />
                <RowError name={`end-${i}`} errors={errors} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`field-mode-${i}`}>{t("poll.option.modeLabel")}</label>
              <select {...rowInput(`mode-${i}`, errors)} defaultValue={values[`mode-${i}`] ?? "onsite"}>
                {pollModes.map((m) => (
                  <option key={m} value={m}>
                    {t(m === "online" ? "session.mode.online" : m === "hybrid" ? "session.mode.hybrid" : "session.mode.onsite")}
                  </option>
                ))}
              </select>
              <RowError name={`mode-${i}`} errors={errors} />
            </div>
            {venues.length ? (
              <div className="field">
                <label htmlFor={`field-venueId-${i}`}>{t("poll.option.venueLabel")}</label>
                <select {...rowInput(`venueId-${i}`, errors)} defaultValue={values[`venueId-${i}`] ?? ""}>
                  <option value="">{t("poll.option.otherPlace")}</option>
                  {venues.map((group) => (
                    <optgroup key={group.organisation ?? ""} label={group.organisation ?? t("session.venue.noOrganisation")}>
                      {group.venues.map((v) => (
                        <option key={v.id} value={String(v.id)}>
                          {v.address ? `${v.name} (${v.address})` : v.name}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
                <RowError name={`venueId-${i}`} errors={errors} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={`field-place-${i}`}>{t(venues.length ? "poll.option.placeLabel" : "poll.option.venueLabel")}</label>
              <input {...rowInput(`place-${i}`, errors)} defaultValue={values[`place-${i}`] ?? (i === 0 ? values.place : undefined)} maxLength={200} />
              <RowError name={`place-${i}`} errors={errors} />
              {venues.length ? null : <RowError name={`venueId-${i}`} errors={errors} />}
            </div>
          </fieldset>
        ))}
      </fieldset>
      <p className="row-links">
        {/* The first submit button is the one Enter presses: offering, not more rows. */}
        <button type="submit" name="intent" value="offer" className="button" disabled={busy}>
          {t("poll.submit")}
        </button>
        {rows < maxRows ? (
          <button type="submit" name="intent" value="more" className="button secondary">
            {t("poll.more")}
          </button>
        ) : null}
      </p>
    </Form>
  );
}
