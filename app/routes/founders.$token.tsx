import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Link } from "~/components/link";
import type { FieldErrors } from "~/lib/forms";
import { getMember, requireMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { acceptFounderInvitation, FounderRefusedError, invitationState } from "~/models/founders.server";

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "founder.accept.title"), { name: "robots", content: "noindex" }];

// A founder's invitation link (governance.md §1): make an account or log in, then accept.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const token = params.token ?? "";
  const state = invitationState(token);
  if (state !== "valid") throw data({ message: "founder.invalid" as const }, { status: 404 });
  return { loggedIn: !!member, here: `/founders/${token}` };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  let accepted: "founder" | "waiting";
  try {
    accepted = acceptFounderInvitation(params.token ?? "", member.id);
  } catch (error) {
    if (!(error instanceof FounderRefusedError)) throw error;
    // The invitation's state, the places left or the member's hold: a refusal of the whole form.
    return data({ errors: { form: error.messageKey } as FieldErrors }, { status: error.status });
  }
  // Waiting for the other founders' yes: the founders page says how many and until when.
  return redirect(accepted === "founder" ? `/members/${member.id}#voice-heading` : "/founders", 303);
}

export default function FounderInvitation() {
  const t = useT();
  const { loggedIn, here } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <h1>{t("founder.accept.title")}</h1>
      <p className="lead">{t("founder.accept.intro")}</p>
      <FormError errors={result?.errors} />
      {loggedIn ? (
        <Form method="post">
          <button type="submit" className="button">
            {t("founder.accept.submit")}
          </button>
        </Form>
      ) : (
        <p>
          <Link className="button" to={`/signup?redirectTo=${encodeURIComponent(here)}`}>
            {t("nav.signup")}
          </Link>{" "}
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</Link>
        </p>
      )}
    </section>
  );
}
