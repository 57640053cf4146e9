import type { Field } from "@coleta/forms";
import type { ReactNode } from "react";
import type { Form, Organization, Submission } from "../api";
import { useI18n } from "../i18n";
import { FileAnswers } from "./FileAnswers";
import { formatAnswer } from "./format";

/** One answer of a submission: its files as thumbnails or large images, anything else as text. */
export function Answer({
  org,
  form,
  submission,
  field,
  size,
  empty = null,
}: {
  org: Organization;
  form: Form;
  submission: Submission;
  field: Field;
  size: "thumb" | "large";
  /** What to show when there is no answer. */
  empty?: ReactNode;
}) {
  const i18n = useI18n();
  const value = submission.answers[field.id];
  if (field.type === "file" && Array.isArray(value) && value.length > 0) {
    return (
      <FileAnswers
        orgId={org.id}
        formId={form.id}
        submissionId={submission.id}
        fieldId={field.id}
        value={value}
        size={size}
      />
    );
  }
  return formatAnswer(field, value, i18n) || empty;
}
