import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { InitiativeForm } from "~/components/initiative-form";
import { requireHostedInitiative } from "~/lib/host-access.server";
import { processCover, readInitiativeForm } from "~/lib/initiative-form.server";
import { useT } from "~/lib/i18n/react";
import { errorMeta, titleMeta } from "~/lib/meta";
import { imageFormHeaders } from "~/lib/images.server";
import { HiddenEditRefusedError } from "~/models/hidden-edits.server";
import { withImageFiles } from "~/models/images.server";
import { NotAHostError, updateInitiative } from "~/models/initiatives.server";
import { withNotice } from "~/lib/notice";
import type { FieldErrors } from "~/lib/forms";
import { ErrorPage } from "~/components/error-page";

// The "try again in a minute" refusal's Retry-After (docs/decisions/019).
export const headers = imageFormHeaders;

// Its own boundary: a refusal thrown by the action keeps the root's data (components/error-page).
export const ErrorBoundary = ErrorPage;

export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, "initiative.edit.title"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { initiative } = await requireHostedInitiative(request, params.id);
  return {
    id: initiative.id,
    cover: initiative.cover,
    values: {
      title: initiative.title,
      summary: initiative.summary,
      body: initiative.body,
      kind: initiative.kind,
      tags: initiative.tagList.join(", "),
      place: initiative.place,
      target: initiative.target ? String(initiative.target) : "",
      coverAlt: initiative.coverAlt,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { member, initiative } = await requireHostedInitiative(request, params.id);
  const form = await readInitiativeForm(request, !!initiative.cover);
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  const cover = await processCover(form, { uploader: member.id, signal: request.signal });
  if (!cover.ok) return data({ errors: cover.errors, values: cover.values }, cover.init);
  try {
    withImageFiles(cover.image, (image) =>
      updateInitiative(initiative.id, member.id, form.data, new Date(), { image: image ?? (form.removeCover ? null : "keep"), alt: form.coverAlt }),
    );
  } catch (error) {
    // The member stepped back as host between loading the form and sending it.
    if (error instanceof NotAHostError) throw data(null, { status: 403 });
    if (error instanceof HiddenEditRefusedError) return data({ errors: { form: error.refusal.messageKey } as FieldErrors, values: form.values }, { status: error.refusal.status });
    throw error;
  }
  return redirect(withNotice(`/initiatives/${initiative.id}`, "saved"), 303);
}

export default function EditInitiative() {
  const t = useT();
  const { id, values, cover } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${id}`}>← {t("initiative.backToPage")}</Link>
      </p>
      <h1>{t("initiative.edit.title")}</h1>
      <InitiativeForm values={result?.values ?? values} errors={result?.errors} cover={cover} submitLabel={t("initiative.edit.submit")} />
    </section>
  );
}
