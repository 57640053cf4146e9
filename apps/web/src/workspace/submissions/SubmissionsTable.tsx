import type { Field } from "@coleta/forms";
import type { Form, Organization, Submission } from "../api";
import { useI18n } from "../i18n";
import { FileAnswers } from "./FileAnswers";
import { formatAnswer } from "./format";

export function SubmissionsTable({
  org,
  form,
  items,
  fields,
  showReceived,
  onView,
}: {
  org: Organization;
  form: Form;
  items: Submission[];
  /** The visible field columns, in form order. */
  fields: Field[];
  showReceived: boolean;
  onView: (submission: Submission) => void;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="submissions-table">
        <caption className="visually-hidden">{t("submissions.table")}</caption>
        <thead>
          <tr>
            {showReceived ? <th scope="col">{t("submissions.received")}</th> : null}
            {fields.map((f) => (
              <th key={f.id} scope="col">
                {f.label || f.id}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t("common.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              {showReceived ? <td className="nowrap">{dateTime(s.receivedAt)}</td> : null}
              {fields.map((f) => (
                <td key={f.id}>
                  {f.type === "file" ? (
                    <FileAnswers
                      orgId={org.id}
                      formId={form.id}
                      submissionId={s.id}
                      fieldId={f.id}
                      value={s.answers[f.id]}
                      size="thumb"
                    />
                  ) : (
                    formatAnswer(f, s.answers[f.id], i18n)
                  )}
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => onView(s)}
                  aria-label={t("submissions.viewNamed", { date: dateTime(s.receivedAt) })}
                >
                  {t("submissions.view")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
