import type { LoaderFunctionArgs } from "@remix-run/node";
import { Feed } from "feed";
import { absoluteLinks, asHtml } from "~/lib/atom";
import { originOf } from "~/lib/calendar.server";
import { translator } from "~/lib/i18n";
import { atomEntries } from "~/models/contributions.server";
import { visitor } from "~/models/names.server";
import { methodAtomEntries } from "~/models/methods.server";


// The network's Atom feed: newest initiatives and outcomes, never hidden ones (in Dutch, the
// network's language). Links are absolute, built from the request's origin. Authors are named as
// a visitor sees them: feed readers do not log in (names.server.ts).
export function loader({ request }: LoaderFunctionArgs) {
  const origin = originOf(request);
  const t = translator("nl");
  const entries = atomEntries(50, visitor);
  const methodEntries = methodAtomEntries(50, visitor);
  const feed = new Feed({
    id: `${origin}/`,
    title: t("atom.title"),
    description: t("atom.subtitle"),
    link: `${origin}/`,
    language: "nl",
    updated: new Date(Math.max(entries[0]?.at ?? 0, methodEntries[0]?.at ?? 0)),
    copyright: "",
    feedLinks: { atom: `${origin}/feed.xml` },
    author: { name: "Meedoen" },
  });
  for (const entry of entries) {
    const link = entry.kind === "initiative" ? `${origin}/initiatives/${entry.id}` : `${origin}/initiatives/${entry.initiativeId}#outcome-${entry.id}`;
    feed.addItem({
      id: entry.kind === "initiative" ? link : `${origin}/outcomes/${entry.id}`,
      title: asHtml(entry.kind === "initiative" ? entry.title : t("atom.outcome", { title: entry.title })),
      link,
      date: new Date(entry.at),
      content: absoluteLinks(entry.html, origin),
      author: [{ name: entry.author ?? t("member.former") }],
    });
  }
  // Working methods: a new one, and each new version, with its version number.
  for (const entry of methodEntries) {
    const link = `${origin}/methods/${entry.methodId}`;
    feed.addItem({
      id: `${link}/history#v${entry.version}`,
      title: asHtml(entry.version === 1 ? t("method.atom.new", { title: entry.title }) : t("method.atom.version", { version: entry.version, title: entry.title })),
      link,
      date: new Date(entry.at),
      content: absoluteLinks(entry.html, origin),
      author: [{ name: entry.author ?? t("member.former") }],
    });
  }
  return new Response(feed.atom1(), { headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=60" } });
}
