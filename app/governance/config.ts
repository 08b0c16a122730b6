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
  hostMessagesPerSessionPerDay: 5,
  // §3 Proposals
  proposalDefaultDays: 7,
  proposalMinDays: 3,
  proposalMaxDays: 30,
  proposalReminderHours: 24,
  quorumMinimum: 3,
  quorumShare: 0.2,
  // a blocked consent proposal raised again needs at least this share of for + against
  fallbackMajority: { for: 2, of: 3 },
  // §4 Flags
  hideThreshold: 3,
  hideThresholdSmallNetwork: 2,
  smallNetworkVoices: 10,
  // §5 Newcomer limits (per 24 hours, for members without a voice)
  newcomerInitiativesPerDay: 3,
  newcomerCommentsPerDay: 20,
} as const;

// §5 "new accounts are rate-limited per address". Fixed windows, stored in SQLite.
export const rateLimitRules = {
  // every login attempt from one network address
  loginPerAddress: { limit: 20, windowMinutes: 15 },
  // failed logins for one account, from anywhere
  loginFailuresPerAccount: { limit: 8, windowMinutes: 15 },
  signupPerAddress: { limit: 5, windowMinutes: 60 },
  passwordResetPerAddress: { limit: 5, windowMinutes: 60 },
} as const;

export type RateLimitRule = { limit: number; windowMinutes: number };

// Course sessions and attendance (product.md; attendance gives a voice, §1).
export const sessionRules = {
  capacityMax: 10_000,
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
