import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { requireMember } from "~/lib/auth.server";
import { amendSchema } from "~/lib/form-schemas.server";
import { formRefusal, formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { nameViewer } from "~/models/names.server";
import { amendPage } from "~/models/proposal-page.server";
import { amendProposal, ProposalRefusedError } from "~/models/proposals.server";
import { withNotice } from "~/lib/notice";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "proposal.amend.title");

// The proposer or any eligible member, while an objection stands on the open consent proposal.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const page = amendPage(idParam(params.id), member, nameViewer(request, member));
  if (page.status === 404) throw data(null, { status: 404 });
  if (page.status !== 200) throw formRefusal(page.message, page.status);
  return page;
}

// POST /proposals/:id/amend — fields title, body, rulesText (rules proposals), answers, version.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(amendSchema, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const v = form.data;
  try {
    const version = amendProposal(id, member.id, { title: v.title, body: v.body, rulesText: v.rulesText?.trim() ? v.rulesText.trim() : null, answers: v.answers, version: v.version });
    return redirect(withNotice(`/proposals/${id}#version-${version}`, "saved"), 303);
  } catch (error) {
    if (error instanceof ProposalRefusedError) return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData) }, { status: error.status });
    throw error;
  }
}

export default function AmendProposal() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { proposal, objections, minDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? {};
  const errors = result?.errors;
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <p>
        <Link to={`/proposals/${proposal.id}`}>← {t("proposal.backTo")}</Link>
      </p>
      <h1>{t("proposal.amend.title")}</h1>
      <p>{t("proposal.amend.intro")}</p>
      <p className="hint">
        {t("proposal.deadlineLabel")}: {formatDateTime(proposal.deadline, locale, timeZone)}. {t("proposal.amend.deadline", { days: minDays })}
      </p>
      <h2>{t("proposal.amend.objections")}</h2>
      <ul className="people">
        {objections.map((o, i) => (
          <li key={i}>
            <strong>{o.name || t("member.former")}</strong>: {o.reason}
          </li>
        ))}
      </ul>
      <Form method="post" className="stack">
        <FormError errors={errors} />
        <input type="hidden" name="version" value={proposal.version} />
        <Field name="answers" label={t("proposal.amend.answers")} hint={t("proposal.amend.answers.hint")} errors={errors} defaultValue={values.answers ?? ""} multiline rows={3} maxLength={2000} required />
        <Field name="title" label={t("proposal.amend.newTitle")} errors={errors} defaultValue={values.title ?? proposal.title} maxLength={160} required />
        <Field name="body" label={t("proposal.amend.body")} errors={errors} defaultValue={values.body ?? proposal.body} multiline rows={10} maxLength={10_000} />
        {proposal.rulesText !== null ? <Field name="rulesText" label={t("proposal.amend.rules")} errors={errors} defaultValue={values.rulesText ?? proposal.rulesText} multiline rows={14} maxLength={20_000} required /> : null}
        <button type="submit" className="button" disabled={busy}>
          {t("proposal.amend.submit")}
        </button>
      </Form>
    </section>
  );
}
