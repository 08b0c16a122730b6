import type { ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { ChoiceError, choiceErrorProps, Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT, useTimeZone } from "~/lib/i18n/react";
import type { SessionFormValues, VenueGroup } from "~/models/sessions.types";

export type { SessionFormValues };

const modes = ["onsite", "online", "hybrid"] as const;
const repeatChoices = ["none", "weekly", "biweekly", "monthly-weekday", "monthly-day"] as const;
// Selects for venues that take turns after the first; a host with more in mind adds the series again.
const rotationSlots = [2, 3, 4, 5];

type SessionFormProps = {
  values?: SessionFormValues;
  errors?: FieldErrors;
  /** Numbers the form's error names. */
  params?: Params;
  submitLabel: string;
  action?: string;
  venues: VenueGroup[];
  /** Adding: the session can be repeated as a series. */
  series?: { max: number };
  /** Editing a session of a series with later sessions: the choice to change those too. */
  scopeChoice?: boolean;
  /** Fields only one of the forms has (the learning hours when editing). */
  children?: ReactNode;
  /** Back from the venue form: what the host had typed is filled in again (docs/decisions/055). */
  restored?: boolean;
  /** Back from the venue form with a new venue, picked as the session's venue. */
  venuePicked?: boolean;
  /** The name of this tab's draft, sent again when another venue is added (docs/decisions/055). */
  draft?: string | null;
};

function VenueOptions({ venues }: { venues: VenueGroup[] }) {
  const t = useT();
  return (
    <>
      {venues.map((group) => (
        <optgroup key={group.organisation ?? ""} label={group.organisation ?? t("session.venue.noOrganisation")}>
          {group.venues.map((v) => (
            <option key={v.id} value={String(v.id)}>
              {v.address ? `${v.name} (${v.address})` : v.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

export function SessionForm({ values, errors, params, submitLabel, action, venues, series, scopeChoice, children, restored, venuePicked, draft }: SessionFormProps) {
  const t = useT();
  const zone = useTimeZone();
  const busy = useNavigation().state === "submitting";
  const venueIds = (values?.venueIds ?? "").split(",");
  const mode = values?.mode ?? "onsite";
  // The list of venues is checked as one field; its error shows at the first select.
  const visibleErrors = errors?.venueIds ? { ...errors, venueId: errors.venueId ?? errors.venueIds } : errors;
  // Without a venue list there is no select: a refused venue is said at the place.
  const placeErrors = !venues.length && visibleErrors?.venueId ? { ...errors, place: errors?.place ?? visibleErrors.venueId } : errors;
  return (
    <Form method="post" action={action} noValidate className="stack">
      {/* Enter in a field submits the form with its first button: this one, not "add a venue" below. */}
      <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true" disabled={busy}>
        {submitLabel}
      </button>
      {draft ? <input type="hidden" name="draft" value={draft} /> : null}
      <FormError errors={errors} params={params} />
      {/* Said when the form comes back from the venue form; after a refused save the errors speak. */}
      {(restored || venuePicked) && !errors ? (
        <p className="notice">
          {[venuePicked ? t("session.draft.venuePicked") : "", restored ? t("session.draft.restored") : ""].filter(Boolean).join(" ")}
        </p>
      ) : null}
      <p className="hint">{t("session.timesHint", { zone })}</p>
      <Field name="startsAt" params={params} type="datetime-local" label={t("session.startsAt")} errors={errors} defaultValue={values?.startsAt} required />
      <Field name="endsAt" params={params} type="datetime-local" label={t("session.endsAt")} errors={errors} defaultValue={values?.endsAt} required />
      <fieldset className="field" {...choiceErrorProps("mode", errors)}>
        <legend>{t("session.mode")}</legend>
        <div className="choices">
          {modes.map((m) => (
            <label key={m} className="choice">
              <input type="radio" name="mode" value={m} defaultChecked={mode === m} />
              <span>{t(m === "online" ? "session.mode.online" : m === "hybrid" ? "session.mode.hybrid" : "session.mode.onsite")}</span>
            </label>
          ))}
        </div>
        <ChoiceError name="mode" errors={errors} />
      </fieldset>
      {venues.length ? (
        <Field name="venueId" params={params} label={t("session.venue")} hint={t("session.venue.hint")} errors={visibleErrors}>
          <select id="field-venueId" name="venueId" defaultValue={venueIds[0] ?? ""}>
            <option value="">{t("session.venue.other")}</option>
            <VenueOptions venues={venues} />
          </select>
        </Field>
      ) : null}
      <Field name="place" params={params} label={t(venues.length ? "session.place.other" : "session.place")} hint={venues.length ? t("session.place.otherHint") : undefined} errors={placeErrors} defaultValue={values?.place} maxLength={200} />
      {/* A button of this form, so that what was typed goes along and is kept while the venue is added. */}
      <p className="hint">
        {t("session.venue.addHint")}{" "}
        <button type="submit" name="intent" value="add-venue" formNoValidate className="link-button" disabled={busy}>
          {t("session.venue.add")}
        </button>
      </p>
      <Field name="onlineUrl" type="url" label={t("session.onlineUrl")} hint={t("session.onlineUrl.hint")} errors={errors} defaultValue={values?.onlineUrl} maxLength={500} />
      <Field name="hostOrganisation" label={t("session.hostOrganisation")} hint={t("session.hostOrganisation.hint")} errors={errors} defaultValue={values?.hostOrganisation} maxLength={120} />
      <Field name="capacity" params={params} type="number" inputMode="numeric" label={t("session.capacity")} hint={t("session.capacity.hint")} errors={errors} defaultValue={values?.capacity} />
      {series ? (
        <>
          <fieldset className="field" {...choiceErrorProps("repeat", errors)}>
            <legend>{t("session.repeat")}</legend>
            <div className="choices">
              {repeatChoices.map((r) => (
                <label key={r} className="choice">
                  <input type="radio" name="repeat" value={r} defaultChecked={(values?.repeat ?? "none") === r} />
                  <span>{t(`session.repeat.${r}`)}</span>
                </label>
              ))}
            </div>
            <ChoiceError name="repeat" errors={errors} />
          </fieldset>
          <Field name="count" type="number" inputMode="numeric" label={t("session.count")} hint={t("session.count.hint", { max: series.max })} errors={errors} defaultValue={values?.count ?? "1"} />
          {venues.length ? (
            <fieldset className="field">
              <legend>{t("session.rotation")}</legend>
              <p className="hint">{t("session.rotation.hint")}</p>
              {rotationSlots.map((n, i) => (
                <div className="field" key={n}>
                  <label htmlFor={`field-venueId-${n}`}>{t("session.rotation.slot", { position: n })}</label>
                  <select id={`field-venueId-${n}`} name="venueId" defaultValue={venueIds[i + 1] ?? ""}>
                    <option value="">{t("session.rotation.none")}</option>
                    <VenueOptions venues={venues} />
                  </select>
                </div>
              ))}
            </fieldset>
          ) : null}
        </>
      ) : null}
      {children}
      {scopeChoice ? (
        <fieldset className="field" {...choiceErrorProps("scope", errors)}>
          <legend>{t("session.scope")}</legend>
          <div className="choices">
            {(["this", "later"] as const).map((s) => (
              <label key={s} className="choice">
                <input type="radio" name="scope" value={s} defaultChecked={(values?.scope ?? "this") === s} />
                <span>{t(s === "this" ? "session.scope.this" : "session.scope.later")}</span>
              </label>
            ))}
          </div>
          <ChoiceError name="scope" errors={errors} />
        </fieldset>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
