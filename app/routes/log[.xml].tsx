import type { LoaderFunctionArgs } from "@remix-run/node";
import { Feed } from "feed";
import { asHtml } from "~/lib/atom";
import { originOf } from "~/lib/calendar.server";
import { translator } from "~/lib/i18n";
import type { MessageKey } from "~/lib/i18n";
import { listLog } from "~/models/log.server";
import { visitor } from "~/models/names.server";
import { subjectPath } from "~/components/log-entry";

// The public log as an Atom feed (in Dutch, the network's language), as a visitor sees it: feed
// readers do not log in, so members-only names stay out (names.server.ts).
export function loader({ request }: LoaderFunctionArgs) {
  const origin = originOf(request);
  const t = translator("nl");
  const entries = listLog({ limit: 100 }, visitor);
  const feed = new Feed({
    id: `${origin}/log`,
    title: `Meedoen — ${t("log.title")}`,
    description: t("log.intro"),
    link: `${origin}/log`,
    language: "nl",
    updated: entries[0] ? new Date(entries[0].at) : new Date(0),
    copyright: "",
    feedLinks: { atom: `${origin}/log.xml` },
    // The log is written by the network itself; each entry also names who acted, where a visitor may see that.
    author: { name: "Meedoen", link: `${origin}/` },
  });
  for (const entry of entries) {
    const path = subjectPath(entry);
    const what = t(`log.${entry.action}` as MessageKey);
    feed.addItem({
      id: `${origin}/log#${entry.id}`,
      title: asHtml(entry.subjectTitle ? `${what}: ${entry.subjectTitle}` : what),
      link: path ? origin + path : `${origin}/log`,
      date: new Date(entry.at),
      description: asHtml(`${what}${entry.actorId ? ` — ${entry.actorName ?? t("member.former")}` : ""}`),
      ...(entry.actorId && entry.actorName ? { author: [{ name: entry.actorName }] } : {}),
    });
  }
  return new Response(feed.atom1(), { headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=60" } });
}
