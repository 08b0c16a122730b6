import { Form, useLocation } from "@remix-run/react";
import { notices, undoMinutes, undoPath, type Notice as NoticeName } from "~/lib/notice";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatter } from "~/lib/time";

/** The line a page shows after a form landed here (?done=…), with an undo button where undo is possible. */
export function Notice() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const query = new URLSearchParams(useLocation().search);
  const done = query.get("done") ?? "";
  if (!Object.hasOwn(notices, done)) return null;
  const undo = query.get("undo") ?? "";
  const at = Number(query.get("at"));
  const mayUndo = undoPath.test(undo) && Number.isSafeInteger(at) && at > 0;
  const until = formatter(locale, { timeZone, hour: "2-digit", minute: "2-digit" }).format(at + undoMinutes * 60_000);
  return (
    <div className="notice" role="status">
      <p>{t(notices[done as NoticeName])}</p>
      {mayUndo ? (
        <Form method="post" action={undo} className="inline-fields">
          <input type="hidden" name="at" value={at} />
          <button type="submit" className="button secondary">
            {t("safe.undo")}
          </button>
          <span className="hint">{t("safe.undo.until", { time: until })}</span>
        </Form>
      ) : null}
    </div>
  );
}
