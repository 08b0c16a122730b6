import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { linkTo } from "~/components/link";
import { defaultLocale, dictionaries, translator, type Locale, type MessageKey } from "~/lib/i18n";

/** The message a refusal carries (formRefusal in ~/lib/forms), when it names one the dictionaries hold. */
function refusalMessage(error: unknown): MessageKey | null {
  if (!isRouteErrorResponse(error) || !error.data || typeof error.data !== "object") return null;
  const message = (error.data as { message?: unknown }).message;
  return typeof message === "string" && Object.hasOwn(dictionaries.nl, message) ? (message as MessageKey) : null;
}

/**
 * The error page: not found, not allowed (with the reason, when the refusal names one), or
 * something that went wrong. The root's boundary, and the boundary of pages whose form refuses by
 * throwing: an error thrown by an action ends the loaders at the boundary that shows it, so a page
 * that has its own keeps the root's data (the member stays logged in in the header).
 */
export function ErrorPage() {
  const error = useRouteError();
  const root = useRouteLoaderData<{ locale: Locale }>("root");
  const t = translator(root?.locale ?? defaultLocale);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = status < 500 ? refusalMessage(error) : null;
  const message = reason ? t(reason) : status === 404 ? t("error.notFound") : status === 403 ? t("error.forbidden") : status < 500 ? t("error.badRequest") : t("error.server");
  return (
    <section className="error-page">
      <h1>{status === 404 ? t("error.notFound.title") : t("error.title")}</h1>
      <p>{message}</p>
      <p>
        <a {...linkTo("/")}>{t("error.backHome")}</a>
      </p>
    </section>
  );
}
