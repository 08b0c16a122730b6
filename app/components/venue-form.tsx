// The venue form (/venues/new, /venues/:id/edit): a plain form that works without JavaScript.
import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { OrganisationPick, type OrganisationQuestion } from "~/components/organisation-pick";
import { organisationRules, venueRules } from "~/governance/config";
import type { FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import type { VenueFormValues } from "~/models/venues.server";


const venueLimits = { name: venueRules.nameMax, organisation: organisationRules.nameMax, address: venueRules.addressMax, notes: venueRules.notesMax } as const;

const access = ["stepFree", "hearingLoop", "parking", "publicTransport"] as const;

export function VenueForm({ values, errors, params, names, ask, submit }: { values: VenueFormValues; errors?: FieldErrors; params?: Params; names: string[]; ask?: OrganisationQuestion | null; submit: string }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="stack">
      <FormError errors={errors} params={params} />
      <Field name="name" label={t("venue.name")} hint={t("venue.name.hint")} errors={errors} defaultValue={values.name} required maxLength={venueLimits.name} />
      <OrganisationPick label={t("venue.organisation")} hint={t("venue.organisation.hint")} value={values.organisation} errors={errors} names={names} ask={ask} maxLength={venueLimits.organisation} />
      <Field name="address" label={t("venue.address")} errors={errors} defaultValue={values.address} maxLength={venueLimits.address} />
      <Field name="routeNotes" label={t("venue.routeNotes")} hint={t("venue.routeNotes.hint")} errors={errors} defaultValue={values.routeNotes} multiline rows={3} maxLength={venueLimits.notes} />
      <fieldset className="field">
        <legend>{t("venue.access")}</legend>
        <div className="choices">
          {access.map((key) => (
            <label key={key} className="choice">
              <input type="checkbox" name={key} value="on" defaultChecked={values[key]} />
              <span>{t(`venue.${key}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <Field name="accessNotes" label={t("venue.accessNotes")} hint={t("venue.accessNotes.hint")} errors={errors} defaultValue={values.accessNotes} multiline rows={3} maxLength={venueLimits.notes} />
      <button type="submit" className="button" disabled={busy}>
        {submit}
      </button>
    </Form>
  );
}

/** The form's values after a refused submission: what was sent (checkboxes by presence). */
export function sentValues(saved: VenueFormValues, sent: Record<string, string> | undefined): VenueFormValues {
  if (!sent) return saved;
  const text = (key: keyof VenueFormValues) => sent[key] ?? "";
  return {
    name: text("name"),
    organisation: text("organisation"),
    address: text("address"),
    routeNotes: text("routeNotes"),
    stepFree: !!sent.stepFree,
    hearingLoop: !!sent.hearingLoop,
    parking: !!sent.parking,
    publicTransport: !!sent.publicTransport,
    accessNotes: text("accessNotes"),
  };
}
