// The list of a session's participants as a spreadsheet file, for the initiative's hosts: names,
// organisations and places, never email addresses; in the reader's language.
import { env } from "~/lib/env.server";
import { translator, type Locale } from "~/lib/i18n";
import { toLocalDateTimeInput } from "~/lib/time";
import { isHost } from "./initiatives.server";
import { participantsOf } from "./registrations.server";
import { getSession } from "./sessions.server";

// Spreadsheet programs run cells that start with = + - @ as formulas: quote them as text.
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\n\r]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The file, or why not: "not-found" (no such session) or "not-host". */
export function participantsCsv(sessionId: number, memberId: string, locale: Locale): { csv: string; filename: string } | "not-found" | "not-host" {
  const session = getSession(sessionId);
  if (!session) return "not-found";
  if (!isHost(session.initiativeId, memberId)) return "not-host";
  const t = translator(locale);
  const header = [t("participants.csv.name"), t("participants.csv.organisation"), t("participants.csv.status"), t("participants.csv.position"), t("participants.csv.present")];
  const status = { registered: t("participants.csv.registered"), waitlisted: t("participants.csv.waitlisted"), present: t("participants.csv.hostPresent") };
  const rows = participantsOf(session.id).map((p) => [p.displayName, p.organisation, status[p.status], p.position ?? "", p.attended ? "1" : ""]);
  // Dutch spreadsheets take the semicolon as the separator (the comma is their decimal sign); a
  // comma-separated file would open in one column there.
  const separator = locale === "nl" ? ";" : ",";
  const csv = "\uFEFF" + [header, ...rows].map((row) => row.map(csvCell).join(separator)).join("\r\n") + "\r\n";
  const date = toLocalDateTimeInput(session.startsAt, env().TZ_COMMUNITY).replace(/\D+/g, "-");
  return { csv, filename: `${t("participants.csv.file")}-${session.id}-${date}.csv` };
}
