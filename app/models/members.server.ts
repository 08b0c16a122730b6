import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { members } from "../../db/schema";
import { db } from "~/lib/db.server";
import type { Locale } from "~/lib/i18n";

export function normaliseEmail(email: string) {
  return email.normalize("NFC").trim().toLowerCase();
}

export function newMemberId() {
  return randomBytes(9).toString("base64url");
}

export function findMemberByEmail(email: string) {
  return db().select().from(members).where(eq(members.email, normaliseEmail(email))).get() ?? null;
}

export class EmailTakenError extends Error {}

export function createMember(input: { email: string; passwordHash: string; displayName: string; organisation?: string; locale?: Locale | null }) {
  const id = newMemberId();
  try {
    db()
      .insert(members)
      .values({
        id,
        email: normaliseEmail(input.email),
        passwordHash: input.passwordHash,
        displayName: input.displayName,
        organisation: input.organisation ?? "",
        locale: input.locale ?? null,
      })
      .run();
  } catch (error) {
    // Two sign-ups for one address at the same moment: the unique index decides.
    if (error instanceof Error && "code" in error && error.code === "SQLITE_CONSTRAINT_UNIQUE") {
      throw new EmailTakenError();
    }
    throw error;
  }
  return id;
}

export function setMemberLocale(memberId: string, locale: Locale) {
  db().update(members).set({ locale }).where(eq(members.id, memberId)).run();
}

export function getPublicMember(id: string) {
  return (
    db()
      .select({ id: members.id, displayName: members.displayName, organisation: members.organisation, createdAt: members.createdAt })
      .from(members)
      .where(eq(members.id, id))
      .get() ?? null
  );
}

export function memberByCalendarToken(token: string) {
  return db().select({ id: members.id, displayName: members.displayName }).from(members).where(eq(members.calendarToken, token)).get() ?? null;
}

/** A new secret calendar address (the old one stops working), or none with `revoke`. */
export function renewCalendarToken(memberId: string, revoke = false): string | null {
  const token = revoke ? null : randomBytes(24).toString("base64url");
  db().update(members).set({ calendarToken: token }).where(eq(members.id, memberId)).run();
  return token;
}

export function calendarTokenOf(memberId: string) {
  return db().select({ token: members.calendarToken }).from(members).where(eq(members.id, memberId)).get()?.token ?? null;
}
