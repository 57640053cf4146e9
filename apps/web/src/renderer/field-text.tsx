/** @jsxImportSource preact */
// Questions answered in one input: text of every kind, numbers, and the dropdown.
import { useState } from "preact/hooks";
import { controlAttrs, FieldFrame, type FieldProps } from "./field-parts";
import { textMaxLength } from "./logic";

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function TextLike(p: FieldProps) {
  const f = p.field;
  const common = {
    ...controlAttrs(p),
    value: str(p.value),
    placeholder: f.placeholder,
    onInput: (e: Event) => p.onChange((e.currentTarget as HTMLInputElement).value),
  };
  const range = { min: str(f.min) || undefined, max: str(f.max) || undefined };
  let control: preact.JSX.Element;
  switch (f.type) {
    case "long_text":
      control = <textarea {...common} rows={4} maxLength={textMaxLength(f)} />;
      break;
    case "email":
      control = <input {...common} type="email" inputMode="email" autoComplete="email" spellcheck={false} />;
      break;
    case "phone":
      control = <input {...common} type="tel" inputMode="tel" autoComplete="tel" />;
      break;
    case "url":
      control = <input {...common} type="url" inputMode="url" spellcheck={false} />;
      break;
    case "date":
    case "time":
      control = <input {...common} {...range} type={f.type} />;
      break;
    default:
      control = <input {...common} type="text" maxLength={textMaxLength(f)} />;
  }
  return <FieldFrame {...p}>{control}</FieldFrame>;
}

/** Parses "1,5" as well as "1.5": respondents type the decimal separator of their language. */
export function parseNumber(raw: string): number | string | undefined {
  const trimmed = raw.trim();
  if (trimmed === "") return undefined;
  const normalized = trimmed.replace(/\s/g, "").replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(normalized)) return trimmed;
  return Number(normalized);
}

const numberText = (v: unknown) => (typeof v === "number" ? String(v) : str(v));

/**
 * The text of a number input: what the respondent typed while it still means the answer ("1," on
 * the way to "1,5" stays as typed), otherwise the answer itself. Derived on every render, so an
 * answer set from outside (a restored draft, another response) shows at once, with no copy to sync.
 */
export function useNumberText(value: unknown): [string, (typed: string) => void] {
  const [typed, setTyped] = useState<string | null>(null);
  const parsed = typed === null ? undefined : parseNumber(typed);
  const current = typed !== null && (parsed === value || (parsed === undefined && value == null));
  return [current ? (typed as string) : numberText(value), setTyped];
}

/** A text input for a number (any decimal separator; see parseNumber), reporting each edit's text. */
export function NumberInput({
  text,
  onText,
  ...attrs
}: preact.JSX.InputHTMLAttributes<HTMLInputElement> & { text: string; onText: (text: string) => void }) {
  return (
    <input
      {...attrs}
      type="text"
      autoComplete="off"
      value={text}
      onInput={(e) => onText((e.currentTarget as HTMLInputElement).value)}
    />
  );
}

export function NumberField(p: FieldProps) {
  const f = p.field;
  const [text, setText] = useNumberText(p.value);
  const negative = typeof f.min !== "number" || f.min < 0;
  return (
    <FieldFrame {...p}>
      <NumberInput
        {...controlAttrs(p)}
        inputMode={f.integer && !negative ? "numeric" : "decimal"}
        placeholder={f.placeholder}
        text={text}
        onText={(next) => {
          setText(next);
          p.onChange(parseNumber(next));
        }}
      />
    </FieldFrame>
  );
}

export function Dropdown(p: FieldProps) {
  const f = p.field;
  return (
    <FieldFrame {...p}>
      <select
        {...controlAttrs(p)}
        value={str(p.value)}
        onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
      >
        <option value="">{p.t("choice.placeholder")}</option>
        {(f.options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
