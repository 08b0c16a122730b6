import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { InitiativeForm } from "~/components/initiative-form";
import { requireMember } from "~/lib/auth.server";
import { processCover, readInitiativeForm } from "~/lib/initiative-form.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { imageFormHeaders } from "~/lib/images.server";
import { withImageFiles } from "~/models/images.server";
import { getInitiative, isHost, NotAHostError, updateInitiative } from "~/models/initiatives.server";
import { withNotice } from "~/lib/notice";

// The "try again in a minute" refusal's Retry-After (docs/decisions/019).
export const headers = imageFormHeaders;

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "initiative.edit.title");

async function requireHostedInitiative(request: Request, idText: string | undefined) {
  const member = await requireMember(request);
  const initiative = getInitiative(idParam(idText));
  if (!initiative) throw data(null, { status: 404 });
  // Only its hosts edit an initiative (governance.md §2).
  if (!isHost(initiative.id, member.id)) throw data(null, { status: 403 });
  return { member, initiative };
}

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
