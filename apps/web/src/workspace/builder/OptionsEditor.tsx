import { type ChoiceField, TEXT_MAX_LENGTHS } from "@coleta/forms";
import { type Dispatch, useId } from "react";
import { useI18n } from "../i18n";
import { IdInput, optionValueProblem } from "./IdInput";
import { isFrozenOption } from "./ids";
import { describedBy, LengthNote, showsLength } from "./inputs";
import type { BuilderAction, BuilderState } from "./model";

/**
 * A choice question's options: label and value (the value follows the label until it is typed by
 * hand or published), reorder and remove.
 */
export function OptionsEditor({
  field,
  frozen,
  dispatch,
}: {
  field: ChoiceField;
  frozen: BuilderState["frozen"];
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const noteId = useId();
  const count = field.options.length;
  const maxLabel = TEXT_MAX_LENGTHS.optionLabel;
  const anyFrozen = field.options.some((o) => isFrozenOption(frozen, field.id, o.value));
  const button = (n: number, key: string, symbol: string, disabled: boolean, action: BuilderAction) => (
    <button
      type="button"
      className="icon-button"
      aria-label={t(key, { n })}
      disabled={disabled}
      onClick={() => dispatch(action)}
    >
      {symbol}
    </button>
  );
  return (
    <fieldset className="options-editor">
      <legend>{t("builder.options")}</legend>
      <p id={noteId} className="hint">
        {anyFrozen ? t("builder.optionValuesFrozen") : t("builder.optionValuesHint")}
      </p>
      <ol>
        {field.options.map((option, index) => {
          const n = index + 1;
          const lengthId = `${noteId}-${index}-len`;
          const others = new Set(field.options.filter((_, i) => i !== index).map((o) => o.value));
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: option values may be edited, so the position is the identity.
            <li key={index} className="option-row">
              <input
                aria-label={t("builder.optionLabel", { n })}
                aria-invalid={option.label.length > maxLabel ? true : undefined}
                aria-describedby={describedBy(showsLength(option.label.length, maxLabel) && lengthId)}
                value={option.label}
                onChange={(e) =>
                  dispatch({ type: "updateOption", id: field.id, index, patch: { label: e.target.value } })
                }
              />
              <IdInput
                ariaLabel={t("builder.optionValue", { n })}
                value={option.value}
                frozen={isFrozenOption(frozen, field.id, option.value)}
                problem={optionValueProblem(t, others)}
                onChange={(value) =>
                  dispatch({ type: "updateOption", id: field.id, index, patch: { value } })
                }
              />
              {button(n, "builder.optionUp", "↑", index === 0, {
                type: "moveOption",
                id: field.id,
                index,
                delta: -1,
              })}
              {button(n, "builder.optionDown", "↓", index === count - 1, {
                type: "moveOption",
                id: field.id,
                index,
                delta: 1,
              })}
              {button(n, "builder.optionRemove", "×", count <= 1, {
                type: "removeOption",
                id: field.id,
                index,
              })}
              <LengthNote id={lengthId} length={option.label.length} limit={maxLabel} />
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          dispatch({ type: "addOption", id: field.id, label: t("builder.optionDefault", { n: count + 1 }) })
        }
      >
        {t("builder.addOption")}
      </button>
    </fieldset>
  );
}
