import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Link } from "~/components/link";
import { MethodForm } from "~/components/method-form";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { createMethod, methodInput, MethodRefusedError } from "~/models/methods.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "method.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMember(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(methodInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  try {
    const id = createMethod(member.id, form.data);
    return redirect(`/methods/${id}`, 303);
  } catch (error) {
    if (error instanceof MethodRefusedError) return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData) as Record<string, string> | undefined, params: error.params }, { status: error.status });
    throw error;
  }
}

export default function NewMethod() {
  const t = useT();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to="/methods">← {t("method.backToList")}</Link>
      </p>
      <h1>{t("method.new.title")}</h1>
      <p className="lead">{t("method.new.intro")}</p>
      <MethodForm values={result?.values} errors={result?.errors} errorParams={result?.params} submitLabel={t("method.new.submit")} />
    </section>
  );
}
