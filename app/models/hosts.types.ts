// Types the host tools, the check-in screen and day-one moderation share with their models; no server code.

/** An author's edit of hidden content that waits for acceptance (governance.md §4), as a viewer sees it. */
export type EditWaiting = { since: number; acceptances: number; acceptedByMe: boolean; canAccept: boolean };

export type ItemModeration = {
  /** Hidden by a host of the initiative, not by flags. */
  hiddenByHost: boolean;
  /** The open "restore or keep hidden" proposal the author asked for. */
  restoreProposalId: number | null;
  mayAskRestore: boolean;
  waiting: EditWaiting | null;
  canHide: boolean;
};

/** Keyed by "<kind>-<id>" (the item's anchor on the page). */
export type ContributionModeration = { hideRules: string[]; items: Record<string, ItemModeration> };

/** The host tools of one session, for a host of its initiative. */
export type SessionHostTools = { sessionId: number; startsAt: number; cancelled: boolean };
