import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { MethodForm } from "~/components/method-form";
import { requireMember } from "~/lib/auth.server";
import { formRefusal, formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { methodEditPage } from "~/models/method-page.server";
import { methodInput, MethodRefusedError, updateMethod } from "~/models/methods.server";
import { withNotice } from "~/lib/notice";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "method.edit.title");

// Members with a voice edit; the author of a hidden method has one edit (governance.md §4).
async function editable(request: Request, idText: string | undefined) {
  const member = await requireMember(request);
  const page = methodEditPage(idParam(idText), member);
  if (!page) throw data(null, { status: 404 });
  if (page.refusal) throw formRefusal(page.refusal.messageKey, page.refusal.status);
  return { member, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await editable(request, params.id);
  return { id: page.id, values: page.values };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { member, page } = await editable(request, params.id);
  const formData = await readFormData(request);
  const form = parseForm(methodInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  try {
    updateMethod(page.id, member.id, form.data);
  } catch (error) {
    if (error instanceof MethodRefusedError) return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    throw error;
  }
  return redirect(withNotice(`/methods/${page.id}`, "saved"), 303);
}

export default function EditMethod() {
  const t = useT();
  const { id, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/methods/${id}`}>← {t("method.backToMethod")}</Link>
      </p>
      <h1>{t("method.edit.title")}</h1>
      <p className="lead">{t("method.edit.intro")}</p>
      <MethodForm values={result?.values ?? values} errors={result?.errors} errorParams={result?.params} submitLabel={t("method.edit.submit")} />
    </section>
  );
}
