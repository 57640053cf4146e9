// The builder's form controls: text with a live length count against the limit of @coleta/forms,
// numbers read in the owner's language, checkboxes and "at least / at most" pairs.
import { type ReactNode, useEffect, useId, useState } from "react";
import type { Locale } from "../../i18n/core";
import { type I18n, useI18n } from "../i18n";
import { formatDecimal, parseDecimal } from "./decimal";

/** The count shows from this share of the limit on, so it is there before the limit is reached. */
const COUNT_FROM = 0.8;

/** Whether `LengthNote` shows (and so whether an input may point at it). */
export function showsLength(length: number, limit: number | undefined): limit is number {
  return limit !== undefined && length >= limit * COUNT_FROM;
}

/** "812 / 1,000" near the limit, an error past it; nothing while the text is short. */
export function LengthNote({ id, length, limit }: { id: string; length: number; limit: number }) {
  const { t, number } = useI18n();
  if (!showsLength(length, limit)) return null;
  const over = length > limit;
  return (
    <small id={id} className={over ? "length-note error" : "length-note hint"}>
      {over
        ? t("builder.tooLong", { count: number(length), max: number(limit) })
        : t("builder.length", { count: number(length), max: number(limit) })}
    </small>
  );
}

/** A line under an input (hint, warning or error) that the input names in aria-describedby. */
export function Note({
  id,
  kind,
  text,
}: {
  id: string;
  kind: "hint" | "warning" | "error";
  text?: string | null;
}) {
  return text ? (
    <small id={id} className={kind}>
      {text}
    </small>
  ) : null;
}

/** Props that tie an input to its notes (hint, warning, length) for assistive technology. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

export function TextInput({
  label,
  value,
  onChange,
  multiline,
  type = "text",
  hint,
  warning,
  required,
  limit,
  id: fixedId,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  multiline?: boolean;
  type?: string;
  hint?: string;
  /** Shown but never blocking (e.g. another question has the same label). */
  warning?: string | null;
  required?: boolean;
  /** The longest text the definition accepts here (TEXT_MAX_LENGTHS); shows a count near it. */
  limit?: number;
  id?: string;
}) {
  const generated = useId();
  const id = fixedId ?? generated;
  const text = value ?? "";
  const over = limit !== undefined && text.length > limit;
  const common = {
    id,
    value: text,
    "aria-invalid": over ? true : undefined,
    "aria-describedby": describedBy(
      hint && `${id}-hint`,
      warning && `${id}-warn`,
      showsLength(text.length, limit) && `${id}-len`,
    ),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} required={required} onChange={(e) => onChange(e.target.value)} />
      )}
      {limit !== undefined ? <LengthNote id={`${id}-len`} length={text.length} limit={limit} /> : null}
      <Note id={`${id}-warn`} kind="warning" text={warning} />
      <Note id={`${id}-hint`} kind="hint" text={hint} />
    </div>
  );
}

export interface NumberRule {
  /** Empty is a problem too (a condition's value), not "no rule". */
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
}

/**
 * A number typed as text in the owner's language ("30,5" in Portuguese), parsed by `parseDecimal`.
 * Text that is no number (or nothing, when required) is kept on screen with an error and not passed
 * on; a number outside the rule is passed on with the error shown (saving then lists it too).
 */
export function DecimalInput({
  value,
  onChange,
  rule = {},
  id: fixedId,
  label,
  describedBy: extra,
}: {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  rule?: NumberRule;
  id?: string;
  /** An accessible name when there is no <label> for `id`. */
  label?: string;
  describedBy?: string;
}): ReactNode {
  const { t, locale } = useI18n();
  const generated = useId();
  const id = fixedId ?? generated;
  const [raw, setRaw] = useState(() => formatDecimal(value, locale));
  const parsed = parseDecimal(raw, locale);
  // Follow changes from outside (another input, undo, a locale switch), not the owner's own typing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `raw` is what is being typed
  useEffect(() => {
    if (parseDecimal(raw, locale) !== value) setRaw(formatDecimal(value, locale));
  }, [value, locale]);
  const error = numberProblem(parsed, rule, t, locale);
  return (
    <>
      <input
        id={id}
        type="text"
        inputMode={rule.integer && (rule.min ?? -1) >= 0 ? "numeric" : "decimal"}
        autoComplete="off"
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(extra, error && `${id}-err`)}
        value={raw}
        onChange={(e) => {
          setRaw(e.target.value);
          const next = parseDecimal(e.target.value, locale);
          if (next !== null && !(next === undefined && rule.required)) onChange(next);
        }}
      />
      <Note id={`${id}-err`} kind="error" text={error} />
    </>
  );
}

function numberProblem(
  value: number | null | undefined,
  rule: NumberRule,
  t: I18n["t"],
  locale: Locale,
): string | null {
  const invalid = () => t("number.invalid", { example: formatDecimal(30.5, locale) });
  if (value === undefined) return rule.required ? invalid() : null;
  if (value === null) return invalid();
  if (rule.integer && !Number.isInteger(value)) return t("number.whole");
  const { min, max } = rule;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    if (min !== undefined && max !== undefined) return t("number.between", { min, max });
    return min !== undefined ? t("number.atLeast", { min }) : t("number.atMost", { max: max as number });
  }
  return null;
}

export function NumberInput({
  label,
  value,
  onChange,
  ...rule
}: {
  label: string;
  value: unknown;
  onChange: (value: number | undefined) => void;
} & NumberRule) {
  const id = useId();
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>{label}</label>
      <DecimalInput
        id={id}
        value={typeof value === "number" ? value : undefined}
        rule={rule}
        onChange={onChange}
      />
    </div>
  );
}

export function Checkbox({
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

type Loose = Record<string, unknown>;

/** A "lowest / highest" pair of one rule: counts (whole numbers), numbers, dates or times. */
export function RangeInputs({
  f,
  set,
  keys: [low, high],
  labels: [lowLabel, highLabel],
  kind,
}: {
  f: Loose;
  set: (patch: Loose) => void;
  keys: [string, string];
  labels: [string, string];
  kind: "count" | "number" | "date" | "time";
}) {
  const { t } = useI18n();
  const input = (key: string, label: string, min: number) =>
    kind === "date" || kind === "time" ? (
      <TextInput type={kind} label={t(label)} value={f[key] as string} onChange={(v) => set({ [key]: v })} />
    ) : (
      <NumberInput
        label={t(label)}
        value={f[key]}
        integer={kind === "count"}
        min={kind === "count" ? min : undefined}
        onChange={(v) => set({ [key]: v })}
      />
    );
  return (
    <div className="row">
      {input(low, lowLabel, 0)}
      {input(high, highLabel, 1)}
    </div>
  );
}
