import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";
import type { SessionMethodsView } from "~/models/methods.types";

/** "We used: …" on a session page; its hosts add and remove methods by name. */
export function SessionMethods({ sessionId, methods }: { sessionId: number; methods: SessionMethodsView }) {
  const t = useT();
  const { used, choices } = methods;
  if (!used.length && !choices) return null;
  return (
    <section aria-labelledby="methods-heading">
      <h2 id="methods-heading">{t("method.session.title")}</h2>
      {used.length ? (
        <>
          <p>{t("method.session.used")}</p>
          <ul className="session-methods">
            {used.map((m) => (
              <li key={m.id}>
                <Link to={`/methods/${m.id}`}>{m.title}</Link>
                {choices ? (
                  <Form method="post" action={`/sessions/${sessionId}/methods`} className="inline">
                    <input type="hidden" name="intent" value="remove" />
                    <input type="hidden" name="methodId" value={m.id} />
                    <button type="submit" className="link-button">
                      {t("method.session.remove")}
                      <span className="visually-hidden">: {m.title}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">{t("method.session.none")}</p>
      )}
      {choices ? (
        <Form method="post" action={`/sessions/${sessionId}/methods`} className="inline-fields">
          <input type="hidden" name="intent" value="add" />
          <label htmlFor="method-name">{t("method.session.add")}</label>
          <input id="method-name" name="name" list="method-titles" maxLength={120} required aria-describedby="method-name-hint" autoComplete="off" />
          <datalist id="method-titles">
            {choices.map((title) => (
              <option key={title} value={title} />
            ))}
          </datalist>
          <button type="submit" className="button">
            {t("method.session.submit")}
          </button>
          <p className="hint" id="method-name-hint">
            {t("method.session.addHint")} <Link to="/methods">{t("method.backToList")}</Link>
          </p>
        </Form>
      ) : null}
    </section>
  );
}
