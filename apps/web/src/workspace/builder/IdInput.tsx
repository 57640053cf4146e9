// The hand-editable id of a field or value of an option: checked on every keystroke and applied as
// soon as it is valid; read-only once published, because answers and exports refer to it.
import { ID_PATTERN, TEXT_MAX_LENGTHS } from "@coleta/forms";
import { useEffect, useId, useState } from "react";
import type { I18n } from "../i18n";
import { describedBy, Note } from "./inputs";

export function IdInput({
  value,
  frozen,
  problem,
  onChange,
  label,
  ariaLabel,
  hint,
}: {
  value: string;
  frozen: boolean;
  /** Why a draft cannot be used (null when it can). */
  problem: (draft: string) => string | null;
  onChange: (next: string) => void;
  /** A visible label, or `ariaLabel` in a compact row. */
  label?: string;
  ariaLabel?: string;
  hint?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const error = draft === value ? null : problem(draft);
  return (
    <>
      {label ? <label htmlFor={id}>{label}</label> : null}
      <input
        id={id}
        className="mono"
        value={draft}
        readOnly={frozen}
        spellCheck={false}
        autoCapitalize="off"
        aria-label={ariaLabel}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && `${id}-err`, hint && `${id}-hint`)}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          if (next !== value && problem(next) === null) onChange(next);
        }}
        // An unusable draft is not kept out of sight: leaving the input shows the id in use again.
        onBlur={() => setDraft(value)}
      />
      <Note id={`${id}-err`} kind="error" text={error} />
      <Note id={`${id}-hint`} kind="hint" text={hint} />
    </>
  );
}

/** The schema's id rule, and uniqueness among the form's other field ids. */
export function fieldIdProblem(t: I18n["t"], otherIds: ReadonlySet<string>) {
  return (draft: string) =>
    !ID_PATTERN.test(draft) ? t("builder.idInvalid") : otherIds.has(draft) ? t("builder.idTaken") : null;
}

/** The schema's option value rule (1–200 characters), and uniqueness within the field. */
export function optionValueProblem(t: I18n["t"], otherValues: ReadonlySet<string>) {
  const max = TEXT_MAX_LENGTHS.optionValue;
  return (draft: string) =>
    draft === ""
      ? t("builder.valueEmpty")
      : draft.length > max
        ? t("builder.valueTooLong", { max })
        : otherValues.has(draft)
          ? t("builder.valueTaken")
          : null;
}
