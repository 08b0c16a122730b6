// Turns a refused registration into a status and a dictionary key.
import type { MessageKey } from "./i18n";
import { AttendanceFixedError, HeldMemberError, NotAHostError, SelfCheckInError } from "~/models/errors.server";
import { CheckinClosedError, NotRegisteredError, RegistrationClosedError, StruckCheckInError, TooManyCodeAttemptsError, WrongCodeError } from "~/models/registrations.server";

export function refusalOf(error: unknown): { status: number; message: MessageKey } | null {
  if (error instanceof RegistrationClosedError) {
    if (error.reason === "not-found") return { status: 404, message: "session.closed.notFound" };
    if (error.reason === "cancelled") return { status: 409, message: "session.closed.cancelled" };
    return { status: 409, message: "session.closed.started" };
  }
  if (error instanceof NotRegisteredError) return { status: 409, message: "session.notRegistered" };
  if (error instanceof HeldMemberError) return { status: 403, message: "member.held" };
  if (error instanceof AttendanceFixedError) return { status: 409, message: "session.attendance.fixed" };
  if (error instanceof SelfCheckInError) return { status: 403, message: "session.attendance.selfCheckIn" };
  if (error instanceof NotAHostError) return { status: 403, message: "session.notHost" };
  if (error instanceof CheckinClosedError) return { status: 409, message: "session.checkin.closed" };
  if (error instanceof WrongCodeError) return { status: 400, message: "session.checkin.wrongCode" };
  if (error instanceof StruckCheckInError) return { status: 409, message: error.whose === "mine" ? "session.unseen.struckMine" : "session.unseen.struck" };
  if (error instanceof TooManyCodeAttemptsError) return { status: 429, message: "session.checkin.tooMany" };
  return null;
}
