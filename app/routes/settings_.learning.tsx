import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Link } from "~/components/link";
import { LearningDownloads, LearningLinkList, MakeLearningLink } from "~/components/learning-links";
import { LearningTotals, ListedSessions } from "~/components/learning-record";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { formValues, parseForm, readFormData, textField, type FieldErrors } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { learningPage } from "~/models/learning-page.server";
import { LearningLinkRefusal, learningLinkForm, makeLearningLink, withdrawLearningLink } from "~/models/learning.server";

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "learning.title"), { name: "robots", content: "noindex" }];

// /settings/learning[?year=2025[&page=2]]: the member's own record of learning, its PDF and its
// verification links; a long record lists one year's sessions at a time, a hundred per page.
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const query = new URL(request.url).searchParams;
  return learningPage(member, resolveLocale(request, member.locale), originOf(request), { year: query.get("year"), page: query.get("page") });
}

type Refused = { errors?: FieldErrors; values?: Record<string, string>; withdrawErrors?: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = await readFormData(request);
  const intent = form.get("intent");
  try {
    if (intent === "make") {
      const parsed = parseForm(learningLinkForm, form);
      if (!parsed.ok) return data<Refused>({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      makeLearningLink(member, parsed.data);
      return redirect("/settings/learning#links", 303);
    }
    if (intent === "withdraw") {
      withdrawLearningLink(member.id, textField(form, "code"));
      return redirect("/settings/learning#links", 303);
    }
  } catch (error) {
    if (!(error instanceof LearningLinkRefusal)) throw error;
    // A link that is not (or no longer) the member's: a refusal of the whole withdraw form.
    if (intent === "withdraw") return data<Refused>({ withdrawErrors: { form: error.messageKey } }, { status: error.status });
    return data<Refused>({ errors: { [error.field]: error.messageKey }, values: formValues(form) }, { status: error.status });
  }
  return data<Refused>({ withdrawErrors: { form: "error.badRequest" } }, { status: 400 });
}

export default function LearningSettings() {
  const t = useT();
  const { record, listing, links, defaultName, nameMax, activeMax, can } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const years = record.years.map((y) => y.year);
  return (
    <section className="narrow">
      <p>
        <Link to="/settings">← {t("settings.title")}</Link>
      </p>
      <h1>{t("learning.title")}</h1>
      <p className="lead">{t("learning.intro")}</p>
      <p className="notice">{t("learning.notAccreditation")}</p>
      {record.sessions.length ? (
        <>
          <h2 id="totals">{t("learning.totals")}</h2>
          <LearningTotals record={record} caption={t("learning.totals")} />
          <h2 id="pdf">{t("learning.pdf.title")}</h2>
          <p>{t("learning.pdf.intro")}</p>
          <LearningDownloads years={years} />
        </>
      ) : (
        <p className="empty">{t("learning.empty")}</p>
      )}
      <h2 id="links">{t("learning.links.title")}</h2>
      <p>{t("learning.links.intro")}</p>
      {can.makeLink || refused?.errors ? (
        <MakeLearningLink years={years} activeMax={activeMax} defaultName={defaultName} nameMax={nameMax} errors={refused?.errors} values={refused?.values} />
      ) : (
        <p className="hint">{record.sessions.length ? t("learning.links.limit", { max: activeMax }) : t("learning.links.emptyRecord")}</p>
      )}
      {/* Said by the list whose withdraw button was used. */}
      <FormError errors={refused?.withdrawErrors} />
      <LearningLinkList links={links} />
      {record.sessions.length ? (
        <>
          <h2 id="sessions">{t("learning.list")}</h2>
          <ListedSessions path="/settings/learning" record={record} listing={listing} />
        </>
      ) : null}
    </section>
  );
}
