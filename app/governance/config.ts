// Every number of the governance rules, in one place so that a network can read (and, by
// changing this file, choose) them. Sections refer to docs/governance.md.
export const governance = {
  // §1 Voice
  voiceWindowDays: 180,
  bootstrapVoiceThreshold: 5,
  bootstrapAccountAgeHours: 24,
  // §2 Hosts
  hostLapseDays: 180,
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
