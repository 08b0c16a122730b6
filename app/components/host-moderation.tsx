// Day-one moderation (governance.md §4): a host hides a comment on their own initiative naming the
// rule; the author asks the network to restore it; members with a voice accept an author's edit.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";
import type { EditWaiting, ItemModeration } from "~/models/hosts.types";

/** The host's "Hide" with the house rule it breaks; ids per comment, since a page lists many. */
export function HideCommentForm({ commentId, rules }: { commentId: number; rules: string[] }) {
  const t = useT();
  const id = `hide-comment-${commentId}-rule`;
  return (
    <Form method="post" action={`/comments/${commentId}/hide`}>
      <details className="flag-form">
        <summary>{t("hosts.hide.summary")}</summary>
        <p className="hint">{t("hosts.hide.hint")}</p>
        <div className="field">
          <label htmlFor={id}>{t("hosts.hide.rule")}</label>
          <select id={id} name="rule" required defaultValue="">
            <option value="" disabled>
              {t("flag.rule.choose")}
            </option>
            {rules.map((rule) => (
              <option key={rule} value={rule}>
                {rule}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button danger">
          {t("hosts.hide.submit")}
        </button>
      </details>
    </Form>
  );
}

/** A comment a host hid: the rule, and for its author the way to the network. */
export function HostHiddenNotice({ commentId, rule, moderation }: { commentId: number; rule: string; moderation: ItemModeration }) {
  const t = useT();
  return (
    <>
      <p className="form-error">{t("hosts.hide.byHost", { rule })}</p>
      {moderation.restoreProposalId ? (
        <p>
          {t("hosts.hide.asked")} <Link to={`/proposals/${moderation.restoreProposalId}`}>{t("hosts.hide.proposalLink")}</Link>
        </p>
      ) : null}
      {moderation.mayAskRestore ? (
        <Form method="post" action={`/comments/${commentId}/restore`}>
          <p className="hint">{t("hosts.hide.askHint")}</p>
          <button type="submit" className="button secondary">
            {t("hosts.hide.askNetwork")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

/** An author's edit waiting for acceptance, with "Accept" for members with a voice. */
export function EditWaitingNotice({ type, id, waiting }: { type: string; id: number; waiting: EditWaiting }) {
  const t = useT();
  return (
    <div className="edit-waiting">
      <p>
        <strong>{t("hosts.waiting.notice")}</strong> {t("hosts.waiting.explain")}
      </p>
      {waiting.acceptances ? <p className="hint">{t("hosts.waiting.count", { n: waiting.acceptances })}</p> : null}
      {waiting.acceptedByMe ? <p className="session-state ok">{t("hosts.waiting.acceptedByYou")}</p> : null}
      {waiting.canAccept ? (
        <Form method="post" action={`/content/${type}/${id}/accept`}>
          <button type="submit" className="button">
            {t("hosts.accept.submit")}
            <span className="visually-hidden"> ({t("hosts.accept.what")})</span>
          </button>
        </Form>
      ) : null}
    </div>
  );
}
