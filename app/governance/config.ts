// Every number of the governance rules, in one place so that a network can read (and, by
// changing this file, choose) them. Sections refer to docs/governance.md.
export const governance = {
  // §1 Voice (version 2)
  // A voice lasts this long after the latest meeting that counted.
  voiceWindowDays: 180,
  // A witness has held a voice without a break for this long (or is a founder with a voice).
  witnessDays: 30,
  // A meeting counts when its time and place stood on the agenda this long before it started …
  announceHours: 48,
  // … at least this many witnesses other than the member checked in there themselves …
  witnessesPerMeeting: 2,
  // … and its initiative was not hidden by flags within this long after the meeting.
  voidWindowDays: 14,
  // The member's account was at least this old when the meeting started.
  accountAgeDays: 7,
  // The voice starts this long after the meeting: the network's window to void it.
  pendingDays: 7,
  // Growth brake: in any 7 days at most max(5, 25% of the voices) new voices start.
  brakeWindowDays: 7,
  brakeMinimum: 5,
  brakeShare: 0.25,
  // Bootstrap: while fewer than 5 members have an earned voice, the founders have one.
  bootstrapVoiceThreshold: 5,
  bootstrapAccountAgeHours: 24,
  maxFounders: 15,
  founderInvitationDays: 14,
  // §2 Hosts
  hostLapseDays: 180,
  // A co-host request from a member with a voice that no host answers is accepted after this long.
  hostRequestLazyConsentDays: 7,
  // Attendance can be changed until this long after the session ended; then it is fixed.
  attendanceFixedAfterDays: 7,
  // Within that time, this many witnesses who were at a meeting themselves strike the attendance of
  // someone they did not see there (a code that got out, a host marking people present who never
  // came; docs/decisions/051).
  unseenCheckInWitnesses: 2,
  hostMessagesPerSessionPerDay: 5,
  // §3 Proposals
  proposalDefaultDays: 7,
  // Also the least time an amended proposal keeps: a deadline nearer than this moves out to it.
  proposalMinDays: 3,
  proposalMaxDays: 30,
  proposalReminderHours: 24,
  // Closing early (docs/decisions/029): once every eligible member has responded, the positions
  // must stand unchanged this long (the last call, mailed) before the proposal closes.
  proposalLastCallHours: 24,
  quorumMinimum: 3,
  quorumShare: 0.2,
  // a blocked consent proposal raised again needs at least this share of for + against
  fallbackMajority: { for: 2, of: 3 },
  // §4 Flags
  hideThreshold: 3,
  hideThresholdSmallNetwork: 2,
  smallNetworkVoices: 10,
  // A witness flags at most this many members in any 7 days: a hold takes a voice away at once,
  // and a few witnesses must not hold a whole network in minutes.
  memberFlagsPerWeek: 1,
  // The author's one edit of hidden content returns it when this many members with a voice who
  // flagged it accept the edit, or this many members with a voice in all, or after this many
  // days without a new flag.
  editAcceptedByFlaggers: 1,
  editAcceptedByVoices: 2,
  editReturnsAfterDays: 3,
  // §5 Newcomer limits (per 24 hours, for members without a voice)
  newcomerInitiativesPerDay: 3,
  newcomerCommentsPerDay: 20,
  // A member without a voice asks the network to restore a comment a host hid (§4) at most this
  // many times in `newcomerRestoreDays`: each ask opens a network proposal and mails every member
  // with a voice, so two fresh accounts (one hosting, one commenting) must not open them by the
  // dozen.
  newcomerRestoreRequests: 1,
  newcomerRestoreDays: 7,
  // Members without a voice add at most this many sessions in 24 hours: a weekly series for a
  // year and a few more, not thousands of agenda entries from one fresh account.
  newcomerSessionsPerDay: 60,
} as const;

// §5 "new accounts are rate-limited per address". Stored in SQLite, and counted before the work
// they guard (docs/decisions/020-login-limits.md). "Address" is the network address (an IPv6
// address by its /64); an account is the email address typed, whether or not it has an account.
export const rateLimitRules = {
  // Login attempts from one network address (fixed window), counted before the password is
  // checked; a login that succeeds gives its attempt back, so a room logging in together is fine.
  loginPerAddress: { limit: 20, windowMinutes: 15 },
  // Login attempts on one account, from anywhere, counted before the password is checked. The
  // first `limit` go at once; after that each next attempt waits twice as long as the one before,
  // from `delaySeconds` up to `maxDelayMinutes`. Forgotten after `windowMinutes` without attempts,
  // and a successful login forgets the attempts while they are still within `limit`. The member
  // is mailed a link that logs in past the delay (loginUnlock), so the delay never locks them out.
  loginPerAccount: { limit: 5, windowMinutes: 24 * 60, delaySeconds: 30, maxDelayMinutes: 60 },
  // An unlock link works for `windowMinutes` and `limit` password attempts; at most one is mailed
  // per account per `mailEveryMinutes`.
  loginUnlock: { limit: 5, windowMinutes: 60, mailEveryMinutes: 60 },
  // Asking for your password again (leaving the network) with a login session: wrong passwords.
  loginFailuresPerAccount: { limit: 8, windowMinutes: 15 },
  // Accepted sign-ups from one network address (a sign-up with an address that already has an
  // account counts like any other, so the limit does not tell them apart); forms refused for
  // their content do not count. A room of 30 can make their accounts together.
  signupPerAddress: { limit: 30, windowMinutes: 60 },
  // Reset requests from one network address. Over the limit the page says so (429); there is no
  // limit per account typed, so nobody else's requests can use up the member's.
  passwordResetPerAddress: { limit: 5, windowMinutes: 60 },
  // Asking to change one's e-mail address (each request mails a link to the new address and a
  // notice to the old one), per account, counted before the password is checked.
  emailChangePerAccount: { limit: 5, windowMinutes: 60 },
} as const;

export type RateLimitRule = { limit: number; windowMinutes: number };

// Course sessions and attendance (product.md; attendance gives a voice, §1).
export const sessionRules = {
  capacityMax: 10_000,
  // A series of sessions added at once: at most a year of weekly meetings (issue 14).
  seriesMax: 52,
  // A session lasts at most this long (a weekend retreat fits; a course is several sessions).
  maxLengthDays: 14,
  // Check-in is open from this long before the start …
  checkinOpensMinutesBefore: 30,
  // … until this long after the end.
  checkinClosesHoursAfter: 2,
  checkinCodeLength: 6,
  checkinAttemptsPerSession: { limit: 10, windowMinutes: 60 },
  reminderHoursBefore: 24,
} as const;

// Organisations and venues (issue 14). Adding a name or a place is posting, not a right over
// anything; these limits only keep one account from flooding the lists.
export const organisationRules = {
  nameMax: 120,
  newPerMemberPerDay: { limit: 5, windowMinutes: 24 * 60 },
  // The most names the pick list (<datalist>) offers; a longer list is typed, not scrolled.
  pickListSize: 500,
  // The explanation that goes with a proposal to merge two spellings.
  mergeReasonMax: 2000,
} as const;

export const venueRules = {
  nameMax: 120,
  addressMax: 200,
  notesMax: 1000,
  newPerMemberPerDay: { limit: 20, windowMinutes: 24 * 60 },
} as const;

// Messages between members (/members/:id/message), relayed by mail. Counted per sender per 24
// hours, before the mail is queued; a member with a voice has taken part and may write more
// (governance.md §5, newcomer limits). A member whose posting is held sends none (§4).
export const contactRules = {
  messageMax: 5000,
  perDayWithVoice: { limit: 20, windowMinutes: 24 * 60 },
  perDayWithoutVoice: { limit: 5, windowMinutes: 24 * 60 },
} as const;

// Date polls ("prikken", issue 17): a host offers dates, members and visitors with the link answer.
export const pollRules = {
  optionsMin: 2,
  optionsMax: 20,
  // Rows the form offers at first, and how many "more rows" adds (without JavaScript too).
  formRows: 5,
  titleMax: 160,
  noteMax: 2000,
  nameMax: 80,
  responsesMax: 500,
  // Answers by visitors (no account) per network address; members answer once per poll anyway.
  visitorAnswersPerAddress: { limit: 30, windowMinutes: 60 },
  // Bytes of randomness in the poll's link and in a visitor's edit link (128 bits or more).
  codeBytes: 18,
} as const;
