import { Link } from "~/components/link";
import type { MessageKey, Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

/** The page an action shows when it refuses (without JavaScript there is no other page to show). */
export function Refusal({ message, params, back, backLabel }: { message: MessageKey; params?: Params; back: string; backLabel: string }) {
  const t = useT();
  return (
    <section className="narrow">
      <h1>{t("error.title")}</h1>
      <p className="form-error" role="alert">
        {t(message, params)}
      </p>
      <p>
        <Link to={back}>← {backLabel}</Link>
      </p>
    </section>
  );
}
