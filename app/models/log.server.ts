// The public log (governance.md §7): one entry per governance action, append-only.
import { logEntries } from "../../db/schema";
import type { Db } from "../../db/client";

export type LogAction =
  | "initiative.created"
  | "initiative.edited"
  | "session.added"
  | "session.changed"
  | "session.cancelled"
  | "attendance.checked-in"
  | "attendance.marked"
  | "attendance.unmarked";

export type LogInput = {
  action: LogAction;
  actorId: string | null;
  subjectType: "initiative" | "session" | "member" | "proposal" | "rules" | "network";
  subjectId: string | number;
  detail?: Record<string, unknown>;
  at?: Date;
};

type Writer = Pick<Db, "insert">;

/** Appends one entry; pass the transaction so the entry commits with the action it records. */
export function appendLog(tx: Writer, entry: LogInput) {
  tx.insert(logEntries)
    .values({
      at: entry.at ?? new Date(),
      action: entry.action,
      actorId: entry.actorId,
      subjectType: entry.subjectType,
      subjectId: String(entry.subjectId),
      detail: entry.detail ?? null,
    })
    .run();
}
