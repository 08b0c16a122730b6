import { Link } from "~/components/link";
import type { NamedMemberVoice } from "~/governance/voice";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDate, formatDateTime } from "~/lib/time";

/**
 * Why a member has a voice, in plain words; for the member also what is pending or missing.
 * `founderVoiceFrom`: when a founder without a voice yet gets one.
 */
export function VoiceExplained({ voice, founderVoiceFrom = null, isSelf, struckCheckIn = null }: { voice: NamedMemberVoice; founderVoiceFrom?: number | null; isSelf: boolean; struckCheckIn?: { sessionId: number; title: string; at: number } | null }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const date = (at: number) => formatDate(at, locale, timeZone);
  const { reason } = voice;
  return (
    <>
      <p>
        {voice.held
          ? t("voice.held")
          : reason.kind === "earned"
            ? t(reason.via === "attended" ? "voice.reason.earned.attended" : "voice.reason.earned.hosted", { title: reason.title, date: date(reason.at), until: date(reason.until) })
            : reason.kind === "founder"
              ? t("voice.reason.founder")
              : reason.kind === "bootstrap"
                ? t("voice.reason.bootstrap")
                : founderVoiceFrom
                  ? t("voice.none.founderFrom", { date: formatDateTime(founderVoiceFrom, locale, timeZone) })
                  : !voice.accountOldEnough
                    ? t("voice.none.tooNew")
                    : t("voice.none")}
      </p>
      {reason.kind === "earned" ? (
        <p>
          <Link to={`/sessions/${reason.sessionId}`}>{reason.title}</Link>
        </p>
      ) : null}
      {voice.founder ? (
        <p>
          {t("voice.founder")} {isSelf ? <Link to="/founders">{t("founder.link")}</Link> : null}
        </p>
      ) : null}
      {voice.witness ? <p>{t("voice.witness")}</p> : null}
      {voice.pending ? (
        <p className="notice">
          {t("voice.pending", { date: date(voice.pending.startsAt), title: voice.pending.title })} {voice.pending.heldBack ? t("voice.pending.brake") : null}
        </p>
      ) : null}
      {voice.lastMiss && reason.kind === "none" ? <p className="hint">{t(`voice.miss.${voice.lastMiss.why}`, { title: voice.lastMiss.title, date: date(voice.lastMiss.at) })}</p> : null}
      {struckCheckIn ? (
        <p className="hint">
          {t("voice.struck", { title: struckCheckIn.title, date: date(struckCheckIn.at) })} <Link to={`/sessions/${struckCheckIn.sessionId}`}>{t("voice.struck.link")}</Link>
        </p>
      ) : null}
      {isSelf && reason.kind === "none" && !founderVoiceFrom ? <p className="hint">{t("voice.how")}</p> : null}
    </>
  );
}
