// After a form: what the page it lands on says ("Opgeslagen", "Je inschrijving is geannuleerd"),
// carried in the address (?done=…) so it works without JavaScript and without a cookie; see ADR 026.
import type { MessageKey } from "./i18n";

/** How long an undo button is offered (and honoured) after an action that can be undone. */
export const undoMinutes = 10;

export const notices = {
  saved: "safe.done.saved",
  withdrawn: "safe.done.withdrawn",
  leftWaitlist: "safe.done.leftWaitlist",
  sessionCancelled: "safe.done.sessionCancelled",
  registered: "safe.done.registered",
  backOnWaitlist: "safe.done.backOnWaitlist",
  steppedBack: "safe.done.steppedBack",
  hostAgain: "safe.done.hostAgain",
  commentDeleted: "safe.done.commentDeleted",
  accountDeleted: "safe.done.accountDeleted",
  passwordChanged: "safe.done.passwordChanged",
  emailChangeSent: "safe.done.emailChangeSent",
  emailChanged: "safe.done.emailChanged",
} satisfies Record<string, MessageKey>;
export type Notice = keyof typeof notices;

/** Only these addresses take an undo: a crafted link must not turn "Undo" into some other action. */
export const undoPath = /^\/(sessions\/\d+\/undo|initiatives\/\d+\/undo-step-back)$/;

/** `path` with the notice (and an undo of the action done at `at`) added to its query. */
export function withNotice(path: string, notice: Notice, undo?: { path: string; at: number }) {
  const url = new URL(path, "http://x");
  for (const name of ["done", "undo", "at"]) url.searchParams.delete(name);
  url.searchParams.set("done", notice);
  if (undo) {
    url.searchParams.set("undo", undo.path);
    url.searchParams.set("at", String(undo.at));
  }
  return `${url.pathname}${url.search}${url.hash}`;
}
