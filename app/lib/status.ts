/** An initiative's status follows its sessions: idea → planned → running → completed. */
export function deriveStatus(stored: string, firstStart: number | null, lastEnd: number | null, now: number) {
  if (stored === "cancelled") return "cancelled" as const;
  if (firstStart === null || lastEnd === null) return "idea" as const;
  if (now < firstStart) return "planned" as const;
  if (now > lastEnd) return "completed" as const;
  return "running" as const;
}
