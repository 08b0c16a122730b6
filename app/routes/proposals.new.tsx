import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ChoiceError, choiceErrorProps, Field, FormError } from "~/components/field";
import { governance } from "~/governance/config";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData } from "~/lib/forms";
import { proposalSchema } from "~/lib/form-schemas.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";
import { titleMeta } from "~/lib/meta";
import { mayTakePart, openProposal, ProposalRefusedError } from "~/models/proposals.server";
import { newProposalPage } from "~/models/proposal-page.server";
import { isHost } from "~/models/initiatives.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "proposal.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return newProposalPage(member.id, new URL(request.url).searchParams);
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(proposalSchema, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const v = form.data;
  const scope = { scope: v.scope, initiativeId: v.scope === "initiative" ? v.initiativeId : null };
  if (!mayTakePart(scope, member.id)) {
    return data({ errors: { form: v.scope === "network" ? ("proposal.new.noVoice" as const) : ("proposal.notParticipant" as const) }, values: formValues(formData) }, { status: 403 });
  }
  // Only a host of that initiative can be proposed for removal.
  if (v.effect === "remove-host" && !(scope.initiativeId && isHost(scope.initiativeId, v.hostId))) {
    return data({ errors: { hostId: "proposal.removeHost.invalid" as const }, values: formValues(formData) }, { status: 400 });
  }
  const effect =
    v.effect === "rules"
      ? { type: "rules" as const, text: v.rulesText.trim() }
      : v.effect === "remove-host" && scope.initiativeId
        ? { type: "remove-host" as const, initiativeId: scope.initiativeId, memberId: v.hostId }
        : null;
  try {
    const id = openProposal({ ...scope, kind: v.kind, title: v.title, body: v.body, days: v.days, effect }, member.id, new Date(), { once: true });
    return redirect(`/proposals/${id}`, 303);
  } catch (error) {
    if (error instanceof ProposalRefusedError) return data({ errors: { form: error.messageKey }, values: formValues(formData) }, { status: error.status });
    throw error;
  }
}

export default function NewProposal() {
  const t = useT();
  const { hasVoice, voiceFrom, initiatives, rulesText, preset, scope } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const result = useActionData<typeof action>();
  const values = result?.values ?? {};
  const errors = result?.errors;
  const busy = useNavigation().state === "submitting";
  const effect = values.effect ?? preset.effect;
  return (
    <section className="narrow">
      <h1>{t("proposal.new.title")}</h1>
      <p className="lead">{t("proposal.new.intro")}</p>
      {!hasVoice ? (
        <p className="notice">
          {t("proposal.new.noVoiceHint")} {voiceFrom ? t("proposal.new.founderVoiceFrom", { date: formatDateTime(voiceFrom, locale, timeZone) }) : null}
        </p>
      ) : null}
      <Form method="post" noValidate className="stack">
        <FormError errors={errors} />
        <Field name="title" label={t("proposal.title")} errors={errors} defaultValue={values.title ?? (effect === "rules" ? t("proposal.rules.defaultTitle") : "")} required maxLength={160} />
        <Field name="body" label={t("proposal.body")} hint={t("initiative.body.hint")} errors={errors} defaultValue={values.body} multiline rows={6} />
        <fieldset className="field" {...choiceErrorProps("scope", errors)}>
          <legend>{t("proposal.scope")}</legend>
          <div className="choices">
            <label className="choice">
              <input type="radio" name="scope" value="network" defaultChecked={(values.scope ?? scope) === "network"} />
              <span>
                <strong>{t("proposal.scope.network")}</strong> <span className="hint">{t("proposal.scope.network.hint")}</span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="scope" value="initiative" defaultChecked={(values.scope ?? scope) === "initiative"} />
              <span>
                <strong>{t("proposal.scope.initiative")}</strong> <span className="hint">{t("proposal.scope.initiative.hint")}</span>
              </span>
            </label>
          </div>
          <ChoiceError name="scope" errors={errors} />
        </fieldset>
        <Field name="initiativeId" label={t("proposal.initiative")} hint={t("proposal.initiative.hint")} errors={errors} required>
          <select id="field-initiativeId" name="initiativeId" defaultValue={values.initiativeId ?? preset.initiativeId}>
            <option value="">{t("proposal.initiative.none")}</option>
            {initiatives.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="field" {...choiceErrorProps("kind", errors)}>
          <legend>{t("proposal.kind")}</legend>
          <div className="choices">
            {(["consent", "majority"] as const).map((kind) => (
              <label key={kind} className="choice">
                <input type="radio" name="kind" value={kind} defaultChecked={(values.kind ?? "consent") === kind} />
                <span>
                  <strong>{t(`proposal.kind.${kind}`)}</strong> <span className="hint">{t(`proposal.kind.${kind}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
          <ChoiceError name="kind" errors={errors} />
        </fieldset>
        <Field name="days" type="number" inputMode="numeric" label={t("proposal.days")} hint={t("proposal.days.hint", { min: governance.proposalMinDays, max: governance.proposalMaxDays })} errors={errors} defaultValue={values.days ?? String(governance.proposalDefaultDays)} required />
        <Field name="effect" label={t("proposal.effect")} hint={t("proposal.effect.hint")} errors={errors}>
          <select id="field-effect" name="effect" defaultValue={effect}>
            <option value="none">{t("proposal.effect.none")}</option>
            <option value="rules">{t("proposal.effect.rules")}</option>
            <option value="remove-host">{t("proposal.effect.removeHost")}</option>
          </select>
        </Field>
        <Field name="rulesText" label={t("proposal.rulesText")} hint={t("proposal.rulesText.hint")} errors={errors} defaultValue={values.rulesText ?? rulesText} multiline rows={12} />
        <Field name="hostId" label={t("proposal.hostId")} hint={t("proposal.hostId.hint")} errors={errors}>
          <select id="field-hostId" name="hostId" defaultValue={values.hostId ?? preset.hostId}>
            <option value="">—</option>
            {initiatives.flatMap((i) =>
              i.hosts.map((h) => (
                <option key={`${i.id}-${h.id}`} value={h.id}>
                  {h.name} ({i.title})
                </option>
              )),
            )}
          </select>
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {t("proposal.new.submit")}
        </button>
      </Form>
    </section>
  );
}
