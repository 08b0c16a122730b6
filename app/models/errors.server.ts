// Domain refusals that routes turn into 4xx pages with a translated message.
export class NotAHostError extends Error {}
/** A held member (governance.md §4) has no host powers until a proposal restores them. */
export class HeldMemberError extends NotAHostError {}
/** Attendance is fixed 7 days after a session ended (governance.md §2). */
export class AttendanceFixedError extends Error {}
/** A self check-in is removed only by that member (governance.md §2). */
export class SelfCheckInError extends Error {}
