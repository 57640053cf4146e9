import type { FieldType, Page } from "@coleta/forms";
import { type Dispatch, useId, useState } from "react";
import { useI18n } from "../i18n";
import { BUILDER_FIELD_TYPES, type BuilderAction } from "./model";

export function AddField({ page, dispatch }: { page: Page; dispatch: Dispatch<BuilderAction> }) {
  const { t } = useI18n();
  const [type, setType] = useState<FieldType>("short_text");
  const selectId = useId();
  return (
    <div className="add-field">
      <label htmlFor={selectId}>{t("builder.fieldType")}</label>
      <select id={selectId} value={type} onChange={(e) => setType(e.target.value as FieldType)}>
        {BUILDER_FIELD_TYPES.map((ft) => (
          <option key={ft} value={ft}>
            {t(`fieldType.${ft}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button"
        onClick={() =>
          dispatch({
            type: "addField",
            fieldType: type,
            pageId: page.id,
            // The new field's words in the builder's language; no consent statement until one is written.
            text: {
              label: t(`fieldType.${type}`),
              option: (n) => t("builder.optionDefault", { n }),
              consent: "",
            },
          })
        }
      >
        {t("builder.addField")}
      </button>
    </div>
  );
}
