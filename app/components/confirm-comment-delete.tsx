import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

export type CommentDeleteConfirmation = { id: number; initiativeId: number; title: string };

/** The page between "delete" and deleting: it says that this cannot be undone. */
export function ConfirmCommentDelete({ confirm }: { confirm: CommentDeleteConfirmation }) {
  const t = useT();
  return (
    <section className="narrow">
      <h1>{t("safe.comment.delete.title")}</h1>
      <p>{t("safe.comment.delete.what", { title: confirm.title || t("flag.hidden.title") })}</p>
      <Form method="post" action={`/comments/${confirm.id}/delete`} className="row-links">
        <input type="hidden" name="confirmed" value="yes" />
        <button type="submit" className="button danger">
          {t("safe.comment.delete.submit")}
        </button>
        <Link to={`/initiatives/${confirm.initiativeId}`}>{t("safe.comment.delete.keep")}</Link>
      </Form>
    </section>
  );
}
