import {
  allFields,
  type Field,
  type FieldType,
  type FormDefinition,
  TEXT_BOX_TYPES,
  TEXT_MAX_LENGTHS,
} from "@coleta/forms";
import type { Dispatch } from "react";
import type { ProblemError } from "../api";
import { useI18n } from "../i18n";
import { ConditionEditor } from "./ConditionEditor";
import { definitionErrorMessage } from "./errors";
import { fieldIdProblem, IdInput } from "./IdInput";
import { isFrozenField, takenFieldIds } from "./ids";
import { Checkbox, TextInput } from "./inputs";
import { type BuilderAction, type BuilderState, CHOICE_TYPES, earlierFields } from "./model";
import { OptionsEditor } from "./OptionsEditor";
import { Rules } from "./Rules";

/** Types whose input shows a placeholder; the others have no free-text box to put one in. */
const PLACEHOLDER_TYPES: ReadonlySet<FieldType> = new Set(TEXT_BOX_TYPES);

const sameText = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** Another question with the same words confuses respondents and export readers; saving still works. */
function hasTwin(definition: FormDefinition, field: Field): boolean {
  if (field.label.trim() === "") return false;
  return allFields(definition).some((other) => other.id !== field.id && sameText(other.label, field.label));
}

export function FieldEditor({
  field,
  definition,
  frozen,
  errors,
  dispatch,
}: {
  field: Field;
  definition: FormDefinition;
  frozen: BuilderState["frozen"];
  errors: ProblemError[] | undefined;
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const set = (patch: Record<string, unknown>) => dispatch({ type: "updateField", id: field.id, patch });
  const idFrozen = isFrozenField(frozen, field.id);
  return (
    <div className="field-editor" data-testid={`field-editor-${field.id}`}>
      {errors?.length ? (
        <ul className="error-list" aria-label={t("builder.fieldErrors")}>
          {errors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat.
            <li key={i}>{definitionErrorMessage(e, t)}</li>
          ))}
        </ul>
      ) : null}
      <TextInput
        label={t("builder.label")}
        value={field.label}
        required
        limit={TEXT_MAX_LENGTHS.label}
        warning={hasTwin(definition, field) ? t("builder.duplicateLabel") : null}
        onChange={(v) => set({ label: v })}
      />
      <Checkbox
        label={t("builder.required")}
        checked={field.required === true}
        onChange={(v) => set({ required: v })}
      />
      <TextInput
        multiline
        label={t("builder.help")}
        value={field.help}
        limit={TEXT_MAX_LENGTHS.help}
        onChange={(v) => set({ help: v })}
      />
      {PLACEHOLDER_TYPES.has(field.type) ? (
        <TextInput
          label={t("builder.placeholder")}
          value={field.placeholder}
          limit={TEXT_MAX_LENGTHS.placeholder}
          onChange={(v) => set({ placeholder: v })}
        />
      ) : null}
      {CHOICE_TYPES.has(field.type) && "options" in field ? (
        <OptionsEditor field={field} frozen={frozen} dispatch={dispatch} />
      ) : null}
      <fieldset className="rules-editor">
        <legend>{t("builder.rules")}</legend>
        <Rules field={field} set={set} />
      </fieldset>
      <ConditionEditor
        target="field"
        condition={field.visibleWhen}
        earlier={earlierFields(definition, { fieldId: field.id })}
        onChange={(condition) => dispatch({ type: "setFieldCondition", id: field.id, condition })}
      />
      <details className="advanced">
        <summary>
          {t("builder.fieldId")}: <code>{field.id}</code>
        </summary>
        <div className="field field-narrow">
          <IdInput
            label={t("builder.fieldId")}
            value={field.id}
            frozen={idFrozen}
            problem={fieldIdProblem(t, takenFieldIds(definition, frozen, field.id))}
            hint={idFrozen ? t("builder.fieldIdFrozen") : t("builder.fieldIdHint")}
            onChange={(newId) => dispatch({ type: "renameField", id: field.id, newId })}
          />
        </div>
      </details>
    </div>
  );
}
