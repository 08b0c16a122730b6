import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { initiativesMatching, postNow } from "~/models/profiles.server";
import { loader as membersLoader } from "~/routes/members._index";
import { loader as profileLoader } from "~/routes/members.$id";
import { action as nowAction, loader as nowLoader } from "~/routes/now";
import { action as profileAction } from "~/routes/settings_.profile";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { initiativeBy } from "../support/fixtures";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let fatima: Member, joost: Member, lotte: Member;

const saveProfile = (m: Member, fields: Record<string, string>) =>
  settle(() => profileAction({ request: formRequest("/settings/profile", { profileVisibility: "public", ...fields }, { cookie: m.cookie }), context, params: {} }));

beforeAll(async () => {
  [fatima, joost, lotte] = await Promise.all([memberWithSession("Fatima"), memberWithSession("Joost"), memberWithSession("Lotte")]);
  await saveProfile(fatima, { displayName: "Fatima El Amrani", organisation: "Schuldhulp Oost", work: "Budgetcoach", expertise: "schuldhulp, Armoede", bio: "Ik help **gezinnen** met geldzorgen.<script>x</script>" });
  await saveProfile(joost, { displayName: "Joost de Vries", organisation: "Bibliotheek Centrum", work: "Leesconsulent", expertise: "taal, armoede" });
  await saveProfile(lotte, { displayName: "Lotte Kramer", organisation: "Wijkteam Noord", work: "Jongerenwerker", expertise: "jeugd", profileVisibility: "members" });
});

const directory = async (query: string, cookie?: string) =>
  dataOf<{ people: { displayName: string }[] }>(await membersLoader({ request: getRequest(`/members${query}`, { cookie }), context, params: {} })).people.map((p) => p.displayName);

describe("profiles", () => {
  it("saves the profile with normalised expertise tags and renders the bio sanitised", async () => {
    const page = dataOf<{ profile: { work: string; expertise: string[]; bioHtml: string } }>(
      await profileLoader({ request: getRequest(`/members/${fatima.id}`), context, params: { id: fatima.id } }),
    );
    expect(page.profile.work).toBe("Budgetcoach");
    expect(page.profile.expertise).toEqual(["schuldhulp", "armoede"]);
    expect(page.profile.bioHtml).toContain("<strong>gezinnen</strong>");
    expect(page.profile.bioHtml).not.toContain("<script");
    expect(JSON.stringify(page)).not.toContain("@example.org");
  });

  it("refuses bad input with messages and keeps the old profile", async () => {
    const result = await saveProfile(fatima, { displayName: "", work: "w".repeat(161), expertise: Array.from({ length: 13 }, (_, i) => `t${i}`).join(","), profileVisibility: "everyone" });
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors).toMatchObject({
      displayName: "auth.displayName.required",
      work: "profile.work.tooLong",
      expertise: "profile.expertise.tooMany",
      profileVisibility: "profile.visibility.invalid",
    });
    expect(db().get(sql`SELECT display_name FROM members WHERE id = ${fatima.id}`)).toEqual({ display_name: "Fatima El Amrani" });
  });

  it("shows a members-only profile to members, and to visitors only a way to log in", async () => {
    const visitor = dataOf<{ restricted: boolean; profile: { name: string } }>(await profileLoader({ request: getRequest(`/members/${lotte.id}`), context, params: { id: lotte.id } }));
    expect(visitor.restricted).toBe(true);
    expect(JSON.stringify(visitor)).not.toContain("Lotte");
    const member = dataOf<{ restricted: boolean; profile: { name: string } }>(await profileLoader({ request: getRequest(`/members/${lotte.id}`, { cookie: joost.cookie }), context, params: { id: lotte.id } }));
    expect(member.profile.name).toBe("Lotte Kramer");
  });

  it("marks a 'now' older than 60 days as stale", async () => {
    postNow(joost.id, "Ik start een voorleesproject in de wijk", new Date(Date.now() - 61 * 86_400_000));
    const page = dataOf<{ profile: { nowText: string; nowStale: boolean } }>(await profileLoader({ request: getRequest(`/members/${joost.id}`), context, params: { id: joost.id } }));
    expect(page.profile).toMatchObject({ nowText: "Ik start een voorleesproject in de wijk", nowStale: true });
    postNow(joost.id, "Ik zoek vrijwilligers voor het voorleesproject");
    const fresh = dataOf<{ profile: { nowStale: boolean } }>(await profileLoader({ request: getRequest(`/members/${joost.id}`), context, params: { id: joost.id } }));
    expect(fresh.profile.nowStale).toBe(false);
  });

  it("answers 404 for unknown members", async () => {
    expect(statusOf(await settle(() => profileLoader({ request: getRequest("/members/nobody"), context, params: { id: "nobody" } })))).toBe(404);
  });
});

describe("the directory", () => {
  it("searches name, organisation, expertise, work and now, with or without diacritics", async () => {
    expect(await directory("?q=fatima")).toEqual(["Fatima El Amrani"]);
    expect(await directory("?q=bibliotheek")).toEqual(["Joost de Vries"]);
    expect(await directory("?q=schuldhulp")).toEqual(["Fatima El Amrani"]);
    expect(await directory("?q=budgetcoach")).toEqual(["Fatima El Amrani"]);
    expect(await directory("?q=voorleesproject")).toEqual(["Joost de Vries"]);
    expect(await directory("?q=armoede")).toEqual(["Fatima El Amrani", "Joost de Vries"]);
  });

  it("filters by organisation and by tag, and hides members-only profiles from visitors", async () => {
    expect(await directory(`?organisation=${encodeURIComponent("Bibliotheek Centrum")}`)).toEqual(["Joost de Vries"]);
    expect(await directory("?tag=armoede")).toEqual(["Fatima El Amrani", "Joost de Vries"]);
    expect(await directory("?tag=jeugd")).toEqual([]);
    expect(await directory("?tag=jeugd", fatima.cookie)).toEqual(["Lotte Kramer"]);
  });

  it("keeps what a member's directory read apart from a visitor's, with nothing written in between", async () => {
    // The lists are read once for all viewers of one kind while nothing changes (ADR 040).
    for (let round = 0; round < 2; round++) {
      expect(await directory("", fatima.cookie)).toContain("Lotte Kramer");
      expect(await directory("")).not.toContain("Lotte Kramer");
      expect(await directory("?tag=jeugd")).toEqual([]);
      expect(await directory("?tag=jeugd", joost.cookie)).toEqual(["Lotte Kramer"]);
    }
    const organisations = async (cookie?: string) => dataOf<{ organisations: string[] }>(await membersLoader({ request: getRequest("/members", { cookie }), context, params: {} })).organisations;
    expect(await organisations(fatima.cookie)).toContain("Wijkteam Noord");
    expect(await organisations()).not.toContain("Wijkteam Noord");
  });

  it("shows people working on the same tag on profiles and initiatives", async () => {
    const page = dataOf<{ colleagues: { displayName: string; shared: string[] }[] }>(await profileLoader({ request: getRequest(`/members/${fatima.id}`), context, params: { id: fatima.id } }));
    expect(page.colleagues).toEqual([expect.objectContaining({ displayName: "Joost de Vries", shared: ["armoede"] })]);
    const id = initiativeBy(lotte.id, { title: "Geldlessen voor jongeren", tags: "armoede, jeugd" });
    const initiative = dataOf<{ sameTagPeople: { displayName: string }[] }>(await initiativeLoader({ request: getRequest(`/initiatives/${id}`), context, params: { id: String(id) } }));
    expect(initiative.sameTagPeople.map((p) => p.displayName)).toEqual(["Fatima El Amrani", "Joost de Vries"]);
  });
});

describe("now", () => {
  it("lists recent updates newest first, with the initiatives and people they connect to", async () => {
    initiativeBy(fatima.id, { title: "Voorleesproject zoekt vrijwilligers", tags: "taal" });
    const result = await settle(() => nowAction({ request: formRequest("/now", { now: "Ik geef workshops over armoede en schulden" }, { cookie: fatima.cookie }), context, params: {} }));
    expect(statusOf(result)).toBe(303);
    const page = dataOf<{ updates: { displayName: string; text: string; initiatives: { title: string }[]; people: { displayName: string }[] }[] }>(
      await nowLoader({ request: getRequest("/now"), context, params: {} }),
    );
    expect(page.updates[0]).toMatchObject({ displayName: "Fatima El Amrani", text: "Ik geef workshops over armoede en schulden" });
    expect(page.updates[0].people.map((p) => p.displayName)).toContain("Joost de Vries");
    const joosts = page.updates.find((u) => u.text.includes("vrijwilligers voor het voorleesproject"))!;
    expect(joosts.initiatives.map((i) => i.title)).toContain("Voorleesproject zoekt vrijwilligers");
  });

  it("refuses an empty or overlong now", async () => {
    expect(statusOf(await settle(() => nowAction({ request: formRequest("/now", { now: "" }, { cookie: fatima.cookie }), context, params: {} })))).toBe(400);
    expect(statusOf(await settle(() => nowAction({ request: formRequest("/now", { now: "x".repeat(281) }, { cookie: fatima.cookie }), context, params: {} })))).toBe(400);
  });

  it("connects a line to the newest initiatives sharing a tag or a word, hidden ones left out, as one query over all of them would", () => {
    // Initiatives with words and tags from small sets, every fifth hidden.
    const words = ["buurtkamer", "taalcafé", "schuldhulp", "wandelgroep", "voorlezen"];
    const tagSet = ["taal", "armoede", "jeugd", "zorg"];
    for (let i = 0; i < 40; i++) {
      const id = initiativeBy(fatima.id, { title: `${words[i % 5]} en ${words[(i * 3) % 5]} ${i}`, tags: [tagSet[i % 4], tagSet[(i * 7) % 4]].join(", ") });
      if (i % 5 === 2) db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()} WHERE id = ${id}`);
    }
    const reference = (text: string, tags: string[], limit: number) => {
      const found = (text.toLocaleLowerCase("nl").match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => w !== "voor").slice(0, 8);
      const byTag = tags.length ? sql`i.id IN (SELECT initiative_id FROM initiative_tags WHERE tag IN (${sql.join(tags.map((t) => sql`${t}`), sql`, `)}))` : sql`0`;
      const byWords = found.length ? sql`i.id IN (SELECT rowid FROM initiatives_fts WHERE initiatives_fts MATCH ${found.map((w) => `"${w}"`).join(" OR ")})` : sql`0`;
      return db().all<{ id: number; title: string }>(sql`SELECT i.id, i.title FROM initiatives i WHERE i.hidden_at IS NULL AND (${byTag} OR ${byWords}) ORDER BY i.id DESC LIMIT ${limit}`);
    };
    const asked: [string, string[]][] = [
      ["Wie kent een buurtkamer?", []],
      ["Ik zoek hulp bij het voorlezen", ["jeugd"]],
      ["nothing matches here at all", ["taal", "armoede"]],
      ["taalcafé schuldhulp wandelgroep", ["zorg", "jeugd", "taal"]],
      ["", []],
      ["geen woord dat past", ["onbekend"]],
    ];
    for (const [text, tags] of asked) {
      for (const limit of [1, 3, 10]) expect(initiativesMatching(text, tags, limit), `${text} ${tags} ${limit}`).toEqual(reference(text, tags, limit));
    }
    expect(initiativesMatching("Wie kent een buurtkamer?", [], 3)).toHaveLength(3);
  });
});

