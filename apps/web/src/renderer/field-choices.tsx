/** @jsxImportSource preact */
// Questions answered by picking: single and multiple choice, yes/no, rating stars, consent. Each is a
// fieldset of radios or checkboxes drawn as large tappable labels.
import type { ComponentChildren } from "preact";
import { FieldFrame, type FieldProps, inputId, stateAttrs } from "./field-parts";
import { ratingMax } from "./logic";

interface Choice {
  key: string;
  label: ComponentChildren;
  checked: boolean;
  onSelect: (checked: boolean) => void;
}

interface ChoicesProps extends FieldProps {
  kind: "radio" | "checkbox";
  choices: Choice[];
  className?: string;
}

/** The question's fieldset with one input per choice; the first input gets the question's id. */
function Choices(p: ChoicesProps) {
  const base = inputId(p.idPrefix, p.field.id);
  return (
    <FieldFrame {...p} group>
      <div class={p.className ?? "cf-choices"}>
        {p.choices.map((c, i) => {
          const id = i === 0 ? base : `${base}-${i}`;
          return (
            <div class="cf-choice" key={c.key}>
              <input
                {...stateAttrs(p, { only: "error" })}
                id={id}
                type={p.kind}
                name={p.field.id}
                value={c.key}
                checked={c.checked}
                disabled={p.disabled}
                required={p.kind === "radio" && p.field.required}
                onChange={(e) => c.onSelect((e.currentTarget as HTMLInputElement).checked)}
                onBlur={p.onBlur}
              />
              <label for={id}>{c.label}</label>
            </div>
          );
        })}
      </div>
    </FieldFrame>
  );
}

/** One radio per option; picking one answers its value. */
function radios(p: FieldProps, options: { value: unknown; key: string; label: ComponentChildren }[]) {
  return options.map((o) => ({
    key: o.key,
    label: o.label,
    checked: p.value === o.value,
    onSelect: () => p.onChange(o.value),
  }));
}

export function SingleChoice(p: FieldProps) {
  const options = (p.field.options ?? []).map((o) => ({ value: o.value, key: o.value, label: o.label }));
  return <Choices {...p} kind="radio" choices={radios(p, options)} />;
}

export function MultipleChoice(p: FieldProps) {
  const options = p.field.options ?? [];
  const current = Array.isArray(p.value) ? (p.value as string[]) : [];
  const choices = options.map((o) => ({
    key: o.value,
    label: o.label,
    checked: current.includes(o.value),
    onSelect: (checked: boolean) => {
      // Keep the definition's option order so answers are stable.
      const next = options.map((x) => x.value).filter((v) => (v === o.value ? checked : current.includes(v)));
      p.onChange(next.length ? next : undefined);
    },
  }));
  return <Choices {...p} kind="checkbox" choices={choices} />;
}

export function YesNo(p: FieldProps) {
  const options = [
    { value: true, key: "yes", label: p.t("yes") },
    { value: false, key: "no", label: p.t("no") },
  ];
  return <Choices {...p} kind="radio" className="cf-choices cf-inline" choices={radios(p, options)} />;
}

export function Rating(p: FieldProps) {
  const max = ratingMax(p.field);
  const value = typeof p.value === "number" ? p.value : 0;
  const options = Array.from({ length: max }, (_, i) => ({
    value: i + 1,
    key: String(i + 1),
    label: (
      <>
        <span aria-hidden="true" class={i < value ? "cf-star cf-on" : "cf-star"}>
          ★
        </span>
        <span class="visually-hidden">{p.t("rating.star", { value: i + 1, max })}</span>
      </>
    ),
  }));
  return <Choices {...p} kind="radio" className="cf-stars" choices={radios(p, options)} />;
}

export function Consent(p: FieldProps) {
  const choice = {
    key: "accept",
    label: p.field.text ?? p.field.label,
    checked: p.value === true,
    onSelect: (checked: boolean) => p.onChange(checked ? true : undefined),
  };
  return <Choices {...p} kind="checkbox" className="cf-choices cf-consent" choices={[choice]} />;
}
