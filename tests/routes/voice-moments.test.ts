// The kept voice replay resumes after a change that is not attendance but counts only from its
// moment on (migration 0026, ADR 062): a hold and its end, a founder named, an initiative hidden by
// flags and shown again, a meeting with attendance moved, cancelled or announced otherwise, a member
// leaving (migration 0027). Each
// gives the voices of replaying every meeting from the database, and none replays every meeting
// unless its moment is older than the replay's oldest copy of its state. Its own database: two
// founders witness every meeting, Hanna hosts.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { deleteAccount } from "~/models/account.server";
import { replayCounts } from "~/models/voice-replay.server";
import { derivedVersion } from "~/models/derived.server";
import { replayInput, voiceOfMember, voiceReplay, voiceSnapshot } from "~/models/voice.server";
import { witnessingCircle } from "../support/governance";

const { meeting, newcomer } = witnessingCircle();

/** After `change`, the kept replay gives what replaying every meeting from the database gives, having resumed or replayed everything (`how`). */
function afterChange(what: string, change: () => void, how: "resumed" | "full") {
  voiceSnapshot();
  const before = { ...replayCounts };
  change();
  const now = Date.now();
  const fresh = replayVoices(replayInput(now));
  expect(new Map(voiceSnapshot(now).voices), what).toEqual(new Map(fresh.voices));
  expect([...voiceSnapshot(now).witnesses].sort(), what).toEqual([...fresh.witnesses].sort());
  expect(voiceReplay(now).earnings, what).toEqual(fresh.earnings);
  expect(voiceReplay(now).voided, what).toEqual(fresh.voided);
  expect({ full: replayCounts.full - before.full, resumed: replayCounts.resumed - before.resumed }, what).toEqual({ full: how === "full" ? 1 : 0, resumed: how === "resumed" ? 1 : 0 });
}

describe("the kept voice replay after a change from a moment on", () => {
  it("resumes after a hold, its end, a founder named, an initiative hidden and shown again: the voices of a full replay, without replaying every meeting", async () => {
    const held = await newcomer("Vastgehouden");
    const guest = await newcomer("Gast van het verborgen initiatief");
    const named = await newcomer("Nieuwe oprichter");
    meeting(9, [held]);
    meeting(12, [named]);
    const { initiativeId } = meeting(5, [guest]);
    const log = (action: string) =>
      db().run(sql`INSERT INTO log_entries (at, action, actor_id, subject_type, subject_id, detail) VALUES (${Date.now()}, ${action}, NULL, 'initiative', ${String(initiativeId)}, '{}')`);
    const steps: [string, () => void, () => void][] = [
      ["a hold", () => db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${held.id}`), () => expect(voiceSnapshot().voices.has(held.id)).toBe(false)],
      ["its end", () => db().run(sql`UPDATE members SET posting_held_at = NULL WHERE id = ${held.id}`), () => expect(voiceSnapshot().voices.has(held.id)).toBe(true)],
      ["a founder named", () => db().run(sql`UPDATE members SET founder_at = ${Date.now()} WHERE id = ${named.id}`), () => expect(voiceOfMember(named.id).founder).toBe(true)],
      [
        "an initiative hidden by flags",
        () => {
          log("content.hidden");
          db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()} WHERE id = ${initiativeId}`);
        },
        () => expect(voiceReplay().voided.some((v) => v.memberId === guest.id)).toBe(true),
      ],
      [
        "shown again",
        () => {
          log("content.restored");
          db().run(sql`UPDATE initiatives SET hidden_at = NULL WHERE id = ${initiativeId}`);
        },
        () => expect(voiceReplay().voided.some((v) => v.memberId === guest.id)).toBe(true),
      ],
    ];
    for (const [what, change, shows] of steps) {
      afterChange(what, change, "resumed");
      shows();
    }
  });

  it("resumes after a meeting with attendance is moved, announced too late, cancelled and given back; replays every meeting when one moves from before its oldest copy", async () => {
    const guest = await newcomer("Gast van de verschoven bijeenkomst");
    const { sessionId } = meeting(4, [guest]);
    const { sessionId: older } = meeting(30, [guest]);
    const set = (id: number, values: string) => db().run(sql.raw(`UPDATE sessions SET ${values} WHERE id = ${id}`));
    const counted = () => voiceReplay().earnings.some((e) => e.memberId === guest.id && e.sessionId === sessionId);
    expect(counted()).toBe(true);
    // A form saves every value again: the same values raise nothing.
    const version = derivedVersion("voice");
    set(sessionId, "starts_at = starts_at, announced_at = announced_at, cancelled_at = cancelled_at, initiative_id = initiative_id");
    expect(derivedVersion("voice")).toBe(version);

    afterChange("moved by an hour", () => set(sessionId, "starts_at = starts_at + 3600000"), "resumed");
    afterChange("announced an hour before", () => set(sessionId, "announced_at = starts_at - 3600000"), "resumed");
    expect(voiceOfMember(guest.id).lastMiss).toMatchObject({ sessionId, why: "not-announced" });
    afterChange("announced in time again", () => set(sessionId, "announced_at = starts_at - 4 * 86400000"), "resumed");
    afterChange("cancelled", () => set(sessionId, `cancelled_at = ${Date.now()}`), "resumed");
    expect(counted()).toBe(false);
    afterChange("given back", () => set(sessionId, "cancelled_at = NULL"), "resumed");
    expect(counted()).toBe(true);
    afterChange("a month-old meeting moved by an hour", () => set(older, "starts_at = starts_at + 3600000"), "full");
  });

  it("resumes after a member leaves: at once for one who never came, from their first meeting for one who came lately; replays every meeting for one who came before its oldest copy", async () => {
    const quiet = await newcomer("Nooit gekomen");
    const lately = await newcomer("Pas gekomen");
    const early = await newcomer("Lang geleden gekomen");
    meeting(3, [lately]);
    meeting(40, [early]);
    meeting(2, [early]);
    const left = (id: string) => {
      // The member the replay keeps for a page that still asks about them: as a replay from the database gives it.
      expect(voiceReplay().member(id)).toEqual(replayVoices(replayInput(Date.now())).member(id));
      expect(voiceSnapshot().voices.has(id)).toBe(false);
    };
    afterChange("a member who never came leaves", () => deleteAccount(quiet.id), "resumed");
    left(quiet.id);
    expect(voiceReplay().earnings.some((e) => e.memberId === lately.id)).toBe(true);
    afterChange("a member who came three days ago leaves", () => deleteAccount(lately.id), "resumed");
    left(lately.id);
    expect(voiceReplay().earnings.some((e) => e.memberId === lately.id)).toBe(false);
    afterChange("a member who came forty days ago leaves", () => deleteAccount(early.id), "full");
    left(early.id);
  });
});
