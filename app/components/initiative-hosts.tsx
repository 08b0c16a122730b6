import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

type Host = { id: string | null; displayName: string; organisation: string };
type HostRequest = { id: number; memberId: string; displayName: string };

/**
 * An initiative's hosts, and what the viewer can do about them: ask to co-host (or take up an
 * initiative without hosts), withdraw the request, answer others' requests, step back.
 */
export function InitiativeHosts(props: {
  initiativeId: number;
  hosts: Host[];
  canJoin: boolean;
  requestPending: boolean;
  hostRequests: HostRequest[];
  lazyDays: number;
  isListedHost: boolean;
}) {
  const t = useT();
  const { hosts, canJoin, requestPending, hostRequests, lazyDays, isListedHost } = props;
  const initiative = { id: props.initiativeId, hosts };
  return (
    <>
    <h2 id="hosts-heading">{t("initiative.hosts")}</h2>
    {initiative.hosts.length ? (
      <ul>
        {initiative.hosts.map((host, i) => (
          <li key={host.id ?? `host-${i}`}>
            {host.id ? <Link to={`/members/${host.id}`}>{host.displayName}</Link> : host.displayName}
            {host.organisation ? <span className="muted"> · {host.organisation}</span> : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>{t("initiative.lookingForHost")}</p>
    )}
    {canJoin ? (
      <Form method="post" action={`/initiatives/${initiative.id}/hosts`}>
        <input type="hidden" name="intent" value="join" />
        <button type="submit" className="button secondary">
          {initiative.hosts.length ? t("host.ask") : t("host.takeUp")}
        </button>
      </Form>
    ) : null}
    {requestPending ? (
      <Form method="post" action={`/initiatives/${initiative.id}/hosts`}>
        <p className="notice">{t("host.pending")}</p>
        <input type="hidden" name="intent" value="withdraw" />
        <button type="submit" className="link-button">
          {t("host.withdraw")}
        </button>
      </Form>
    ) : null}
    {hostRequests.length ? (
      <section aria-labelledby="host-requests-heading">
        <h3 id="host-requests-heading">{t("host.requests.title")}</h3>
        <p className="hint">{t("host.requests.lazy", { days: lazyDays })}</p>
        <ul className="people">
          {hostRequests.map((r) => (
            <li key={r.id}>
              <Link to={`/members/${r.memberId}`}>{r.displayName}</Link>
              <Form method="post" action={`/initiatives/${initiative.id}/hosts`} className="inline-actions">
                <input type="hidden" name="request" value={r.id} />
                <button type="submit" name="intent" value="accept" className="button secondary" aria-label={`${t("host.accept")}: ${r.displayName}`}>
                  {t("host.accept")}
                </button>{" "}
                <button type="submit" name="intent" value="decline" className="link-button" aria-label={`${t("host.decline")}: ${r.displayName}`}>
                  {t("host.decline")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
    ) : null}
    {isListedHost ? (
      // A GET to the confirm page, which holds the real POST.
      <Form method="get" action={`/initiatives/${initiative.id}/step-back`}>
        <button type="submit" className="link-button">
          {t("host.stepBack")}
        </button>
      </Form>
    ) : null}
    </>
  );
}
