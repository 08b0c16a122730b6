import { useT } from "~/lib/i18n/react";
import type { MethodFieldView } from "~/models/methods.types";

const fieldKeys = {
  title: "method.field.title",
  purpose: "method.field.purpose",
  groupSize: "method.field.groupSize",
  duration: "method.field.duration",
  materials: "method.field.materials",
  steps: "method.field.steps",
  variations: "method.field.variations",
  learned: "method.field.learned",
  tags: "method.field.tags",
} as const;

/** What changed in one field of a method, line by line, as on /rules. */
export function FieldDiff({ change }: { change: MethodFieldView }) {
  const t = useT();
  const field = t(fieldKeys[change.name]);
  return (
    <section className="field-diff">
      <h3>{t("method.history.diff", { field })}</h3>
      <pre className="diff">
        {change.diff.map((line, i) =>
          line.kind === "added" ? (
            <ins key={i}>{`+ ${line.text}\n`}</ins>
          ) : line.kind === "removed" ? (
            <del key={i}>{`− ${line.text}\n`}</del>
          ) : (
            <span key={i}>{`  ${line.text}\n`}</span>
          ),
        )}
      </pre>
    </section>
  );
}
