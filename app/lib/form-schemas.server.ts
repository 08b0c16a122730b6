// The zod schemas of the forms whose routes have no model of their own for them. They live in a
// server module so that zod stays out of the pages' scripts: it probes for eval, which the
// Content Security Policy forbids (and browsers report).
import { z } from "zod";
import { contactRules, governance } from "~/governance/config";
import { requiredLine, requiredText, typedNumber } from "~/lib/forms";

// proposals.new
export const proposalSchema = z
  .object({
    title: requiredLine(160, "proposal.title.required", "proposal.title.tooLong"),
    body: z.string().max(10_000, { error: "proposal.body.tooLong" }).optional().default(""),
    kind: z.enum(["consent", "majority"], { error: "proposal.kind.invalid" }),
    scope: z.enum(["network", "initiative"], { error: "proposal.scope.invalid" }),
    initiativeId: z.string().optional().transform((v) => (v && /^[1-9]\d{0,15}$/.test(v) ? Number(v) : null)),
    days: z.string().optional().transform(typedNumber(governance.proposalDefaultDays)).pipe(
      z.number({ error: "proposal.duration.invalid" }).int({ error: "proposal.duration.invalid" }).min(governance.proposalMinDays, { error: "proposal.duration.invalid" }).max(governance.proposalMaxDays, { error: "proposal.duration.invalid" }),
    ),
    effect: z.enum(["none", "rules", "remove-host"], { error: "proposal.effect.invalid" }).optional().default("none"),
    rulesText: z.string().max(20_000, { error: "proposal.rules.tooLong" }).optional().default(""),
    hostId: z.string().optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.scope === "initiative" && !v.initiativeId) ctx.addIssue({ code: "custom", path: ["initiativeId"], message: "proposal.initiative.required" });
    // The house rules change only by a network consent proposal that carries the full new text.
    if (v.effect === "rules" && (v.scope !== "network" || v.kind !== "consent")) ctx.addIssue({ code: "custom", path: ["effect"], message: "proposal.rules.networkConsent" });
    if (v.effect === "rules" && !v.rulesText.trim()) ctx.addIssue({ code: "custom", path: ["rulesText"], message: "proposal.rules.required" });
    // A host is removed only by the initiative's participants.
    if (v.effect === "remove-host" && (v.scope !== "initiative" || !v.hostId)) ctx.addIssue({ code: "custom", path: ["hostId"], message: "proposal.removeHost.invalid" });
  });

// login
export const loginSchema = z.object({
  email: z.string({ error: "login.failed" }).min(1, { error: "auth.email.required" }).max(254, { error: "login.failed" }),
  password: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "login.failed" }),
  redirectTo: z.string().optional(),
});

// password.forgot
export const forgotSchema = z.object({
  email: z.string({ error: "auth.email.required" }).min(1, { error: "auth.email.required" }).max(254, { error: "auth.email.invalid" }),
});

// signup
export const signupSchema = z.object({
  email: z.email({ error: "auth.email.invalid" }).max(254, { error: "auth.email.invalid" }),
  // Where to go afterwards, such as a founder's invitation link; only a path on this site.
  redirectTo: z.string().optional(),
  password: z
    .string({ error: "auth.password.tooShort" })
    .min(10, { error: "auth.password.tooShort" })
    .max(200, { error: "auth.password.tooLong" }),
  displayName: requiredLine(80, "auth.displayName.required", "auth.displayName.tooLong"),
});

// settings_.delete
export const deleteSchema = z.object({
  password: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "settings.leave.wrongPassword" }),
});

// settings_.password
export const passwordChangeSchema = z.object({
  current: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "settings.password.wrong" }),
  password: z.string({ error: "auth.password.tooShort" }).min(10, { error: "auth.password.tooShort" }).max(200, { error: "auth.password.tooLong" }),
});

// settings_.email
export const emailChangeSchema = z.object({
  email: z.email({ error: "auth.email.invalid" }).max(254, { error: "auth.email.invalid" }),
  password: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "settings.password.wrong" }),
});

// password.reset.$token
export const resetSchema = z.object({
  password: z.string({ error: "auth.password.tooShort" }).min(10, { error: "auth.password.tooShort" }).max(200, { error: "auth.password.tooLong" }),
});

// sessions.$id_.message
export const messageSchema = z.object({
  subject: requiredLine(150, "session.message.subject.required", "session.message.subject.tooLong"),
  body: requiredText(5000, "session.message.body.required", "session.message.body.tooLong"),
});

// founders._index
export const inviteSchema = z.object({
  email: z.email({ error: "auth.email.invalid" }).max(254, { error: "auth.email.invalid" }),
});

// founders._index: a founder's yes to a member who accepted an invitation
export const founderYesSchema = z.object({
  intent: z.literal("yes"),
  invitation: z.string().regex(/^[0-9a-f]{64}$/),
});

// sessions.$id_.attendance: a witness who was there did not see a member (or takes that back).
export const unseenSchema = z.object({
  intent: z.enum(["unseen", "seen"]),
  memberId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

// login_.unlock.$token
export const unlockSchema = z.object({
  password: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "login.failed" }),
  redirectTo: z.string().optional(),
});

// proposals.$id_.amend: a new version that answers an objection (docs/decisions/029).
export const amendSchema = z.object({
  title: requiredLine(160, "proposal.title.required", "proposal.title.tooLong"),
  body: z.string().max(10_000, { error: "proposal.body.tooLong" }).optional().default(""),
  // Only a rules proposal has this field; empty for the others.
  rulesText: z.string().max(20_000, { error: "proposal.rules.tooLong" }).optional(),
  answers: requiredText(2000, "proposal.amend.answers.required", "proposal.amend.answers.tooLong"),
  version: z.string({ error: "proposal.amend.version.invalid" }).regex(/^[1-9]\d{0,5}$/, { error: "proposal.amend.version.invalid" }).transform(Number),
});

// members.$id_.message: the text, and whether the sender's address goes along as Reply-To.
export const contactSchema = z.object({
  body: requiredText(contactRules.messageMax, "contact.body.required", "contact.body.tooLong"),
  replyTo: z.string().optional().transform((v) => v === "on"),
});

// sessions.$id.edit, intent cancel-session: the reason goes to everyone signed up or waiting.
export const cancelSessionSchema = z.object({
  reason: requiredText(1000, "safe.cancel.reason.required", "safe.cancel.reason.tooLong"),
  scope: z.enum(["this", "later"]).optional().default("this").catch("this"),
});
