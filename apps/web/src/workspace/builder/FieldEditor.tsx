import {
  type Field,
  type FieldType,
  type FormDefinition,
  IMAGE_MAX_DIMENSION_MAX,
  IMAGE_MAX_DIMENSION_MIN,
} from "@coleta/forms";
import { type Dispatch, useEffect, useId, useState } from "react";
import type { ProblemError } from "../api";
import { useI18n } from "../i18n";
import { ConditionEditor } from "./ConditionEditor";
import { definitionErrorMessage } from "./errors";
import { type BuilderAction, CHOICE_TYPES, earlierFields } from "./model";

const ID_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
const PLACEHOLDER_TYPES: ReadonlySet<FieldType> = new Set([
  "short_text",
  "long_text",
  "number",
  "email",
  "phone",
  "url",
]);

type Loose = Record<string, unknown>;

function TextInput({
  label,
  value,
  onChange,
  multiline,
  type = "text",
  hint,
  required,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  multiline?: boolean;
  type?: string;
  hint?: string;
  required?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} value={value ?? ""} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          id={id}
          type={type}
          value={value ?? ""}
          required={required}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {hint ? <small className="hint">{hint}</small> : null}
    </div>
  );
}

function NumberInput({
  label,
  value,
  onChange,
  min,
  max,
  step,
}: {
  label: string;
  value: unknown;
  onChange: (value: number | undefined) => void;
  min?: number;
  max?: number;
  step?: number | "any";
}) {
  const id = useId();
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step ?? 1}
        value={typeof value === "number" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </div>
  );
}

/** A "at least / at most" pair of whole-number rules (lengths, selected options). */
function CountRange({
  f,
  set,
  keys: [low, high],
  labels: [lowLabel, highLabel],
}: {
  f: Loose;
  set: (patch: Loose) => void;
  keys: [string, string];
  labels: [string, string];
}) {
  const { t } = useI18n();
  return (
    <div className="row">
      <NumberInput label={t(lowLabel)} value={f[low]} min={0} onChange={(v) => set({ [low]: v })} />
      <NumberInput label={t(highLabel)} value={f[high]} min={1} onChange={(v) => set({ [high]: v })} />
    </div>
  );
}

function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

function FieldIdInput({ field, dispatch }: { field: Field; dispatch: Dispatch<BuilderAction> }) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState(field.id);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(field.id), [field.id]);
  const commit = () => {
    if (draft === field.id) return setError(null);
    if (!ID_PATTERN.test(draft)) return setError(t("builder.idInvalid"));
    setError(null);
    dispatch({ type: "renameField", id: field.id, newId: draft });
  };
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>{t("builder.fieldId")}</label>
      <input
        id={id}
        value={draft}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
        }}
      />
      <small id={`${id}-hint`} className={error ? "error" : "hint"}>
        {error ?? t("builder.fieldIdHint")}
      </small>
    </div>
  );
}

function OptionsEditor({
  field,
  dispatch,
}: {
  field: Field & { options: { value: string; label: string }[] };
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const count = field.options.length;
  return (
    <fieldset className="options-editor">
      <legend>{t("builder.options")}</legend>
      <ol>
        {field.options.map((option, index) => {
          const n = index + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: option values may be edited, so the position is the identity.
            <li key={index} className="option-row">
              <input
                aria-label={t("builder.optionLabel", { n })}
                value={option.label}
                onChange={(e) =>
                  dispatch({ type: "updateOption", id: field.id, index, patch: { label: e.target.value } })
                }
              />
              <input
                aria-label={t("builder.optionValue", { n })}
                className="mono"
                value={option.value}
                onChange={(e) =>
                  dispatch({ type: "updateOption", id: field.id, index, patch: { value: e.target.value } })
                }
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t("builder.optionUp", { n })}
                disabled={index === 0}
                onClick={() => dispatch({ type: "moveOption", id: field.id, index, delta: -1 })}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t("builder.optionDown", { n })}
                disabled={index === count - 1}
                onClick={() => dispatch({ type: "moveOption", id: field.id, index, delta: 1 })}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t("builder.optionRemove", { n })}
                disabled={count <= 1}
                onClick={() => dispatch({ type: "removeOption", id: field.id, index })}
              >
                ×
              </button>
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

function Rules({ field, set }: { field: Field; set: (patch: Loose) => void }) {
  const { t } = useI18n();
  const f = field as unknown as Loose;
  switch (field.type) {
    case "short_text":
      return (
        <>
          <CountRange
            f={f}
            set={set}
            keys={["minLength", "maxLength"]}
            labels={["rule.minLength", "rule.maxLength"]}
          />
          <TextInput
            label={t("rule.pattern")}
            value={f.pattern as string | undefined}
            hint={t("rule.patternHint")}
            onChange={(v) => set({ pattern: v })}
          />
          {f.pattern ? (
            <TextInput
              label={t("rule.patternMessage")}
              value={f.patternMessage as string | undefined}
              onChange={(v) => set({ patternMessage: v })}
            />
          ) : null}
        </>
      );
    case "long_text":
      return (
        <CountRange
          f={f}
          set={set}
          keys={["minLength", "maxLength"]}
          labels={["rule.minLength", "rule.maxLength"]}
        />
      );
    case "number":
      return (
        <>
          <div className="row">
            <NumberInput label={t("rule.min")} value={f.min} step="any" onChange={(v) => set({ min: v })} />
            <NumberInput label={t("rule.max")} value={f.max} step="any" onChange={(v) => set({ max: v })} />
          </div>
          <Checkbox
            label={t("rule.integer")}
            checked={f.integer === true}
            onChange={(v) => set({ integer: v || undefined })}
          />
        </>
      );
    case "multiple_choice":
      return (
        <CountRange
          f={f}
          set={set}
          keys={["minSelected", "maxSelected"]}
          labels={["rule.minSelected", "rule.maxSelected"]}
        />
      );
    case "date":
      return (
        <div className="row">
          <TextInput
            type="date"
            label={t("rule.earliestDate")}
            value={f.min as string}
            onChange={(v) => set({ min: v })}
          />
          <TextInput
            type="date"
            label={t("rule.latestDate")}
            value={f.max as string}
            onChange={(v) => set({ max: v })}
          />
        </div>
      );
    case "time":
      return (
        <div className="row">
          <TextInput
            type="time"
            label={t("rule.earliestTime")}
            value={f.min as string}
            onChange={(v) => set({ min: v })}
          />
          <TextInput
            type="time"
            label={t("rule.latestTime")}
            value={f.max as string}
            onChange={(v) => set({ max: v })}
          />
        </div>
      );
    case "rating":
      return (
        <NumberInput
          label={t("rule.ratingMax")}
          value={f.max}
          min={2}
          max={10}
          onChange={(v) => set({ max: v })}
        />
      );
    case "consent":
      return (
        <TextInput
          multiline
          label={t("rule.consentText")}
          value={f.text as string}
          onChange={(v) => set({ text: v })}
        />
      );
    case "geopoint":
      return (
        <NumberInput
          label={t("rule.maxAccuracy")}
          value={f.maxAccuracy}
          min={0}
          step="any"
          onChange={(v) => set({ maxAccuracy: v })}
        />
      );
    case "file":
      return (
        <>
          <TextInput
            label={t("rule.accept")}
            hint={t("rule.acceptHint")}
            value={Array.isArray(f.accept) ? (f.accept as string[]).join(", ") : ""}
            onChange={(v) => {
              const list = v
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean);
              set({ accept: list.length ? list : undefined });
            }}
          />
          <div className="row">
            <NumberInput
              label={t("rule.maxSizeMb")}
              value={
                typeof f.maxSizeBytes === "number"
                  ? Math.round((f.maxSizeBytes / 1048576) * 100) / 100
                  : undefined
              }
              min={0}
              step="any"
              onChange={(v) => set({ maxSizeBytes: v === undefined ? undefined : Math.round(v * 1048576) })}
            />
            <NumberInput
              label={t("rule.maxFiles")}
              value={f.maxFiles}
              min={1}
              max={20}
              onChange={(v) => set({ maxFiles: v })}
            />
          </div>
          <NumberInput
            label={t("rule.imageMaxDimension")}
            value={f.imageMaxDimension}
            min={IMAGE_MAX_DIMENSION_MIN}
            max={IMAGE_MAX_DIMENSION_MAX}
            onChange={(v) => set({ imageMaxDimension: v })}
          />
          <p className="hint">{t("rule.imageMaxDimensionHint")}</p>
        </>
      );
    default:
      return <p className="hint">{t("rule.none")}</p>;
  }
}

export function FieldEditor({
  field,
  definition,
  errors,
  dispatch,
}: {
  field: Field;
  definition: FormDefinition;
  errors: ProblemError[] | undefined;
  dispatch: Dispatch<BuilderAction>;
}) {
  const { t } = useI18n();
  const set = (patch: Loose) => dispatch({ type: "updateField", id: field.id, patch });
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
        onChange={(v) => set({ label: v })}
      />
      <div className="row">
        <FieldIdInput field={field} dispatch={dispatch} />
        <Checkbox
          label={t("builder.required")}
          checked={field.required === true}
          onChange={(v) => set({ required: v })}
        />
      </div>
      <TextInput multiline label={t("builder.help")} value={field.help} onChange={(v) => set({ help: v })} />
      {PLACEHOLDER_TYPES.has(field.type) ? (
        <TextInput
          label={t("builder.placeholder")}
          value={field.placeholder}
          onChange={(v) => set({ placeholder: v })}
        />
      ) : null}
      {CHOICE_TYPES.has(field.type) && "options" in field ? (
        <OptionsEditor field={field} dispatch={dispatch} />
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
    </div>
  );
}
