// A member writes to another member (/members/:id/message) through the real server, which relays
// the message by mail to a real SMTP server: the recipient's address never reaches the sender, the
// sender's address is the Reply-To only when ticked, the limits per day hold (also for requests at
// once), and the text does not stay in the outbox once delivered.
import type Database from "better-sqlite3";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactRules } from "~/governance/config";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { startSmtp } from "../support/smtp";

type Who = { id: string; cookie: string; email: string };

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let server: RunningServer;
let sqlite: Database.Database;
let anna: Who, bram: Who, voiced: Who, held: Who, closed: Who, former: Who, newbie: Who, racer: Who;

const day = 86_400_000;

function post(path: string, fields: Record<string, string>, cookie?: string) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: { "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) } });
const send = (from: Who, to: { id: string }, body: string, extra: Record<string, string> = {}) => post(`/members/${to.id}/message`, { body, ...extra }, from.cookie);

const sentBy = (sender: Who) =>
  sqlite.prepare("SELECT count(*) FROM outbox WHERE kind = 'member-message' AND (dedupe_key LIKE ? OR dedupe_key LIKE ?)").pluck().get(`member-message:reply:${sender.id}:%`, `member-message:private:${sender.id}:%`) as number;

/** Waits until the SMTP server has received a mail to `address` whose text contains `marker`. */
async function mailTo(address: string, marker: string): Promise<{ parsed: ParsedMail; raw: string }> {
  for (let i = 0; i < 200; i++) {
    for (const mail of smtp.received.filter((m) => m.to.includes(address))) {
      const parsed = await simpleParser(mail.raw);
      if ((parsed.text ?? "").includes(marker)) return { parsed, raw: mail.raw };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} with ${marker}`);
}

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: "Meedoen <meedoen@example.org>", SCHEDULER_INTERVAL_MS: "200" });
  sqlite = openServerDatabase(server.databasePath);
  const rows = insertMembers(sqlite, 8, "contact");
  [anna, bram, voiced, held, closed, former, newbie, racer] = rows.map((r) => ({ ...r, email: `${r.id}@example.org` }));
  const old = Date.now() - 30 * day;
  sqlite.prepare("UPDATE members SET display_name = 'Anna de Vries', organisation = 'Buurtwerk Oost' WHERE id = ?").run(anna.id);
  sqlite.prepare("UPDATE members SET display_name = 'Bram Jansen' WHERE id = ?").run(bram.id);
  // During the bootstrap a founder with an account older than a day has a voice.
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, voiced.id);
  sqlite.prepare("UPDATE members SET created_at = ?, posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(old, Date.now(), held.id);
  sqlite.prepare("UPDATE members SET contact_off = 1, display_name = 'Carla Dicht' WHERE id = ?").run(closed.id);
  sqlite.prepare("UPDATE members SET deleted_at = ?, display_name = '', email = 'deleted-' || id WHERE id = ?").run(Date.now(), former.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
  await smtp?.close();
});

describe("the form", () => {
  it("sends a visitor to log in first, and back to the form afterwards", async () => {
    const res = await get(`/members/${bram.id}/message`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/members/${bram.id}/message`)}`);
  });

  it("shows a member the form with the tick box, the limit, and never the recipient's address", async () => {
    const res = await get(`/members/${bram.id}/message`, anna.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Bericht aan Bram Jansen");
    expect(html).toContain("Mijn e-mailadres meesturen zodat Bram Jansen direct kan antwoorden");
    expect(html).toContain(`hoogstens ${contactRules.perDayWithoutVoice.limit} berichten per dag`);
    expect(html).not.toContain(bram.email);
  });

  it("offers 'Stuur een bericht' on the profile, to visitors too", async () => {
    for (const cookie of [anna.cookie, undefined]) {
      const html = await (await get(`/members/${bram.id}`, cookie)).text();
      expect(html).toContain(`href="/members/${bram.id}/message"`);
      expect(html).toContain("Stuur een bericht");
    }
    // Not on one's own profile.
    expect(await (await get(`/members/${bram.id}`, bram.cookie)).text()).not.toContain(`/members/${bram.id}/message`);
  });
});

describe("sending", () => {
  it("relays the message by mail without the sender's address when the box is not ticked", async () => {
    const text = "Hoi Bram, ik zoek iemand die weet hoe jullie de inloop organiseren. Bel je me?";
    const res = await send(anna, bram, text);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/members/${bram.id}/message?sent=1`);
    const done = await get(res.headers.get("location")!, anna.cookie);
    const page = await done.text();
    expect(page).toContain("Je bericht is verstuurd");
    // Nothing the sender sees holds the recipient's address.
    expect(page + JSON.stringify([...res.headers])).not.toContain(bram.email);

    const { parsed, raw } = await mailTo(bram.email, text);
    expect(parsed.to && "value" in parsed.to ? parsed.to.value.map((v) => v.address) : []).toEqual([bram.email]);
    expect(parsed.from?.value[0].address).toBe("meedoen@example.org");
    expect(parsed.replyTo).toBeUndefined();
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(parsed.subject).toBe("Anna de Vries stuurt je een bericht via Meedoen");
    const body = parsed.text ?? "";
    expect(body).toContain(text);
    expect(body).toContain("Anna de Vries (Buurtwerk Oost)");
    expect(body).toContain(`/members/${anna.id}`);
    // How to answer without an address, and how to switch messages off.
    expect(body).toContain(`/members/${anna.id}/message`);
    expect(body).toContain("/settings#contact");
    expect(raw).not.toContain(anna.email);
  });

  it("puts the sender's address in Reply-To only when the box is ticked", async () => {
    const text = "Mag ik je iets vragen over de cursus? Antwoord gerust direct.";
    expect((await send(anna, bram, text, { replyTo: "on" })).status).toBe(303);
    const { parsed } = await mailTo(bram.email, text);
    expect(parsed.replyTo?.value.map((v) => v.address)).toEqual([anna.email]);
    expect(parsed.text).toContain("Antwoord je op deze mail");
  });

  it("keeps only that a message was sent: its text is blanked once delivered", async () => {
    const text = "Dit is een vertrouwelijk bericht over een cliënt dat niet bewaard mag blijven.";
    expect((await send(bram, anna, text)).status).toBe(303);
    await mailTo(anna.email, text);
    let row: { body: string; sent_at: number | null } | undefined;
    for (let i = 0; i < 100; i++) {
      row = sqlite.prepare("SELECT body, sent_at FROM outbox WHERE kind = 'member-message' AND member_id = ? ORDER BY id DESC LIMIT 1").get(anna.id) as typeof row;
      if (row?.sent_at) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.sent_at).toBeTruthy();
    expect(row?.body).toBe("");
    const everything = JSON.stringify(sqlite.prepare("SELECT * FROM outbox").all()) + JSON.stringify(sqlite.prepare("SELECT * FROM log_entries").all());
    expect(everything).not.toContain("vertrouwelijk");
    // The count stays: the rate-limit counter of the sender.
    expect(sqlite.prepare("SELECT count FROM rate_limits WHERE key = ?").pluck().get(`contact:member:${bram.id}`)).toBe(1);
  });

  it("sends the same message clicked twice once, and counts it once", async () => {
    const before = sentBy(bram);
    const text = "Dubbel geklikt: dit bericht gaat maar één keer.";
    expect((await send(bram, voiced, text)).status).toBe(303);
    expect((await send(bram, voiced, text)).status).toBe(303);
    expect(sentBy(bram)).toBe(before + 1);
  });
});

describe("limits per 24 hours", () => {
  it(`lets a member without a voice send ${contactRules.perDayWithoutVoice.limit}, then says to try tomorrow`, async () => {
    for (let i = 0; i < contactRules.perDayWithoutVoice.limit; i++) expect((await send(newbie, bram, `Bericht nummer ${i}`)).status).toBe(303);
    const over = await send(newbie, bram, "Nog eentje");
    expect(over.status).toBe(429);
    expect(await over.text()).toContain("Probeer het morgen opnieuw");
    expect(sentBy(newbie)).toBe(contactRules.perDayWithoutVoice.limit);
    // The form says so too.
    expect((await get(`/members/${anna.id}/message`, newbie.cookie)).status).toBe(429);
  });

  it(`lets a member with a voice send ${contactRules.perDayWithVoice.limit}`, async () => {
    for (let i = 0; i < contactRules.perDayWithVoice.limit; i++) expect((await send(voiced, bram, `Van iemand met een stem ${i}`)).status).toBe(303);
    expect((await send(voiced, bram, "Eén te veel")).status).toBe(429);
    expect(sentBy(voiced)).toBe(contactRules.perDayWithVoice.limit);
  });

  it("sends exactly the allowed number when many requests arrive at once", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => send(racer, anna, `Tegelijk verstuurd ${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(contactRules.perDayWithoutVoice.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - contactRules.perDayWithoutVoice.limit);
    expect(sentBy(racer)).toBe(contactRules.perDayWithoutVoice.limit);
  });
});

describe("refusals", () => {
  it("refuses a held member with a translated 403, on the form and on sending", async () => {
    const form = await get(`/members/${bram.id}/message`, held.cookie);
    expect(form.status).toBe(403);
    expect(await form.text()).toContain("je staat op pauze");
    const res = await send(held, bram, "Hallo");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("je staat op pauze");
    expect(sentBy(held)).toBe(0);
  });

  it("refuses a message to a member who switched messages off, and the profile says so", async () => {
    const res = await send(anna, closed, "Hallo Carla");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Carla Dicht ontvangt geen berichten van andere deelnemers");
    const profile = await (await get(`/members/${closed.id}`, anna.cookie)).text();
    expect(profile).toContain("ontvangt geen berichten via het netwerk");
    expect(profile).not.toContain(`/members/${closed.id}/message`);
  });

  it("lets a member switch messages off and on in the settings", async () => {
    expect((await post("/settings", { intent: "contact" }, bram.cookie)).status).toBe(303);
    expect(sqlite.prepare("SELECT contact_off FROM members WHERE id = ?").pluck().get(bram.id)).toBe(1);
    expect((await send(anna, bram, "Nu uit")).status).toBe(403);
    expect((await post("/settings", { intent: "contact", contact: "on" }, bram.cookie)).status).toBe(303);
    expect(sqlite.prepare("SELECT contact_off FROM members WHERE id = ?").pluck().get(bram.id)).toBe(0);
    expect(await (await get("/settings", bram.cookie)).text()).toContain("Berichten van deelnemers ontvangen");
  });

  it("refuses a message to yourself, to a former member and to nobody, each with a translated 4xx", async () => {
    const self = await send(anna, anna, "Aan mezelf");
    expect(self.status).toBe(400);
    expect(await self.text()).toContain("Je kunt jezelf geen bericht sturen");
    const gone = await send(anna, former, "Ben je er nog?");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("geen deelnemer meer");
    expect((await send(anna, { id: "bestaat-niet" }, "Hallo")).status).toBe(404);
    expect((await get("/members/bestaat-niet/message", anna.cookie)).status).toBe(404);
  });
});
