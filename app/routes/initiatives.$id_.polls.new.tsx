import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { PollOfferForm } from "~/components/poll-offer-form";
import { requireMember } from "~/lib/auth.server";
import { formRefusal, formValues, readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { errorMeta, titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { pollRefusal } from "~/lib/poll-errors.server";
import { pollOfferPage } from "~/models/poll-page.server";
import { createPoll, readOffer } from "~/models/polls.server";
import { ErrorPage } from "~/components/error-page";

// Its own boundary: a refusal thrown by the action keeps the root's data (components/error-page).
export const ErrorBoundary = ErrorPage;

export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, "poll.new.title"));

async function offerPage(request: Request, idText: string | undefined) {
  const member = await requireMember(request);
  const page = pollOfferPage(idParam(idText), member.id);
  if (page.status === 404) throw data(null, { status: 404 });
  if (page.status !== 200) throw formRefusal(page.message, page.status);
  return { member, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await offerPage(request, params.id);
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { member, page } = await offerPage(request, params.id);
  const form = await readFormData(request);
  const values = formValues(form);
  const shown = Math.min(page.maxRows, Math.max(page.rows, Number(/^\d{1,2}$/.test(values.rows ?? "") ? values.rows : page.rows)));
  // "More rows" changes nothing on the server: the same form comes back with more empty rows.
  if (form.get("intent") === "more") return data({ values, errors: undefined, rows: Math.min(page.maxRows, shown + page.rows) }, { status: 200 });
  const now = new Date();
  const offer = readOffer(form, now);
  if (!offer.ok) return data({ values, errors: offer.errors, rows: shown }, { status: 400 });
  try {
    const code = createPoll(page.initiative.id, member.id, offer.offer, now);
    return redirect(`/polls/${code}`, 303);
  } catch (error) {
    const refusal = pollRefusal(error);
    if (!refusal) throw error;
    return data({ values, errors: refusal.errors, rows: shown }, { status: refusal.status });
  }
}

export default function NewPoll() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${page.initiative.id}`}>← {t("poll.backToInitiative", { title: page.initiative.title })}</Link>
      </p>
      <h1>{t("poll.new.title")}</h1>
      <p className="lead">{t("poll.new.intro")}</p>
      <PollOfferForm values={result?.values ?? { place: page.initiative.place }} errors={result?.errors} rows={result?.rows ?? page.rows} maxRows={page.maxRows} venues={page.venues} timeZone={page.timeZone} />
    </section>
  );
}
