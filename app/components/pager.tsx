import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

/**
 * Which rows of a list are shown, and previous and next links to the other pages: `path` (which
 * may have a query of its own) with `page`, then `hash`.
 */
export function Pager({ path, hash = "", page, pages, from, shown, total }: { path: string; hash?: string; page: number; pages: number; from: number; shown: number; total: number }) {
  const t = useT();
  const to = (n: number) => (n === 1 ? path : `${path}${path.includes("?") ? "&" : "?"}page=${n}`) + hash;
  return (
    <>
      <p>{t("network.rows", { from: shown ? from : 0, to: from + shown - 1, outOf: total })}</p>
      {pages > 1 ? (
        <nav className="pager" aria-label={t("network.page.label")}>
          {page > 1 ? (
            <Link to={to(page - 1)} rel="prev">
              {t("network.page.previous")}
            </Link>
          ) : null}
          {page < pages ? (
            <Link to={to(page + 1)} rel="next">
              {t("network.page.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
