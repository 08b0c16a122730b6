import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { ChoiceError, choiceErrorProps, Field, FormError, ImageField } from "~/components/field";
import { Avatar } from "~/components/picture";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, textField, type FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { discardUpload, processUpload, readUploadForm } from "~/lib/uploads.server";
import { imageFormHeaders, refusalInit } from "~/lib/images.server";
import { withImageFiles } from "~/models/images.server";
import { OrganisationPick, type OrganisationQuestion } from "~/components/organisation-pick";
import { heldProfileRefusal, nowInput, profileFormPage, profileInput } from "~/models/profiles.server";
import { saveProfilePage } from "~/models/safe-actions.server";
import { withNotice } from "~/lib/notice";

// The "try again in a minute" refusal's Retry-After (docs/decisions/019).
export const headers = imageFormHeaders;

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "profile.edit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return profileFormPage(member.id);
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const { formData, upload } = await readUploadForm(request, "avatar");
  const intent = formData.get("intent");
  const values = formValues(formData);
  // Text first: a refused field keeps the photo out too, and everything typed comes back.
  const nowForm = intent === "now" || textField(formData, "now") ? parseForm(nowInput, formData) : ({ ok: true, data: { now: "" } } as const);
  const form = formData.has("displayName") ? parseForm(profileInput, formData) : null;
  const errors = { ...(nowForm.ok ? {} : nowForm.errors), ...(form && !form.ok ? form.errors : {}) } as FieldErrors;
  if (intent === "avatar" && !upload) errors.avatar = "profile.avatar.required";
  if (Object.keys(errors).length) {
    discardUpload(upload);
    return data({ errors, values, saved: false, ask: null }, { status: 400 });
  }
  // A held member's change that would post something is refused before a photo is processed.
  const held = heldProfileRefusal(member.id, { profile: form?.ok ? form.data : null, nowText: nowForm.ok ? nowForm.data.now : "", newPhoto: intent !== "avatar-remove" && !!upload });
  if (held) {
    discardUpload(upload);
    return data({ errors: held.errors, values, saved: false, ask: null }, { status: held.status });
  }
  const processed = intent === "avatar-remove" ? (discardUpload(upload), null) : await processUpload(upload, { uploader: member.id, signal: request.signal });
  if (processed && !processed.ok) return data({ errors: { avatar: processed.error } as FieldErrors, values, saved: false, ask: null }, refusalInit(processed));
  const saved = withImageFiles(processed ? processed.image : null, (image) =>
    saveProfilePage(member.id, { profile: form?.ok ? form.data : null, nowText: nowForm.ok ? nowForm.data.now : "", avatar: intent === "avatar-remove" ? null : (image ?? undefined) }),
  );
  if (!saved.ok) {
    return data({ errors: saved.errors as FieldErrors, values, saved: false, ask: saved.ask as OrganisationQuestion | null, params: saved.params }, { status: saved.status });
  }
  return redirect(withNotice(intent === "avatar-remove" ? "/settings/profile" : `/members/${member.id}`, "saved"), 303);
}

export default function EditProfile() {
  const t = useT();
  const { id, avatar, held, values: saved, limits, organisationNames: names } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = { ...saved, ...(result?.values ?? {}) };
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <p>
        <Link to={`/members/${id}`}>← {t("profile.view")}</Link>
      </p>
      <h1>{t("profile.edit.title")}</h1>
      {held ? <p className="form-error">{t("profile.held")}</p> : null}
      <Form method="post" encType="multipart/form-data" noValidate className="stack" aria-labelledby="profile-heading">
        <h2 id="avatar-heading">{t("profile.avatar")}</h2>
        {avatar ? (
          <figure className="avatar-preview">
            <Avatar image={avatar} size="large" />
            <figcaption className="hint">{t("profile.avatar.current")}</figcaption>
          </figure>
        ) : (
          <p className="muted">{t("profile.avatar.none")}</p>
        )}
        <ImageField name="avatar" label={t("image.choose")} hint={t("profile.avatar.withSave")} errors={result?.errors} />
        <h2 id="now-heading">{t("now.title")}</h2>
        <Field name="now" label={t("now.label")} hint={t("now.hint")} errors={result?.errors} defaultValue={values.now} maxLength={limits.now} multiline rows={2} />
        <h2 id="profile-heading">{t("profile.title")}</h2>
        <FormError errors={result?.errors} params={result && "params" in result ? result.params : undefined} />
        <Field name="displayName" label={t("auth.displayName")} errors={result?.errors} defaultValue={values.displayName} required maxLength={limits.displayName} autoComplete="name" />
        <OrganisationPick label={t("profile.organisation")} hint={t("organisation.pick.hint")} value={values.organisation} errors={result?.errors} names={names} ask={result?.ask} maxLength={limits.organisation} />
        <Field name="work" label={t("profile.work")} hint={t("profile.work.hint")} errors={result?.errors} defaultValue={values.work} maxLength={limits.work} />
        <Field name="expertise" label={t("profile.expertise")} hint={t("profile.expertise.hint")} errors={result?.errors} defaultValue={values.expertise} />
        <Field name="bio" label={t("profile.bio")} hint={t("initiative.body.hint")} errors={result?.errors} defaultValue={values.bio} multiline rows={6} maxLength={limits.bio} />
        <fieldset className="field" {...choiceErrorProps("profileVisibility", result?.errors)}>
          <legend>{t("profile.visibility")}</legend>
          <div className="choices">
            {(["public", "organisation", "members"] as const).map((v) => (
              <label key={v} className="choice">
                <input type="radio" name="profileVisibility" value={v} defaultChecked={values.profileVisibility === v} />
                <span>
                  <strong>{t(`profile.visibility.${v}`)}</strong> <span className="hint">{t(`profile.visibility.${v}.hint`)}</span>
                </span>
              </label>
            ))}
          </div>
          <ChoiceError name="profileVisibility" errors={result?.errors} />
        </fieldset>
        <p className="hint">{t("auth.email.hint")}</p>
        {/* The first button is the one Enter presses: it saves everything. */}
        <div className="row-links">
          <button type="submit" className="button" disabled={busy}>
            {t("profile.save")}
          </button>
          {avatar ? (
            <button type="submit" name="intent" value="avatar-remove" className="link-button" disabled={busy}>
              {t("profile.avatar.remove")}
            </button>
          ) : null}
        </div>
      </Form>
    </section>
  );
}
