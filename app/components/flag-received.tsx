import { useSearchParams } from "@remix-run/react";
import { flaggedItem } from "~/lib/flag-received";
import { useT } from "~/lib/i18n/react";

/**
 * The confirmation after a flag (lib/flag-received.ts). The status region is always there, so a
 * screen reader announces the message when it appears after a page change without reload.
 */
export function FlagReceived({ loggedIn }: { loggedIn: boolean }) {
  const t = useT();
  const [params] = useSearchParams();
  const flagged = loggedIn ? params.get("flagged") : null;
  const item = flaggedItem(flagged);
  return (
    <div id="flag-received" role="status" className={flagged ? "notice flag-received" : undefined}>
      {flagged ? (
        <p>
          {t("hosts.flag.received")}
          {item ? (
            <>
              {" "}
              <a href={`#${item}`}>{t("hosts.flag.backToItem")}</a>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
