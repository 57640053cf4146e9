import type { Field } from "@coleta/forms";
import type { Form, Organization, Submission } from "../api";
import { Dialog } from "../components/Dialog";
import { useI18n } from "../i18n";
import { Answer } from "./Answer";
import { formatAnswer } from "./format";

/**
 * One submission in a drawer: every answer, answers to fields no longer in the form too. Answers
 * are whole here, line breaks kept (styles.css, `.answers dd`), where the table shows a few lines.
 */
export function SubmissionDetail({
  org,
  form,
  fields,
  submission: detail,
  onClose,
  onDelete,
}: {
  org: Organization;
  form: Form;
  fields: Field[];
  submission: Submission;
  onClose: () => void;
  /** Absent when the member may not delete. */
  onDelete?: (() => void) | undefined;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const known = new Set(fields.map((f) => f.id));
  return (
    <Dialog
      variant="drawer"
      title={t("submissions.detailTitle", { date: dateTime(detail.receivedAt) })}
      onClose={onClose}
      footer={
        onDelete ? (
          <button type="button" className="button button-danger-outline" onClick={onDelete}>
            {t("submissions.delete")}
          </button>
        ) : undefined
      }
    >
      <dl className="answers">
        <dt>{t("submissions.id")}</dt>
        <dd className="mono">{detail.id}</dd>
        <dt>{t("submissions.version")}</dt>
        <dd>{detail.formVersion}</dd>
        {fields.map((f) => (
          <div key={f.id} className="answer-row">
            <dt>{f.label || f.id}</dt>
            <dd>
              <Answer
                org={org}
                form={form}
                submission={detail}
                field={f}
                size="large"
                empty={<span className="muted">{t("submissions.noAnswer")}</span>}
              />
            </dd>
          </div>
        ))}
        {Object.keys(detail.answers)
          .filter((k) => !known.has(k))
          .map((k) => (
            <div key={k} className="answer-row">
              <dt className="mono">{k}</dt>
              <dd>{formatAnswer(undefined, detail.answers[k], i18n)}</dd>
            </div>
          ))}
      </dl>
    </Dialog>
  );
}
