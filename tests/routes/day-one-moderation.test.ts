// Moderation on day one (governance.md §4, issue point 8): a host hides a comment on their own
// initiative naming the rule (logged), the author asks the network to restore it; an author's
// edit of hidden content waits until a member with a voice who flagged it accepts, or two members
// with a voice, or 3 days pass without a new flag (the scheduler).
import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ruleHeadings } from "~/lib/diff";
import { runScheduledQueueing } from "~/lib/scheduler.server";
import type { ContributionView } from "~/models/contributions.server";
import type { ContributionModeration } from "~/models/hosts.types";
import { flag } from "~/models/flags.server";
import { listLog } from "~/models/log.server";
import { closeProposal, currentRules, respond } from "~/models/proposals.server";
import { postComment } from "~/models/contributions.server";
import { action as hideAction } from "~/routes/comments.$id_.hide";
import { action as restoreAction } from "~/routes/comments.$id_.restore";
import { action as editCommentAction } from "~/routes/comments.$id_.edit";
import { action as flagCommentAction } from "~/routes/comments.$id_.flag";
import { action as acceptAction } from "~/routes/content.$type.$id.accept";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
type Page = { contributions: { comments: ContributionView[]; moderation?: ContributionModeration } };

let host: Member, coHost: Member, otherHost: Member, held: Member, author: Member, v1: Member, v2: Member, v3: Member, fresh: Member;
let initiativeId: number, otherInitiative: number;
let rule: string;

const hide = (m: Member | null, id: number, fields: Record<string, string | string[]> = { rule }) =>
  settle(() => hideAction({ request: formRequest(`/comments/${id}/hide`, fields, m ? { cookie: m.cookie } : {}), context, params: { id: String(id) } }));
const accept = (m: Member, type: string, id: number) => settle(() => acceptAction({ request: formRequest(`/content/${type}/${id}/accept`, {}, { cookie: m.cookie }), context, params: { type, id: String(id) } }));
const editComment = (m: Member, id: number, body: string) => settle(() => editCommentAction({ request: formRequest(`/comments/${id}/edit`, { body }, { cookie: m.cookie }), context, params: { id: String(id) } }));
const page = async (m: Member | null) => dataOf<Page>(await initiativeLoader({ request: getRequest(`/initiatives/${initiativeId}`, m ? { cookie: m.cookie } : {}), context, params: { id: String(initiativeId) } }));
const hiddenAt = (id: number) => db().get<{ hidden_at: number | null }>(sql`SELECT hidden_at FROM comments WHERE id = ${id}`).hidden_at;
const logCount = (action: string, targetId?: number) =>
  db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action} ${targetId === undefined ? sql`` : sql`AND json_extract(detail, '$.targetId') = ${targetId}`}`).n;
const comment = (m: Member, body: string) => postComment(initiativeId, m.id, { body });

beforeAll(async () => {
  [host, coHost, otherHost, held, author, v1, v2, v3, fresh] = await Promise.all(
    ["Hanna Host", "Cees Co-host", "Olga Other", "Harm Held", "Arie Author", "Voice 1", "Voice 2", "Voice 3", "Fresh"].map((n) => memberWithSession(n)),
  );
  // Day one: the host is brand new, without a voice; three founders are the network's voices.
  for (const m of [v1, v2, v3]) makeFounder(m.id, 3 * day);
  initiativeId = initiativeBy(host.id, { title: "Buurtmoestuin" });
  otherInitiative = initiativeBy(otherHost.id, { title: "Repair café" });
  for (const m of [coHost, held]) db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${m.id}, ${Date.now()}, ${Date.now()})`);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = 'Respect' WHERE id = ${held.id}`);
  rule = ruleHeadings(currentRules().text).find((h) => h.startsWith("7. "))!;
});

describe("a host hides a comment on their own initiative", () => {
  it("hides it at once on her first day, logged with the rule, and shows the author the way to the network", async () => {
    const id = comment(author, "Hanna is een **idioot**.");
    const before = await page(host);
    expect(before.contributions.moderation?.hideRules).toContain(rule);
    expect(before.contributions.moderation?.items[`comment-${id}`].canHide).toBe(true);

    const result = (await hide(host, id)) as Response;
    expect(result.status).toBe(303);
    expect(result.headers.get("Location")).toBe(`/initiatives/${initiativeId}#comment-${id}`);
    expect(db().get(sql`SELECT hidden_rule, hidden_by FROM comments WHERE id = ${id}`)).toEqual({ hidden_rule: rule, hidden_by: host.id });
    const entry = listLog({ group: "content" }).find((e) => e.action === "content.hidden-by-host")!;
    expect(entry).toMatchObject({ actorId: host.id, subjectType: "initiative", subjectId: String(initiativeId) });
    expect(entry.detail).toMatchObject({ target: "comment", targetId: id, rule });

    // Visitors see neither the text nor a way to hide; the author sees who hid it and can ask the network.
    const visitor = (await page(null)).contributions;
    expect(visitor.comments.find((c) => c.id === id)).toMatchObject({ hidden: { rule }, bodyHtml: "" });
    expect(visitor.moderation?.hideRules).toEqual([]);
    const own = (await page(author)).contributions;
    expect(own.moderation?.items[`comment-${id}`]).toMatchObject({ hiddenByHost: true, mayAskRestore: true, restoreProposalId: null });
    // Hiding it twice changes nothing.
    expect(statusOf(await hide(coHost, id))).toBe(409);
    expect(logCount("content.hidden-by-host", id)).toBe(1);
  });

  it.each([
    ["a host of another initiative", () => otherHost, 403, "hosts.hide.notHost"],
    ["a held host", () => held, 403, "hosts.hide.held"],
    ["a member with a voice who is no host", () => v1, 403, "hosts.hide.notHost"],
    ["a fresh account", () => fresh, 403, "hosts.hide.notHost"],
  ])("refuses %s", async (_, who, status, message) => {
    const id = comment(author, "Nog een scheldwoord.");
    const result = await hide(who(), id);
    expect(statusOf(result)).toBe(status);
    expect(dataOf<{ message: string }>(result).message).toBe(message);
    expect(hiddenAt(id)).toBeNull();
    expect((await page(who())).contributions.moderation?.items[`comment-${id}`]?.canHide ?? false).toBe(false);
  });

  it("lets a co-host hide, but not with a rule that is not a heading of the house rules", async () => {
    const id = comment(author, "Weer iets lelijks.");
    expect(statusOf(await hide(coHost, id, { rule: "Ik vind het niks" }))).toBe(400);
    expect(statusOf(await hide(coHost, id, { rule: "" }))).toBe(400);
    expect(hiddenAt(id)).toBeNull();
    expect(statusOf(await hide(coHost, id))).toBe(303);
    expect(hiddenAt(id)).not.toBeNull();
  });

  it("lets only the author ask the network once; an adopted proposal restores it", async () => {
    const id = comment(author, "Dit was kritiek, geen belediging.");
    await hide(host, id);
    const ask = (m: Member) => settle(() => restoreAction({ request: formRequest(`/comments/${id}/restore`, {}, { cookie: m.cookie }), context, params: { id: String(id) } }));
    expect(statusOf(await ask(v1))).toBe(403);
    const asked = (await ask(author)) as Response;
    expect(asked.status).toBe(303);
    const proposalId = Number(/\/proposals\/(\d+)$/.exec(asked.headers.get("Location")!)![1]);
    expect(db().get(sql`SELECT scope, kind, json_extract(effect, '$.type') AS effect, opened_by FROM proposals WHERE id = ${proposalId}`)).toEqual({ scope: "network", kind: "majority", effect: "restore-content", opened_by: null });
    expect(logCount("content.restore-requested", id)).toBe(1);
    // At most one open per comment, also when asked twice at once.
    const twice = await Promise.all([ask(author), ask(author)]);
    expect(twice.map(statusOf)).toEqual([409, 409]);
    expect((await page(author)).contributions.moderation?.items[`comment-${id}`]).toMatchObject({ restoreProposalId: proposalId, mayAskRestore: false });
    for (const m of [v1, v2, v3]) respond(proposalId, m.id, "for", "");
    expect(closeProposal(proposalId, new Date(Date.now() + 8 * day))).toBe(true);
    expect(db().get(sql`SELECT hidden_at, hidden_by FROM comments WHERE id = ${id}`)).toEqual({ hidden_at: null, hidden_by: null });
  });

  it("does not let the author change a comment a host hid: a proposal decides on the text as it stands", async () => {
    const id = comment(author, "Scheldpartij.");
    await hide(host, id);
    expect(statusOf(await editComment(author, id, "Sorry!"))).toBe(409);
    expect(db().get(sql`SELECT body FROM comments WHERE id = ${id}`)).toEqual({ body: "Scheldpartij." });
    expect(hiddenAt(id)).not.toBeNull();
    expect((await page(v1)).contributions.moderation?.items[`comment-${id}`].waiting).toBeNull();
  });
});

describe("the author's edit of content hidden by flags", () => {
  let id: number;
  const flagIt = (m: Member, at = new Date()) => flag({ type: "comment", id: String(id) }, m.id, rule, "discriminerend", at);

  beforeEach(() => {
    id = comment(author, "Een discriminerende opmerking.");
    // Fewer than 10 voices: two flags hide it.
    flagIt(v1);
    expect(flagIt(v2).hidden).toBe(true);
  });

  it("keeps it hidden after an edit that adds '!', waiting for acceptance", async () => {
    expect(statusOf(await editComment(author, id, "Een discriminerende opmerking!"))).toBe(303);
    expect(hiddenAt(id)).not.toBeNull();
    expect(logCount("content.edited-while-hidden", id)).toBe(1);
    expect((await page(null)).contributions.comments.find((c) => c.id === id)?.bodyHtml).toBe("");
    const seen = (await page(v3)).contributions;
    expect(seen.comments.find((c) => c.id === id)?.bodyHtml).toContain("opmerking!");
    expect(seen.moderation?.items[`comment-${id}`].waiting).toMatchObject({ acceptances: 0, canAccept: true });
    expect((await page(author)).contributions.moderation?.items[`comment-${id}`].waiting).toMatchObject({ canAccept: false });
    // The one edit is used: a second is refused, so members accept the text they read.
    expect(statusOf(await editComment(author, id, "Nog eens"))).toBe(409);
    expect(db().get(sql`SELECT body FROM comments WHERE id = ${id}`)).toEqual({ body: "Een discriminerende opmerking!" });
    expect(logCount("content.edited-while-hidden", id)).toBe(1);
  });

  it("returns it when one member with a voice who flagged it accepts", async () => {
    await editComment(author, id, "Excuses, ik heb het aangepast.");
    expect(statusOf(await accept(v1, "comment", id))).toBe(303);
    expect(hiddenAt(id)).toBeNull();
    expect(logCount("content.edit-accepted", id)).toBe(1);
    expect(db().get(sql`SELECT json_extract(detail, '$.by') AS by FROM log_entries WHERE action = 'content.restored' AND json_extract(detail, '$.targetId') = ${id}`)).toEqual({ by: "accepted-by-flagger" });
  });

  it("does not return it when one member with a voice who did not flag accepts; two do", async () => {
    await editComment(author, id, "Aangepast.");
    expect(statusOf(await accept(v3, "comment", id))).toBe(303);
    expect(hiddenAt(id)).not.toBeNull();
    expect(statusOf(await accept(v3, "comment", id))).toBe(303);
    expect(hiddenAt(id)).not.toBeNull();
    const helper = await memberWithSession("Voice 4");
    makeFounder(helper.id, 3 * day);
    expect(statusOf(await accept(helper, "comment", id))).toBe(303);
    expect(hiddenAt(id)).toBeNull();
  });

  it("refuses acceptance from members without a voice, the author, and before the edit", async () => {
    expect(statusOf(await accept(v3, "comment", id))).toBe(409);
    await editComment(author, id, "Aangepast.");
    expect(statusOf(await accept(fresh, "comment", id))).toBe(403);
    expect(statusOf(await accept(author, "comment", id))).toBe(403);
    expect(statusOf(await accept(v3, "method", id))).toBe(404);
    expect(statusOf(await accept(v3, "comment", 999_999))).toBe(404);
    expect(hiddenAt(id)).not.toBeNull();
  });

  it("returns it after 3 days without a new flag, through the scheduler, once; a new flag restarts the wait", async () => {
    const t0 = Date.now();
    await editComment(author, id, "Aangepast.");
    runScheduledQueueing(new Date(t0 + 2 * day));
    expect(hiddenAt(id)).not.toBeNull();
    // A new flag two days after the edit: three more days from then.
    flagIt(v3, new Date(t0 + 2 * day));
    runScheduledQueueing(new Date(t0 + 3 * day + 60_000));
    expect(hiddenAt(id)).not.toBeNull();
    runScheduledQueueing(new Date(t0 + 5 * day + 60_000));
    expect(hiddenAt(id)).toBeNull();
    runScheduledQueueing(new Date(t0 + 6 * day));
    expect(logCount("content.restored", id)).toBe(1);
    expect(db().get(sql`SELECT json_extract(detail, '$.by') AS by FROM log_entries WHERE action = 'content.restored' AND json_extract(detail, '$.targetId') = ${id}`)).toEqual({ by: "no-new-flag" });
  });

  it("returns it once and logs it once when two accept at the same moment", async () => {
    await editComment(author, id, "Aangepast.");
    const results = await Promise.all([accept(v1, "comment", id), accept(v2, "comment", id)]);
    expect(results.map(statusOf)).toEqual([303, 303]);
    expect(hiddenAt(id)).toBeNull();
    expect(logCount("content.restored", id)).toBe(1);
  });

  it("confirms the flag on screen after it is saved", async () => {
    const other = comment(author, "Nog een.");
    const result = (await settle(() => flagCommentAction({ request: formRequest(`/comments/${other}/flag`, { rule, reason: "kwetsend" }, { cookie: v3.cookie }), context, params: { id: String(other) } }))) as Response;
    expect(result.status).toBe(303);
    expect(result.headers.get("Location")).toBe(`/initiatives/${initiativeId}?flagged=comment-${other}#flag-received`);
  });
});
