// What a refused poll action answers: a translated message and a 4xx status, never a 500.
import { NotAHostError } from "~/models/errors.server";
import { PollClosedError, PollFormError, PollFullError, PollNotFoundError, PollRateLimitError } from "~/models/polls.server";
import type { FieldErrors } from "./forms";

export function pollRefusal(error: unknown): { status: number; errors: FieldErrors; retryAfterMinutes?: number } | null {
  if (error instanceof PollNotFoundError) return { status: 404, errors: { form: "error.notFound" } };
  if (error instanceof PollClosedError) return { status: 409, errors: { form: "poll.closedError" } };
  if (error instanceof PollFullError) return { status: 409, errors: { form: "poll.full" } };
  if (error instanceof PollRateLimitError) return { status: 429, errors: { form: "poll.rateLimit" }, retryAfterMinutes: error.retryAfterMinutes };
  if (error instanceof PollFormError) return { status: 400, errors: error.errors };
  if (error instanceof NotAHostError) return { status: 403, errors: { form: "error.forbidden" } };
  return null;
}
