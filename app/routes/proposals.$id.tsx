import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Link } from "~/components/link";
import { ProposalOutcomePanel } from "~/components/proposal-outcome";
import { DiffView, DiscussionSection, PositionsSection, proposalLimits, RespondSection, VersionsSection } from "~/components/proposal-parts";
import { governance } from "~/governance/config";
import type { Position } from "~/governance/rules";
import { getMember, requireMember } from "~/lib/auth.server";
import { readFormData, textField } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { organisationPath } from "~/lib/organisation-links";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { ProposalRefusedError, raiseAgain, respond, writeStatement } from "~/models/proposals.server";
import { nameViewer } from "~/models/names.server";
import { proposalPage } from "~/models/proposal-page.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.proposal.hidden ? [...titleMeta(matches, "proposal.hiddenTitle"), { name: "robots", content: "noindex" }] : titleMeta(matches, null, data?.proposal.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const page = proposalPage(idParam(params.id), member, nameViewer(request, member));
  if (!page) throw data(null, { status: 404 });
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const intent = form.get("intent");
  // A refused response comes back with what was chosen and written, not the position held before.
  const submitted = intent === "respond" ? { position: textField(form, "position"), reason: textField(form, "reason").slice(0, proposalLimits.reason) } : null;
  try {
    if (intent === "respond") {
      const position = textField(form, "position") as Position;
      const reason = textField(form, "reason");
      if (reason.length > proposalLimits.reason) return data({ error: "proposal.reason.tooLong" as MessageKey, submitted }, { status: 400 });
      respond(id, member.id, position, reason);
      return redirect(`/proposals/${id}#respond`, 303);
    }
    if (intent === "statement") {
      const statement = textField(form, "statement");
      // Said at the statement field, with what was written in it (at most as much as a refused form echoes).
      const typed = { statement: statement.slice(0, 20_000) };
      if (!statement) return data({ error: "proposal.statement.required" as MessageKey, submitted, typed }, { status: 400 });
      if (statement.length > proposalLimits.statement) return data({ error: "proposal.statement.tooLong" as MessageKey, submitted, typed }, { status: 400 });
      writeStatement(id, member.id, statement);
      return redirect(`/proposals/${id}`, 303);
    }
    if (intent === "raise-again") {
      const next = raiseAgain(id, member.id, governance.proposalDefaultDays);
      return redirect(`/proposals/${next}`, 303);
    }
  } catch (error) {
    if (error instanceof ProposalRefusedError) return data({ error: error.messageKey as MessageKey, submitted }, { status: error.status });
    throw error;
  }
  return data({ error: "error.badRequest" as MessageKey, submitted }, { status: 400 });
}

export default function ProposalPage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const page = useLoaderData<typeof loader>();
  const { proposal, quorum: q, eligible } = page;
  const result = useActionData<typeof action>();
  // A refused reason is said at the reason field, which takes focus; other refusals above the form.
  const reasonError = result?.error === "proposal.reasonRequired" || result?.error === "proposal.reason.tooLong" ? result.error : undefined;
  // So is a refused statement, at the statement field with the text that was sent.
  const typed = result && "typed" in result ? (result.typed as { statement: string } | undefined) : undefined;
  const statementRefused = result && typed ? { text: typed.statement, error: result.error } : null;
  const fieldError = !!reasonError || !!statementRefused;
  const busy = useNavigation().state === "submitting";
  return (
    <article className="proposal narrow-wide">
      <p>
        <Link to="/proposals">← {t("proposal.list.title")}</Link>
      </p>
      <p className="card-meta">
        <span className="badge">{t(`proposal.kind.${proposal.kind}` as MessageKey)}</span>
        <span>{proposal.scope === "network" ? t("proposal.scope.network") : t("proposal.scope.initiativeNamed", { title: proposal.hidden ? t("flag.hidden.title") : (proposal.initiative?.title ?? "") })}</span>
        {proposal.fallbackOf ? <span>{t("proposal.fallback", { id: proposal.fallbackOf })}</span> : null}
      </p>
      <h1>{proposal.hidden ? t("proposal.hiddenTitle") : proposal.title}</h1>
      {proposal.hidden ? <p className="notice">{t("proposal.hidden.notice")}</p> : null}
      {proposal.openedBySystem ? <p className="notice">{t("proposal.openedBySystem")}</p> : null}
      {page.version > 1 && !proposal.hidden ? (
        <p className="notice">
          <a href="#versions-heading">{t("proposal.version.notice", { version: page.version })}</a>
        </p>
      ) : null}
      <div className="prose" dangerouslySetInnerHTML={{ __html: proposal.bodyHtml }} />
      {proposal.effect?.diff ? (
        <section aria-labelledby="effect-heading">
          <h2 id="effect-heading">{t("proposal.effect.rules")}</h2>
          <DiffView lines={proposal.effect.diff} />
        </section>
      ) : proposal.effect?.merge ? (
        <p className="notice">
          {t("proposal.effect.merge")} <Link to={organisationPath(proposal.effect.merge.from.slug)}>{proposal.effect.merge.from.name}</Link> {t("proposal.effect.mergeWith")}{" "}
          <Link to={organisationPath(proposal.effect.merge.into.slug)}>{proposal.effect.merge.into.name}</Link>. {t("proposal.effectNote.merge-organisations")}
        </p>
      ) : proposal.effect ? (
        <p className="notice">{t(`proposal.effectNote.${proposal.effect.type}` as MessageKey)}</p>
      ) : null}

      <dl className="facts">
        <dt>{proposal.closed ? t("proposal.closedOn") : t("proposal.deadlineLabel")}</dt>
        <dd>{formatDateTime(proposal.deadline, locale, timeZone)}</dd>
        <dt>{t("proposal.quorum")}</dt>
        <dd>{t("proposal.quorumText", { quorum: proposal.outcome?.quorum ?? q, eligible: proposal.outcome?.eligible ?? eligible })}</dd>
      </dl>

      {proposal.closed && proposal.outcome ? (
        <ProposalOutcomePanel
          kind={proposal.kind}
          outcome={proposal.outcome}
          closedEarly={page.closedEarly}
          statement={proposal.statement}
          statementHistory={proposal.statementHistory}
          canWrite={page.mayTakePart && !proposal.hidden}
          canRaiseAgain={page.hasVoice}
          busy={busy}
          refused={statementRefused}
        />
      ) : null}

      {result?.error && !fieldError ? <FormError errors={{ form: result.error }} /> : null}

      {!proposal.closed ? (
        <RespondSection
          id={proposal.id}
          options={page.options}
          mine={page.mine}
          submitted={result?.submitted ?? null}
          reasonError={reasonError}
          canTakePart={page.mayTakePart}
          loggedIn={page.loggedIn}
          scope={proposal.scope}
          busy={busy}
          canAmend={page.can.amend}
          objectionStands={page.objectionStands}
          lastCallEndsAt={page.lastCallEndsAt}
        />
      ) : null}

      <PositionsSection positions={page.positions} earlier={page.earlierPositions} />
      <VersionsSection versions={page.versions} current={page.version} />
      {!proposal.hidden ? <DiscussionSection proposalId={proposal.id} comments={page.discussion} rules={page.flagRules} loggedIn={page.loggedIn} canComment={page.can.comment} held={page.held} /> : null}
    </article>
  );
}
