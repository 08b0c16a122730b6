// Types the date poll pages and components share with the polls model (issue 17); no server code.
export const pollAnswerValues = ["yes", "maybe", "no"] as const;
export type PollAnswer = (typeof pollAnswerValues)[number];
export const pollModes = ["onsite", "online", "hybrid"] as const;
export type PollMode = (typeof pollModes)[number];

/** One row of the offer form, as typed. */
export type PollOptionDraft = { date: string; start: string; end: string; venueId: string; place: string; mode: string };

export type PollOptionView = {
  id: number;
  /** Already formatted in the community time zone ("di 3 nov. 2026, 19:30–21:30"). */
  when: string;
  place: string;
  mode: PollMode;
  counts: Record<PollAnswer, number>;
  names: Record<PollAnswer, string[]>;
  chosen: boolean;
  /** The viewer's own answer, when they answered (or opened their edit link). */
  mine: PollAnswer | null;
};

export type PollPageView = {
  code: string;
  title: string;
  note: string;
  initiative: { id: number; title: string };
  closed: boolean;
  sessionId: number | null;
  options: PollOptionView[];
  responseCount: number;
  timeZone: string;
  /** Who answers: a member under their own name, or a visitor who types one. */
  answerer: { kind: "member"; name: string } | { kind: "visitor"; name: string; editCode: string | null; editUrl: string | null };
  answered: boolean;
  can: { answer: boolean; close: boolean; makeSession: boolean };
  full: boolean;
};

/** What was typed and chosen in the answer form, given back with a refused answer. */
export type PollTypedAnswers = { name: string; answers: Record<string, PollAnswer> };

export type PollListItem = { code: string; title: string; closed: boolean; sessionId: number | null };
