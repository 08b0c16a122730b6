// The newsletter reads well: excerpts end on a whole word as clean text (no markdown), open
// proposals are listed, with "your voice is asked" for a member who may respond, on the page and
// in the mail; a visitor reads who is asked.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { translator } from "~/lib/i18n";
import { composeDigestMail, digestFor, excerpt, queueWeeklyDigests, dueDigestWeek, weekOf } from "~/models/digest.server";
import { openProposal } from "~/models/proposals.server";
import { postOutcome } from "~/models/contributions.server";
import { loader as digestIndexLoader } from "~/routes/digest._index";
import { context, getRequest, memberWithSession, settle } from "../support/requests";
import { initiativeBy } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Page = Awaited<ReturnType<typeof digestIndexLoader>>;
const thisWeek = async (cookie?: string) => (await settle(() => digestIndexLoader({ request: getRequest("/digest", { cookie }), context, params: {} }))) as Page;

describe("excerpts", () => {
  it.each([
    ["a long text ends after a whole word", "Vandaag hebben we samen gekeken naar de inloop en wat er beter kan in de wijk", 40],
    ["a word that would be cut is left out", "Samenwerkingsverbanden tussen organisaties werden onderzocht", 30],
    ["a long word after a short one is not cut in half", "Een samenwerkingsverbandenonderzoeksrapportage volgt later", 30],
    ["markdown becomes its words", "**Vet** en _schuin_ met een [link](https://example.org) en `code` en nog veel meer woorden", 45],
  ])("%s", (_what, text, max) => {
    const cut = excerpt(text, max);
    expect(cut.endsWith("…")).toBe(true);
    const words = cut.slice(0, -1).split(/\s+/);
    const all = excerpt(text, 10_000).split(/\s+/);
    // Every word of the excerpt is a whole word of the text, in order.
    expect(all.slice(0, words.length)).toEqual(words);
    expect([...cut].length).toBeLessThanOrEqual(max + 1);
    expect(cut).not.toMatch(/[*_`[\]]/);
  });

  it("leaves a short text as it is, and a text without a space in reach gives no half word", () => {
    expect(excerpt("Kort en goed.", 280)).toBe("Kort en goed.");
    expect(excerpt(`${"x".repeat(300)} y`, 100)).toBe("…");
  });
});

describe("the newsletter's page and mail", () => {
  it("shows outcomes as clean text cut on a word, and lists open proposals with who is asked", async () => {
    const voice = await memberWithSession("Vera Stem");
    makeFounder(voice.id);
    const newcomer = await memberWithSession("Nico Nieuw");
    const initiative = initiativeBy(voice.id, { title: "Wijkcafé" });
    const long = `## Wat we leerden\n\n- **Samen** koken werkt\n- Iedereen _neemt_ iets mee\n\n${"Het gesprek ging over vertrouwen en over wie de sleutel van het buurthuis heeft. ".repeat(6)}`;
    postOutcome(initiative, voice.id, { body: long, sessionId: null });
    const proposal = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Een vaste avond per maand", body: "", days: 7, effect: null }, voice.id);

    const visitorPage = await thisWeek();
    const outcome = visitorPage.digest.outcomes.find((o) => o.initiativeId === initiative)!;
    expect(outcome.body).not.toMatch(/[#*_]/);
    expect(outcome.body).toContain("Samen koken werkt");
    expect(outcome.body.endsWith("…")).toBe(true);
    const lastWord = outcome.body.slice(0, -1).trim().split(/\s+/).pop()!;
    expect(long).toMatch(new RegExp(`\\b${lastWord}\\b`));
    expect(visitorPage.digest.openProposals.map((p) => p.id)).toContain(proposal);
    expect(visitorPage.asked).toEqual([]);
    expect(visitorPage.forMembers).toBe(false);

    expect((await thisWeek(voice.cookie)).asked).toContain(proposal);
    expect((await thisWeek(newcomer.cookie)).asked).not.toContain(proposal);

    const digest = digestFor(weekOf(new Date()), { forMembers: true });
    const asked = composeDigestMail(digest, translator("nl"), "nl", [proposal]).body;
    expect(asked).toContain("Open voorstellen");
    expect(asked).toMatch(/Een vaste avond per maand \(tot .*\) — je stem wordt gevraagd/);
    const notAsked = composeDigestMail(digest, translator("nl"), "nl", []).body;
    expect(notAsked).toContain("Een vaste avond per maand");
    expect(notAsked).not.toContain("je stem wordt gevraagd");
  });

  it("asks in the weekly mail only the members who may respond", async () => {
    const voice = await memberWithSession("Wim Stem");
    makeFounder(voice.id);
    const newcomer = await memberWithSession("Olga Nieuw");
    db().run(sql`UPDATE members SET digest_opt_in = 1 WHERE id IN (${voice.id}, ${newcomer.id})`);
    // A proposal open across the week whose digest is due.
    const due = dueDigestWeek(new Date());
    const title = `Open over de week ${due.week}`;
    const id = openProposal({ scope: "network", initiativeId: null, kind: "consent", title, body: "", days: 30, effect: null }, voice.id);
    db().run(sql`UPDATE proposals SET opened_at = opened_at - ${21 * 86_400_000} WHERE id = ${id}`);
    queueWeeklyDigests(new Date());
    const mailOf = (memberId: string) => db().get<{ body: string }>(sql`SELECT body FROM outbox WHERE kind = 'digest' AND member_id = ${memberId}`).body;
    expect(mailOf(voice.id)).toMatch(new RegExp(`${title} \\(tot .*\\) — je stem wordt gevraagd`));
    expect(mailOf(newcomer.id)).toContain(title);
    expect(mailOf(newcomer.id)).not.toContain("je stem wordt gevraagd");
  });
});
