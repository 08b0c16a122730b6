// Signing up, asking for a new password, and logging in with the password or with the link
// mailed to a member whose account is slowed down (docs/decisions/020-login-limits.md). The login
// limits are counted before the password is checked, and before the form is read: of a hundred
// guesses sent at once, only as many as the limits allow are checked. The routes (/signup,
// /password/forgot, /login, /login/unlock/:token) say what each answer means.
import { rateLimitRules } from "~/governance/config";
import { hashPassword, verifyPassword } from "~/lib/auth.server";
import { forgotSchema, loginSchema, signupSchema, unlockSchema } from "~/lib/form-schemas.server";
import { parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { checkUnlockToken, claimUnlockAttempt, isOwnPassword, mailSignupWithKnownAddress, offerLoginUnlock, requestPasswordReset, useUpUnlockToken, type UnlockState } from "./account.server";
import { foundIfFirst } from "./founders.server";
import { welcomePath } from "./home-page.server";
import { createMember, EmailTakenError, findMemberByEmail, normaliseEmail } from "./members.server";
import { addressKey, claimWithDelay, forgetFreeAttempts, hitRateLimit, refundRateLimit } from "./rate-limits.server";

export type LoginAnswer =
  /** Too many attempts from this address. */
  | { kind: "limited"; retryAfterSeconds: number }
  /** The form is not filled in as it must be. */
  | { kind: "invalid"; errors: FieldErrors; values: Record<string, string> }
  /** Too many attempts for this address typed: slowed down (its member, if any, is mailed a link). */
  | { kind: "slowed"; email: string; retryAfterSeconds: number }
  /** No account with this address and password (which of the two is not said). */
  | { kind: "failed"; email: string }
  | { kind: "in"; memberId: string; redirectTo: string | undefined };

const addressLimitKey = (clientAddress: string) => `login:address:${addressKey(clientAddress)}`;

/** A login with an address and a password, from the form in `request`. */
export async function logIn(request: Request, clientAddress: string, now = Date.now()): Promise<LoginAnswer> {
  const byAddressKey = addressLimitKey(clientAddress);
  const byAddress = hitRateLimit(byAddressKey, rateLimitRules.loginPerAddress, now);
  if (!byAddress.allowed) return { kind: "limited", retryAfterSeconds: byAddress.retryAfterMinutes * 60 };
  const form = parseForm(loginSchema, await readFormData(request));
  if (!form.ok) return { kind: "invalid", errors: form.errors, values: form.values };
  const email = normaliseEmail(form.data.email);
  // Per address typed, whether or not an account has it, so the delay reveals nothing. The
  // attempt is claimed here, synchronously.
  const accountKey = `login:account:${email}`;
  const byAccount = claimWithDelay(accountKey, rateLimitRules.loginPerAccount, now);
  if (!byAccount.allowed) {
    // The member (if there is one) gets a link that logs in past the delay.
    offerLoginUnlock(email);
    return { kind: "slowed", email, retryAfterSeconds: byAccount.retryAfterSeconds };
  }
  const member = findMemberByEmail(email);
  const valid = await verifyPassword(member?.passwordHash ?? null, form.data.password);
  if (!member || !valid) return { kind: "failed", email };
  // The member's own typos are forgotten, and the address gets its attempt back; an account that
  // is being slowed down stays so until a day without attempts.
  forgetFreeAttempts(accountKey, rateLimitRules.loginPerAccount);
  refundRateLimit(byAddressKey, rateLimitRules.loginPerAddress, now);
  return { kind: "in", memberId: member.id, redirectTo: form.data.redirectTo };
}

export type UnlockAnswer =
  | { kind: "limited"; retryAfterMinutes: number }
  /** The link does not let anyone in (any more). */
  | { kind: "link"; state: Exclude<UnlockState, "valid"> }
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "failed" }
  | { kind: "in"; memberId: string; redirectTo: string | undefined };

/** A login with the link mailed to a slowed-down account and its password, from the form in `request`. */
export async function logInWithUnlockLink(token: string, request: Request, clientAddress: string, now = Date.now()): Promise<UnlockAnswer> {
  const byAddressKey = addressLimitKey(clientAddress);
  const byAddress = hitRateLimit(byAddressKey, rateLimitRules.loginPerAddress, now);
  if (!byAddress.allowed) return { kind: "limited", retryAfterMinutes: byAddress.retryAfterMinutes };
  const form = parseForm(unlockSchema, await readFormData(request));
  if (!form.ok) {
    const { state } = checkUnlockToken(token);
    return state !== "valid" ? { kind: "link", state } : { kind: "invalid", errors: form.errors };
  }
  // Counted before the password is checked, like every login attempt.
  const claim = claimUnlockAttempt(token);
  if (claim.state !== "valid" || !claim.memberId) return { kind: "link", state: claim.state === "valid" ? "unknown" : claim.state };
  if (!(await isOwnPassword(claim.memberId, form.data.password))) return { kind: "failed" };
  useUpUnlockToken(token);
  refundRateLimit(byAddressKey, rateLimitRules.loginPerAddress, now);
  return { kind: "in", memberId: claim.memberId, redirectTo: form.data.redirectTo };
}

export type SignupAnswer =
  | { kind: "invalid"; errors: FieldErrors; values: Record<string, string> }
  /** Too many sign-ups from this address this hour: what was typed comes back (never the password). */
  | { kind: "limited"; retryAfterMinutes: number; values: Record<string, string> }
  /** A new account, to be logged in. */
  | { kind: "new"; memberId: string; to: string }
  /**
   * The address has an account already: its member is mailed (at most once an hour), and the
   * answer must look the same as for a new account (a session that leads nowhere).
   */
  | { kind: "known"; to: string };

/** A sign-up from the form in `request`. */
export async function signUp(request: Request, clientAddress: string, now = Date.now()): Promise<SignupAnswer> {
  const form = parseForm(signupSchema, await readFormData(request));
  if (!form.ok) return { kind: "invalid", errors: form.errors, values: form.values };
  // Counted once the form is complete, before any work: only accepted sign-ups use up the limit.
  const limit = hitRateLimit(`signup:address:${addressKey(clientAddress)}`, rateLimitRules.signupPerAddress, now);
  if (!limit.allowed) return { kind: "limited", retryAfterMinutes: limit.retryAfterMinutes, values: { displayName: form.data.displayName, email: form.data.email } };
  const { email, password, displayName } = form.data;
  // A short start page first (the same for a known address: the answer must not differ), then on.
  const to = welcomePath(form.data.redirectTo);
  // Hashed either way, so that the time taken does not tell a known address from a new one.
  const passwordHash = await hashPassword(password);
  if (!findMemberByEmail(email)) {
    try {
      const memberId = createMember({ email, passwordHash, displayName, locale: resolveLocale(request, null) });
      // The first account of a fresh network is its first founder (governance.md §1).
      foundIfFirst(memberId);
      return { kind: "new", memberId, to };
    } catch (error) {
      // Two sign-ups for one address at once: the other one made the account.
      if (!(error instanceof EmailTakenError)) throw error;
    }
  }
  const holder = findMemberByEmail(email);
  if (holder) mailSignupWithKnownAddress(holder.id);
  return { kind: "known", to };
}

export type ResetRequestAnswer =
  | { kind: "invalid"; errors: FieldErrors; values: Record<string, string> }
  | { kind: "limited"; retryAfterMinutes: number; email: string }
  /** Said the same whether or not an account has this address. */
  | { kind: "sent"; email: string };

/** A new password asked for with the form in `request`: a link is mailed if an account has the address. */
export async function askPasswordReset(request: Request, clientAddress: string, now = Date.now()): Promise<ResetRequestAnswer> {
  const form = parseForm(forgotSchema, await readFormData(request));
  if (!form.ok) return { kind: "invalid", errors: form.errors, values: form.values };
  const byNetwork = hitRateLimit(`password-reset:network:${addressKey(clientAddress)}`, rateLimitRules.passwordResetPerAddress, now);
  if (!byNetwork.allowed) return { kind: "limited", retryAfterMinutes: byNetwork.retryAfterMinutes, email: form.data.email };
  const email = normaliseEmail(form.data.email);
  requestPasswordReset(email, new Date(now));
  return { kind: "sent", email };
}
