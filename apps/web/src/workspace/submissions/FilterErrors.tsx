import type { ProblemError } from "../api";
import { useI18n } from "../i18n";
import { filterErrorText } from "./filter-draft";

/** The messages of one filter, next to it; `id` is what its control's aria-describedby names. */
export function FilterErrors({ id, errors }: { id?: string; errors: readonly ProblemError[] }) {
  const { t } = useI18n();
  const text = filterErrorText(errors, t);
  if (!text) return null;
  return (
    <p className="error filter-error" id={id}>
      {text}
    </p>
  );
}
