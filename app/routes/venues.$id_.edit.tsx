import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Link } from "~/components/link";
import type { OrganisationQuestion } from "~/components/organisation-pick";
import { sentValues, VenueForm } from "~/components/venue-form";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { venuePath } from "~/lib/organisation-links";
import { idParam } from "~/lib/params.server";
import { organisationNames } from "~/models/organisations.server";
import { saveVenueForm, venueEditPage, venueInput } from "~/models/venues.server";
import { withNotice } from "~/lib/notice";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "venue.edit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const page = venueEditPage(idParam(params.id), member.id);
  if (!page) throw data(null, { status: 404 });
  // Who may not change it is told why, on the page (status 403).
  const refusal: MessageKey | null = page.mayEdit ? null : page.held ? "venue.held" : "venue.edit.notAllowed";
  return data({ id: page.id, values: page.values, names: refusal ? [] : organisationNames(), refusal }, { status: refusal ? 403 : 200 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(venueInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, ask: null as OrganisationQuestion | null, params: undefined }, { status: 400 });
  const saved = saveVenueForm(member.id, form.data, id);
  if (saved.ok) return redirect(withNotice(venuePath(id), "saved"), 303);
  return data({ errors: saved.errors as FieldErrors, values: formValues(formData), ask: saved.ask as OrganisationQuestion | null, params: saved.params }, { status: saved.status });
}

export default function EditVenue() {
  const t = useT();
  const { id, values, names, refusal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={venuePath(id)}>← {values.name}</Link>
      </p>
      <h1>{t("venue.edit.title")}</h1>
      <p className="hint">{t("venue.edit.who")}</p>
      {/* The page's refusal takes the focus as a refused form's does: it is what the page says. */}
      {refusal ? (
        <FormError errors={{ form: refusal }} />
      ) : (
        <VenueForm values={sentValues(values, result?.values)} errors={result?.errors} params={result?.params} names={names} ask={result?.ask} submit={t("venue.edit.submit")} />
      )}
    </section>
  );
}
