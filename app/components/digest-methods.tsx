import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

/** The digest's "new and improved methods this week". */
export function DigestMethods({ methods }: { methods: { id: number; title: string; purpose: string; isNew: boolean }[] }) {
  const t = useT();
  if (!methods.length) return null;
  return (
    <>
      <h2>{t("method.digest")}</h2>
      <ul>
        {methods.map((m) => (
          <li key={m.id}>
            <Link to={`/methods/${m.id}`}>{m.title}</Link> ({t(m.isNew ? "method.digest.new" : "method.digest.improved")}) — {m.purpose}
          </li>
        ))}
      </ul>
    </>
  );
}
