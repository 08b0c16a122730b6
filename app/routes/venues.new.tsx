import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import type { OrganisationQuestion } from "~/components/organisation-pick";
import { sentValues, VenueForm } from "~/components/venue-form";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { newVenueAddress, saveVenueForm, venueInput, venueNewPage } from "~/models/venues.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "venue.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return venueNewPage(member.id, new URL(request.url).searchParams);
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(venueInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, ask: null as OrganisationQuestion | null, params: undefined }, { status: 400 });
  const saved = saveVenueForm(member.id, form.data, null);
  // Added from a session's form (?back=…): back to that form, where the new venue is picked.
  if (saved.ok) return redirect(newVenueAddress(new URL(request.url).searchParams, saved.id), 303);
  return data({ errors: saved.errors as FieldErrors, values: formValues(formData), ask: saved.ask as OrganisationQuestion | null, params: saved.params }, { status: saved.status });
}

export default function NewVenue() {
  const t = useT();
  const { names, organisation, held, back } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const empty = { name: "", organisation, address: "", routeNotes: "", stepFree: false, hearingLoop: false, parking: false, publicTransport: false, accessNotes: "" };
  return (
    <section className="narrow">
      <p>
        {/* From a session's form: back to it, where what was typed is kept (docs/decisions/055). */}
        {back ? <Link to={back}>← {t("venue.new.back")}</Link> : <Link to="/organisations">← {t("organisations.title")}</Link>}
      </p>
      <h1>{t("venue.new.title")}</h1>
      <p className="lead">{t("venue.new.intro")}</p>
      {held ? (
        <p className="notice">{t("venue.held")}</p>
      ) : (
        <VenueForm values={sentValues(empty, result?.values)} errors={result?.errors} params={result?.params} names={names} ask={result?.ask} submit={t("venue.new.submit")} />
      )}
    </section>
  );
}
