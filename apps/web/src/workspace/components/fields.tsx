// Form pieces every screen repeats: a labelled input or select with its hint and error tied to it
// (aria-describedby), a titled card, and the messages around a form (an error to read, a status
// that is spoken).
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";

interface FieldText {
  label: ReactNode;
  /** Help under the control. */
  hint?: ReactNode;
  /** What is wrong with the value, already in the user's language; marks the control invalid. */
  error?: string | undefined;
  /** The wrapper's classes (`field field-narrow` in a row of filters…). */
  className?: string;
}

export type ControlProps = {
  id: string;
  "aria-describedby": string | undefined;
  "aria-invalid": true | undefined;
};

/** A label above a control, with its hint and error below it; `children` draws the control. */
export function FormField({
  label,
  hint,
  error,
  className = "field",
  children,
}: FieldText & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-describedby": described || undefined, "aria-invalid": error ? true : undefined })}
      {hint ? (
        <small className="hint" id={`${id}-hint`}>
          {hint}
        </small>
      ) : null}
      {error ? (
        <p className="error field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  className,
  ...input
}: FieldText & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <FormField {...{ label, hint, error, className }}>
      {(control) => <input {...control} {...input} />}
    </FormField>
  );
}

export function SelectField({
  label,
  hint,
  error,
  className = "field field-narrow",
  ...select
}: FieldText & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id">) {
  return (
    <FormField {...{ label, hint, error, className }}>
      {(control) => <select {...control} {...select} />}
    </FormField>
  );
}

/** A card with a heading that names it (for landmarks and screen readers' section lists). */
export function Card({ title, children }: { title: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Why the last action failed, announced; nothing when it did not. `error` is a message already in
 * the user's language or anything `api()` threw. `box` for a page-level one.
 */
export function FormError({ error, box = false }: { error: unknown; box?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className={box ? "error-box" : "error"} role="alert">
      {typeof error === "string" ? error : errorMessage(error, t)}
    </p>
  );
}

/** A polite status line ("Saved.", "3 more loaded."): screen readers speak it, it hides when empty. */
export function LiveMessage({ message }: { message: string }) {
  return (
    <p className="live-message" role="status" aria-live="polite">
      {message}
    </p>
  );
}
