import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { InitiativeForm } from "~/components/initiative-form";
import { requireMember } from "~/lib/auth.server";
import type { FieldErrors } from "~/lib/forms";
import { processCover, readInitiativeForm } from "~/lib/initiative-form.server";
import { imageFormHeaders } from "~/lib/images.server";
import { withImageFiles } from "~/models/images.server";
import { postingRefusal } from "~/models/voice.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { createInitiative } from "~/models/initiatives.server";

// The "try again in a minute" refusal's Retry-After (docs/decisions/019).
export const headers = imageFormHeaders;

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "initiative.new.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMember(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = await readInitiativeForm(request, false);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined }, { status: 400 });
  // Held posting and the newcomer limits (governance.md §4, §5): before a picture is decoded,
  // and again right before posting, in case another post went in meanwhile.
  const refused = () => {
    const refusal = postingRefusal(member.id, "initiative");
    return refusal && data({ errors: { form: refusal.message } as FieldErrors, values: form.values, params: refusal.params }, { status: refusal.status });
  };
  const early = refused();
  if (early) return early;
  const cover = await processCover(form, { uploader: member.id, signal: request.signal });
  if (!cover.ok) return data({ errors: cover.errors, values: cover.values, params: undefined }, cover.init);
  const late = refused();
  if (late) return late;
  const id = withImageFiles(cover.image, (image) => createInitiative(member.id, form.data, new Date(), { once: true, cover: image ? { image, alt: form.coverAlt } : undefined }));
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
