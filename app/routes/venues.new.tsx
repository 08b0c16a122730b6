import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import type { OrganisationQuestion } from "~/components/organisation-pick";
import { sentValues, VenueForm } from "~/components/venue-form";
import { requireMember, safeRedirect } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { withNotice } from "~/lib/notice";
import { titleMeta } from "~/lib/meta";
import { saveVenueForm, venueInput, venueNewPage } from "~/models/venues.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "venue.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return venueNewPage(member.id, new URL(request.url).searchParams.get("organisation") ?? "");
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(venueInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, ask: null as OrganisationQuestion | null, params: undefined }, { status: 400 });
  const saved = saveVenueForm(member.id, form.data, null);
  // Added from a session's form (?back=…): back to that form, where the new venue is in the list.
  const back = safeRedirect(new URL(request.url).searchParams.get("back"), "");
  if (saved.ok) return redirect(back ? withNotice(back, "saved") : `/venues/${saved.id}`, 303);
  return data({ errors: saved.errors as FieldErrors, values: formValues(formData), ask: saved.ask as OrganisationQuestion | null, params: saved.params }, { status: saved.status });
}

export default function NewVenue() {
  const t = useT();
  const { names, organisation, held } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const empty = { name: "", organisation, address: "", routeNotes: "", stepFree: false, hearingLoop: false, parking: false, publicTransport: false, accessNotes: "" };
  return (
    <section className="narrow">
      <p>
        <Link to="/organisations">← {t("organisations.title")}</Link>
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
