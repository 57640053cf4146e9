import type { Field } from "@coleta/forms";
import type { Form, Organization, Submission } from "../api";
import { useI18n } from "../i18n";
import { Answer } from "./Answer";

// Each cell shows at most a few lines (styles.css, "Tables"): one long answer must not make a
// screen-high row or squeeze the other columns; the whole answer is in the detail (View).

/** The received date, short (12/2/26, 1:41 PM): a narrow first column leaves room for answers. */
const SHORT_DATE: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short" };

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
  const { t, dateTime } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table submissions-table" data-testid="submissions-table">
        <caption className="visually-hidden">{t("submissions.table")}</caption>
        <thead>
          <tr>
            {showReceived ? <th scope="col">{t("submissions.received")}</th> : null}
            {fields.map((f) => (
              <th key={f.id} scope="col" title={f.label || f.id}>
                <span className="cell-head">{f.label || f.id}</span>
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
              {showReceived ? <td className="nowrap">{dateTime(s.receivedAt, SHORT_DATE)}</td> : null}
              {fields.map((f) => (
                <td key={f.id}>
                  <div className={f.type === "file" ? "cell-files" : "cell-text"}>
                    <Answer org={org} form={form} submission={s} field={f} size="thumb" />
                  </div>
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
