import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { InitiativeForm } from "~/components/initiative-form";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { postingRefusal } from "~/models/voice.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { createInitiative, initiativeInput } from "~/models/initiatives.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "initiative.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMember(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(initiativeInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined }, { status: 400 });
  // Held posting and the newcomer limits (governance.md §4, §5).
  const refusal = postingRefusal(member.id, "initiative");
  if (refusal) return data({ errors: { form: refusal.message } as FieldErrors, values: formValues(formData), params: refusal.params }, { status: refusal.status });
  const id = createInitiative(member.id, form.data, new Date(), { once: true });
  return redirect(`/initiatives/${id}`, 303);
}

export default function NewInitiative() {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <h1>{t("initiative.new.title")}</h1>
      <p className="lead">{t("initiative.new.intro")}</p>
      <InitiativeForm values={result?.values} errors={result?.errors} errorParams={result?.params} submitLabel={t("initiative.new.submit")} />
    </section>
  );
}
