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
export {
  type CsvColumn,
  type CsvColumnOptions,
  type CsvRow,
  csvColumns,
  type FileUrl,
  isPhoneNumberText,
} from "./csv";
export { createEmptyDefinition, createField, type NewFieldText, optionsFromLabels } from "./defaults";
export { maxFiles, ratingMax, textMaxLength } from "./field-limits";
export { allFields, fieldById, isEmptyAnswer } from "./fields";
export { fileMatchesAccept } from "./formats";
export {
  type BoundedSetting,
  DEFAULT_LONG_TEXT_MAX_LENGTH,
  DEFAULT_MAX_FILES,
  DEFAULT_RATING_MAX,
  DEFAULT_SHORT_TEXT_MAX_LENGTH,
  FILE_NAME_MAX_LENGTH,
  FILTER_CONTAINS_MAX_LENGTH,
  FILTER_MAX_VALUES_PER_FIELD,
  ID_MAX_LENGTH,
  ID_PATTERN,
  SETTING_BOUNDS,
  TEXT_MAX_LENGTHS,
  type TextPart,
  UPLOAD_ID_PATTERN,
} from "./limits";
export { issueMessage } from "./messages";
export {
  fieldIdFromLabel,
  followsLabel,
  optionValueFromLabel,
  type SlugKind,
  slugBase,
  slugify,
  uniqueSlug,
} from "./slug";
export * from "./types";
export { validateField, validateSubmission } from "./validate";
