import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { requireMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDateTime } from "~/lib/time";
import { welcomePage } from "~/models/home-page.server";

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "welcome.pageTitle"), { name: "robots", content: "noindex" }];

// The start page right after creating an account: three first steps, then back to where the
// person came from (`redirectTo`, a path on this site only).
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return welcomePage(member, new URL(request.url).searchParams.get("redirectTo"));
}

export default function Welcome() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { name, memberId, next, founder } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>{t("welcome.title", { name })}</h1>
      {founder ? (
        <section className="panel" aria-labelledby="welcome-founder">
          <h2 id="welcome-founder">{t("welcome.founder.title")}</h2>
          <p>
            {t("welcome.founder.text")} {founder.voiceFrom ? t("welcome.founder.from", { date: formatDateTime(founder.voiceFrom, locale, timeZone) }) : null}
          </p>
          <p>
            <Link to="/founders">{t("welcome.founder.link")}</Link>
          </p>
        </section>
      ) : null}
      <p className="lead">{t("welcome.intro")}</p>
      <ol className="welcome-steps">
        <li>
          <h2>{t("welcome.profile.title")}</h2>
          <p>
            {t("welcome.profile.text")} <Link to="/settings/profile">{t("welcome.profile.link")}</Link>
          </p>
        </li>
        <li>
          <h2>{t("welcome.people.title")}</h2>
          <p>
            {t("welcome.people.text")} <Link to="/members">{t("welcome.people.link")}</Link>
          </p>
        </li>
        <li>
          <h2>{t("welcome.sessions.title")}</h2>
          <p>
            {t("welcome.sessions.text")} <Link to="/agenda">{t("welcome.sessions.link")}</Link>
          </p>
        </li>
      </ol>
      <p>
        <Link className="button" to={next}>
          {t("welcome.continue")}
        </Link>
      </p>
      <p className="hint">
        <Link to={`/members/${memberId}`}>{t("nav.profile")}</Link>
      </p>
    </section>
  );
}
