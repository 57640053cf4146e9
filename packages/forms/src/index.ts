// The zod-free entry point: the respondent fill page imports this under a tight JS budget, so
// nothing here may pull in a dependency. Definition validation with zod lives in "./schema".
export {
  type ConditionValueKind,
  conditionOpsFor,
  conditionValueKind,
  evaluateCondition,
  isFieldVisible,
  visibleFields,
  visiblePages,
} from "./conditions";
export { type CsvColumn, csvColumns } from "./csv";
export { createEmptyDefinition, createField } from "./defaults";
export { allFields, fieldById, isEmptyAnswer } from "./fields";
export {
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_MAX_FILES,
  DEFAULT_RATING_MAX,
  DEFAULT_SHORT_TEXT_MAX_LENGTH,
} from "./limits";
export { issueMessage } from "./messages";
export * from "./types";
export { validateField, validateSubmission } from "./validate";
