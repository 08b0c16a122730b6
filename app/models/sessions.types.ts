// Types the session pages and forms share with the sessions model (issue 14); no server code.
export const sessionModes = ["onsite", "online", "hybrid"] as const;
export type SessionMode = (typeof sessionModes)[number];

/** The session form's fields as typed (text), for filling the form in again. */
export type SessionFormValues = Partial<
  Record<"startsAt" | "endsAt" | "place" | "hostOrganisation" | "capacity" | "mode" | "onlineUrl" | "venueIds" | "repeat" | "count" | "scope" | "learningHours", string>
>;

export type VenueChoice = { id: number; name: string; address: string };
/** Venues of one organisation (null: venues of nobody) for the venue picker. */
export type VenueGroup = { organisation: string | null; venues: VenueChoice[] };

export type SessionVenue = {
  id: number;
  name: string;
  address: string;
  routeNotes: string;
  stepFree: boolean;
  hearingLoop: boolean;
  parking: boolean;
  publicTransport: boolean;
  accessNotes: string;
};
