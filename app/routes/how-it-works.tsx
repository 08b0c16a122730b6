import type { MetaFunction } from "@remix-run/node";
import { undoMinutes } from "~/lib/notice";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { contactRules, governance as g, sessionRules } from "~/governance/config";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { voiceSnapshot } from "~/models/voice.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "how.title", undefined, { key: "meta.description.how" });

export function loader() {
  const snapshot = voiceSnapshot();
  return { bootstrapping: snapshot.bootstrapping, voices: snapshot.voices.size, earned: snapshot.earnedCount, g };
}

// The governance rules in plain words, with the numbers this network uses.
export default function HowItWorks() {
  const t = useT();
  const { bootstrapping, voices, earned, g } = useLoaderData<typeof loader>();
  return (
    <article className="narrow prose">
      <h1>{t("how.title")}</h1>
      <p className="lead">{t("how.intro")}</p>
      <p className="notice">{bootstrapping ? t("how.now.bootstrap", { earned, needed: g.bootstrapVoiceThreshold, voices }) : t("how.now.voices", { voices })}</p>
      <h2>{t("how.voice.title")}</h2>
      <p>{t("how.voice.text", { age: g.accountAgeDays, pending: g.pendingDays, days: g.voiceWindowDays })}</p>
      <p>{t("how.meeting.text", { hours: g.announceHours, witnesses: g.witnessesPerMeeting, void: g.voidWindowDays })}</p>
      <p>{t("how.witness.text", { days: g.witnessDays })}</p>
      <p>{t("how.brake.text", { days: g.brakeWindowDays, min: g.brakeMinimum, share: Math.round(g.brakeShare * 100) })}</p>
      <h2>{t("how.bootstrap.title")}</h2>
      <p>{t("how.bootstrap.text", { n: g.bootstrapVoiceThreshold, hours: g.bootstrapAccountAgeHours })}</p>
      <p>{t("how.founders.text", { days: g.founderInvitationDays, max: g.maxFounders })}</p>
      <h2>{t("how.hosts.title")}</h2>
      <p>{t("how.hosts.text", { days: g.hostLapseDays, lazy: g.hostRequestLazyConsentDays })}</p>
      <p>{t("how.attendance.text", { days: g.attendanceFixedAfterDays, messages: g.hostMessagesPerSessionPerDay })}</p>
      <p>{t("how.unseen.text", { n: g.unseenCheckInWitnesses, days: g.attendanceFixedAfterDays })}</p>
      <p>{t("hosts.how.tools")}</p>
      <p>{t("hosts.how.hide")}</p>
      <h2>{t("how.meetings.title")}</h2>
      <p>{t("how.meetings.series", { max: sessionRules.seriesMax })}</p>
      <p>{t("how.meetings.venues")}</p>
      <p>
        {t("how.meetings.organisations")} <Link to="/organisations">{t("how.meetings.organisationsLink")}</Link>
      </p>
      <p>{t("how.meetings.online")}</p>
      <h2 id="agenda-elsewhere">{t("how.agenda.title")}</h2>
      <p>{t("how.agenda.views")}</p>
      <p>{t("how.agenda.add")}</p>
      <p>{t("how.agenda.embed")}</p>
      <h2>{t("howItWorks.methods.title")}</h2>
      <p>
        {t("howItWorks.methods.body", { n: g.newcomerInitiativesPerDay })} <Link to="/methods">{t("nav.methods")}</Link>
      </p>
      <h2>{t("how.polls.title")}</h2>
      <p>{t("how.polls.text")}</p>
      <p>{t("safe.how", { minutes: undoMinutes })}</p>
      <h2>{t("how.proposals.title")}</h2>
      <p>{t("how.proposals.text", { min: g.proposalMinDays, max: g.proposalMaxDays, days: g.proposalDefaultDays, quorum: g.quorumMinimum, share: Math.round(g.quorumShare * 100) })}</p>
      <p>{t("how.discussion.text")}</p>
      <p>{t("how.amend.text", { days: g.proposalMinDays })}</p>
      <p>{t("how.fallback.text")}</p>
      <p>{t("how.early.text", { hours: g.proposalLastCallHours })}</p>
      <h2>{t("how.flags.title")}</h2>
      <p>{t("how.flags.text", { n: g.hideThreshold, small: g.hideThresholdSmallNetwork, voices: g.smallNetworkVoices })}</p>
      <p>{t("hosts.how.edit", { voices: g.editAcceptedByVoices, days: g.editReturnsAfterDays })}</p>
      <p>{t("how.held.text")}</p>
      <h2>{t("how.newcomers.title")}</h2>
      <p>{t("how.newcomers.text", { initiatives: g.newcomerInitiativesPerDay, comments: g.newcomerCommentsPerDay, max: g.newcomerSessionsPerDay, n: g.newcomerRestoreRequests, days: g.newcomerRestoreDays })}</p>
      <h2 id="learning">{t("how.learning.title")}</h2>
      <p>{t("how.learning.text")}</p>
      <p>{t("how.learning.verify")}</p>
      <p>{t("how.learning.not")}</p>
      <p>{t("how.contact.text", { withVoice: contactRules.perDayWithVoice.limit, without: contactRules.perDayWithoutVoice.limit })}</p>
      <h2>{t("how.log.title")}</h2>
      <p>
        {t("how.log.text")} <Link to="/log">{t("log.title")}</Link> · <Link to="/rules">{t("rules.title")}</Link> · <Link to="/proposals">{t("proposal.list.title")}</Link>
      </p>
      <h2>{t("how.limits.title")}</h2>
      <p>{t("how.limits.text")}</p>
    </article>
  );
}
