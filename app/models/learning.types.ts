// Types the record-of-learning pages share with their models (issue 15); no server code.

/** A host as the record shows them: id null when the reader may not know who it is. */
export type LearningHost = { id: string | null; name: string };

export type LearningSession = {
  sessionId: number;
  /** null: a hidden initiative, whose title and address the reader may not see. */
  initiative: { id: number; title: string } | null;
  startsAt: number;
  endsAt: number;
  /** Learning minutes: what the hosts gave the session, or its length. */
  minutes: number;
  year: number;
  attendance: "code" | "host";
  hosts: LearningHost[];
  methods: { id: number; title: string }[];
};

export type LearningTotals = { sessions: number; minutes: number };
export type LearningYear = LearningTotals & { year: number };

/** For a long record, the year and page of its sessions a page lists. */
export type SessionListing = { year: number; page: number; pages: number; from: number; total: number };

export type LearningRecord = {
  /** Newest first. */
  sessions: LearningSession[];
  /** Newest year first. */
  years: LearningYear[];
  total: LearningTotals;
};

/** What a verification link said then and the database says now about one session. */
export type FactChange = {
  sessionId: number;
  kind: "removed" | "added" | "changed";
  minutesThen: number | null;
  minutesNow: number | null;
  /** null: the session no longer exists. */
  startsAt: number | null;
  /** null: a hidden initiative, or a session that no longer exists (see startsAt). */
  title: string | null;
};

export type LearningLinkView = {
  code: string;
  url: string;
  year: number | null;
  name: string;
  createdAt: number;
  withdrawnAt: number | null;
  /** Whether the database still says what it said when the link was made. */
  matches: boolean;
};
