import { linkTo } from "~/components/link";
import { Picture } from "~/components/picture";
import type { ImageRef } from "~/lib/images";
import { useT } from "~/lib/i18n/react";
import type { HostSummary } from "~/models/initiatives.server";

export type InitiativeCardData = {
  id: number;
  title: string;
  summary: string;
  kind: "course" | "activity" | "request";
  tagList: string[];
  place: string;
  cover: (ImageRef & { alt: string }) | null;
  hosts: Pick<HostSummary, "displayName" | "organisation">[];
};

// Cards are one column on a phone and two from 48rem in a 64rem page (see meedoen.css).
const cardCoverSizes = "(min-width: 64rem) 30rem, (min-width: 48rem) calc(50vw - 2rem), calc(100vw - 2rem)";

export function KindBadge({ kind }: { kind: InitiativeCardData["kind"] }) {
  const t = useT();
  return <span className={`badge badge-${kind}`}>{t(`kind.${kind}`)}</span>;
}

export function TagList({ tags }: { tags: string[] }) {
  const t = useT();
  if (!tags.length) return null;
  return (
    <ul className="tags" aria-label={t("initiative.tags")}>
      {tags.map((tag) => (
        <li key={tag}>
          <a {...linkTo(`/?tag=${encodeURIComponent(tag)}`)}>#{tag}</a>
        </li>
      ))}
    </ul>
  );
}

export function InitiativeCard({ initiative }: { initiative: InitiativeCardData }) {
  const t = useT();
  return (
    <article className="card">
      {initiative.cover ? <Picture image={initiative.cover} alt={initiative.cover.alt} sizes={cardCoverSizes} className="card-cover" /> : null}
      <p className="card-meta">
        <KindBadge kind={initiative.kind} />
        {initiative.place ? <span className="place">{initiative.place}</span> : null}
      </p>
      <h3 className="card-title">
        <a {...linkTo(`/initiatives/${initiative.id}`)}>{initiative.title}</a>
      </h3>
      <p>{initiative.summary}</p>
      <TagList tags={initiative.tagList} />
      <p className="card-hosts">
        {initiative.hosts.length
          ? t("initiative.hostedBy", { names: initiative.hosts.map((h) => h.displayName + (h.organisation ? ` (${h.organisation})` : "")).join(", ") })
          : t("initiative.lookingForHost")}
      </p>
    </article>
  );
}
