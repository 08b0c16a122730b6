import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError } from "~/components/field";
import { PollAnswerForm, PollHostTools, PollTable } from "~/components/poll-view";
import { getMember, requireMember } from "~/lib/auth.server";
import { parseForm, readFormData, refusalAt, type FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { pollRefusal } from "~/lib/poll-errors.server";
import { nameViewer } from "~/models/names.server";
import { pollPage } from "~/models/poll-page.server";
import { answerPoll, closePoll, hasRepeatedFields, isPollCode, makeSessionErrors, makeSessionFromOption, makeSessionSchema, readAnswers } from "~/models/polls.server";
import type { PollTypedAnswers } from "~/models/polls.types";

// The link is the way in: search engines stay out, whatever the initiative.
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [...titleMeta(matches, "poll.list.title", data?.title), { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const edit = new URL(request.url).searchParams.get("edit");
  const page = pollPage(params.code ?? "", member, nameViewer(request, member), isPollCode(edit) ? edit : null);
  if (!page) throw data(null, { status: 404 });
  return page;
}

/** What the host typed into one option's "make it the session" form, given back with its refusal. */
type Typed = { optionId: string; onlineUrl: string; capacity: string };
type Refused = { intent: string; errors: FieldErrors; retryAfterMinutes?: number; typed?: Typed; answered?: PollTypedAnswers };

// An answer refused for its name is said at the name, one without any time chosen at the group
// of times (docs/forms-refusals.md); a tampered form above it.
const answerFields: Partial<Record<MessageKey, string>> = { "poll.name.tooLong": "name", "poll.answer.none": "answers" };

const typedOf = (form: FormData): Typed => {
  const text = (name: string, max: number) => String(form.get(name) ?? "").slice(0, max);
  return { optionId: text("optionId", 16), onlineUrl: text("onlineUrl", 500), capacity: text("capacity", 16) };
};


function refused(intent: string, error: unknown) {
  const refusal = pollRefusal(error);
  if (!refusal) throw error;
  return data<Refused>({ intent, errors: refusal.errors, retryAfterMinutes: refusal.retryAfterMinutes }, { status: refusal.status });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const code = params.code ?? "";
  if (!isPollCode(code)) throw data(null, { status: 404 });
  const form = await readFormData(request);
  const intent = form.getAll("intent");
  if (intent.length !== 1 || (intent[0] !== "answer" && hasRepeatedFields(form))) return data<Refused>({ intent: "", errors: { form: "poll.form.repeated" } }, { status: 400 });
  if (intent[0] === "answer") {
    const member = await getMember(request);
    const answers = readAnswers(form);
    if (!answers.ok) return data<Refused>({ intent: "answer", errors: refusalAt(answers.refusal, answerFields), answered: answers.typed }, { status: 400 });
    const edit = form.get("edit");
    const editCode = typeof edit === "string" && edit !== "" ? edit : null;
    try {
      const own = answerPoll(
        code,
        member ? { memberId: member.id, displayName: member.displayName } : { memberId: null, editCode, address: context.clientAddress as string },
        answers.name,
        answers.answers,
      );
      return redirect(member ? `/polls/${code}?saved=1#answer-heading` : `/polls/${code}?edit=${own}&saved=1#saved`, 303);
    } catch (error) {
      const answer = refused("answer", error);
      return data<Refused>({ ...answer.data, answered: answers.typed }, answer.init ?? undefined);
    }
  }
  const member = await requireMember(request);
  try {
    if (intent[0] === "close") {
      closePoll(code, member.id);
      return redirect(`/polls/${code}`, 303);
    }
    if (intent[0] === "make") {
      const parsed = parseForm(makeSessionSchema, form);
      if (!parsed.ok) return data<Refused>({ intent: "make", errors: makeSessionErrors(Object.entries(parsed.errors)), typed: typedOf(form) }, { status: 400 });
      makeSessionFromOption(code, member.id, parsed.data);
      return redirect(`/polls/${code}#chosen`, 303);
    }
  } catch (error) {
    const answer = refused(String(intent[0]), error);
    // The model's refusals are at their fields already (makeSessionErrors), or above the forms.
    if (intent[0] === "make") return data<Refused>({ ...answer.data, typed: typedOf(form) }, answer.init ?? undefined);
    const first = Object.values(answer.data.errors)[0];
    return data<Refused>({ ...answer.data, errors: { form: first } }, answer.init ?? undefined);
  }
  return data<Refused>({ intent: "", errors: { form: "error.badRequest" } }, { status: 400 });
}

export default function PollPage() {
  const t = useT();
  const poll = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const saved = search.get("saved") === "1";
  const editCode = poll.answerer.kind === "visitor" ? poll.answerer.editCode : null;
  const editUrl = poll.answerer.kind === "visitor" ? poll.answerer.editUrl : null;
  return (
    <article className="narrow poll">
      <p>
        <Link to={`/initiatives/${poll.initiative.id}`}>← {t("poll.backToInitiative", { title: poll.initiative.title })}</Link>
      </p>
      <h1>{poll.title}</h1>
      {poll.note ? <p className="poll-note">{poll.note}</p> : null}
      <p className="hint">
        {t("poll.intro", { zone: poll.timeZone })} {t("poll.responses", { n: poll.responseCount })}
      </p>
      {saved ? (
        <div id="saved" className="notice">
          <p>{t("poll.saved")}</p>
          {editCode && editUrl ? (
            <>
              <h2>{t("poll.editLink.title")}</h2>
              <p>{t("poll.editLink.text")}</p>
              <p>
                <a className="poll-edit-link" href={`/polls/${poll.code}?edit=${editCode}`}>
                  {editUrl}
                </a>
              </p>
            </>
          ) : null}
        </div>
      ) : null}
      {poll.closed ? (
        <div id="chosen" className="notice">
          <p>{t("poll.closed")}</p>
          {poll.sessionId ? (
            <p>
              {t("poll.closed.session")} <Link to={`/sessions/${poll.sessionId}`}>{t("poll.toSession")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      <PollTable poll={poll} />
      {poll.can.answer && !(poll.full && !poll.answered) ? <PollAnswerForm poll={poll} errors={result?.intent === "answer" ? result.errors : undefined} answered={result?.intent === "answer" ? result.answered : undefined} retryAfterMinutes={result?.retryAfterMinutes} editCode={editCode} /> : null}
      {poll.can.answer && poll.full && !poll.answered ? <p className="notice">{t("poll.full")}</p> : null}
      {result && result.intent !== "answer" && !poll.can.makeSession ? <FormError errors={result.errors} /> : null}
      {poll.can.makeSession ? <PollHostTools poll={poll} errors={result && result.intent !== "answer" ? result.errors : undefined} typed={result?.typed} /> : null}
    </article>
  );
}
