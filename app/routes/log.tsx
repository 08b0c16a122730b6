import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { LogEntryLine } from "~/components/log-entry";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { logGroups, type LogGroup } from "~/lib/log-groups";
import { getMember } from "~/lib/auth.server";
import { listLog } from "~/models/log.server";
import { nameViewer } from "~/models/names.server";

export const meta: MetaFunction = ({ matches }) => [
  ...titleMeta(matches, "log.title", undefined, { key: "log.intro" }),
  { tagName: "link", rel: "alternate", type: "application/atom+xml", href: "/log.xml", title: "Meedoen — log" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const group = logGroups.find((g) => g === params.get("group"));
  const subject = /^(initiative|session|proposal|member):([\w-]{1,40})$/.exec(params.get("subject") ?? "");
  const before = Number(params.get("before"));
  const entries = listLog({
    group,
    subjectType: subject?.[1],
    subjectId: subject?.[2],
    before: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    limit: 51,
  }, nameViewer(request, await getMember(request)));
  return { entries: entries.slice(0, 50), next: entries.length > 50 ? entries[49].id : null, filter: { group: group ?? "", subject: subject ? subject[0] : "" } };
}

export default function Log() {
  const t = useT();
  const { entries, next, filter } = useLoaderData<typeof loader>();
  const nextParams = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
  if (next) nextParams.set("before", String(next));
  return (
    <>
      <h1>{t("log.title")}</h1>
      <p className="lead">{t("log.intro")}</p>
      <Form method="get" className="search" aria-label={t("log.filter")}>
        <div className="field">
          <label htmlFor="group">{t("log.group")}</label>
          <select id="group" name="group" defaultValue={filter.group}>
            <option value="">{t("log.group.all")}</option>
            {logGroups.map((g: LogGroup) => (
              <option key={g} value={g}>
                {t(`log.group.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        {filter.subject ? <input type="hidden" name="subject" value={filter.subject} /> : null}
        <button type="submit" className="button">
          {t("log.filter.submit")}
        </button>
      </Form>
      <p>
        <a href="/log.xml">{t("log.atom")}</a>
        {filter.subject ? (
          <>
            {" · "}
            <Link to="/log">{t("log.allSubjects")}</Link>
          </>
        ) : null}
      </p>
      {entries.length ? (
        <ol className="log">
          {entries.map((entry) => (
            <LogEntryLine key={entry.id} entry={entry} />
          ))}
        </ol>
      ) : (
        <p className="empty">{t("log.empty")}</p>
      )}
      <nav className="pager" aria-label={t("feed.pages")}>
        {next ? <Link to={`/log?${nextParams}`}>{t("log.older")}</Link> : null}
      </nav>
    </>
  );
}
