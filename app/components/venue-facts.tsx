import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";
import type { SessionVenue } from "~/models/sessions.types";

/** A venue's access facts, in the order pages list them. */
export const venueAccess = ["stepFree", "hearingLoop", "parking", "publicTransport"] as const;

/** Where a session is: the venue with its address, the way there, and what it offers for access (only what it has). */
export function VenueFacts({ venue }: { venue: SessionVenue }) {
  const t = useT();
  const access = venueAccess.filter((key) => venue[key]);
  return (
    <>
      <dt>{t("session.place")}</dt>
      <dd>
        <Link to={`/venues/${venue.id}`}>{venue.name}</Link>
        {venue.address ? (
          <>
            <br />
            {venue.address}
          </>
        ) : null}
      </dd>
      {venue.routeNotes ? (
        <>
          <dt>{t("session.venue.route")}</dt>
          <dd>{venue.routeNotes}</dd>
        </>
      ) : null}
      {access.length || venue.accessNotes ? (
        <>
          <dt>{t("session.venue.access")}</dt>
          <dd>
            {access.length ? (
              <ul className="plain">
                {access.map((key) => (
                  <li key={key}>{t(`venue.${key}`)}</li>
                ))}
              </ul>
            ) : null}
            {venue.accessNotes ? <p>{venue.accessNotes}</p> : null}
          </dd>
        </>
      ) : null}
    </>
  );
}
