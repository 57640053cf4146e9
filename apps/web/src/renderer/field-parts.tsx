/** @jsxImportSource preact */
// What every question shares: its props, element ids, the label (or legend) with the required mark,
// help and error text, and the attributes that tie an input to them.
import type { ComponentChildren } from "preact";
import type { Locale } from "../i18n/core";
import type { LooseField } from "./logic";
import type { T } from "./messages";

export interface FieldProps {
  field: LooseField;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur: () => void;
  error: string | null;
  idPrefix: string;
  locale: Locale;
  t: T;
  disabled?: boolean;
}

/** Id of the element that receives focus for a field (its input, or the first input of a group). */
export const inputId = (idPrefix: string, fieldId: string) => `${idPrefix}-${fieldId}`;

const errorId = (p: FieldProps) => `${inputId(p.idPrefix, p.field.id)}-error`;

function describedBy(p: FieldProps, extra?: string): string | undefined {
  const base = inputId(p.idPrefix, p.field.id);
  const ids = [extra, p.field.help ? `${base}-help` : null, p.error ? errorId(p) : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/**
 * An input's link to its question's state: `aria-invalid` while its error shows (the stylesheet draws
 * the red border from it, for every kind of input) and `aria-describedby` for help and error.
 * `only: "error"` for the inputs of a group, whose fieldset already carries the help.
 */
export function stateAttrs(p: FieldProps, options: { extra?: string; only?: "error" } = {}) {
  return {
    "aria-invalid": p.error ? ("true" as const) : undefined,
    "aria-describedby":
      options.only === "error" ? (p.error ? errorId(p) : undefined) : describedBy(p, options.extra),
  };
}

/** What the one input of a question carries: its id and name, required, disabled, state and blur. */
export function controlAttrs(p: FieldProps, options: { extra?: string } = {}) {
  return {
    ...stateAttrs(p, options),
    id: inputId(p.idPrefix, p.field.id),
    name: p.field.id,
    required: p.field.required,
    disabled: p.disabled,
    onBlur: p.onBlur,
  };
}

function RequiredMark({ field, t }: { field: LooseField; t: T }) {
  if (!field.required) return null;
  return (
    <span class="cf-req">
      <span aria-hidden="true"> *</span>
      <span class="visually-hidden"> ({t("field.required")})</span>
    </span>
  );
}

/**
 * One question: a label (or, for a group of inputs, a fieldset and legend), help text, the inputs and
 * the error message.
 */
export function FieldFrame(
  p: FieldProps & { children: ComponentChildren; group?: boolean; groupDescribedBy?: string },
) {
  const f = p.field;
  const base = inputId(p.idPrefix, f.id);
  const title = (
    <>
      {f.label}
      <RequiredMark field={f} t={p.t} />
    </>
  );
  const body = (
    <>
      {f.help ? (
        <p class="cf-help" id={`${base}-help`}>
          {f.help}
        </p>
      ) : null}
      {p.children}
      {p.error ? (
        <p class="cf-error" id={errorId(p)}>
          <span aria-hidden="true">⚠ </span>
          {p.error}
        </p>
      ) : null}
    </>
  );
  return p.group ? (
    <fieldset
      class="cf-field cf-group"
      data-field={f.id}
      aria-describedby={describedBy(p, p.groupDescribedBy)}
    >
      <legend class="cf-label">{title}</legend>
      {body}
    </fieldset>
  ) : (
    <div class="cf-field" data-field={f.id}>
      <label class="cf-label" id={`${base}-label`} for={base}>
        {title}
      </label>
      {body}
    </div>
  );
}
