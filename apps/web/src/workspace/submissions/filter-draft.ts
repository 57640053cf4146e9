// What the filter form edits before Apply: the dates as typed and one condition per question. Kept
// apart from the URL form (filters.ts) because a half-filled condition is valid here and not there.
import type { Field } from "@coleta/forms";
import type { ProblemError } from "../api";
import type { TFunction } from "../errors";
import { filterKind, type SubmissionFilters } from "./filters";

export interface FilterCondition {
  /** "" until a question is chosen. */
  fieldId: string;
  /** Chosen options; for "contains" and "equals" questions the one typed value. */
  values: string[];
}

export interface FilterDraft {
  from: string;
  to: string;
  conditions: FilterCondition[];
}

export const BLANK_CONDITION: FilterCondition = { fieldId: "", values: [] };

/** The questions a filter can be set on, in form order. */
export function filterableFields(fields: Field[]): Field[] {
  return fields.filter((f) => filterKind(f) !== null);
}

/** The form for applied filters: a condition per question filtered (one blank one when none). */
export function draftOf(filters: SubmissionFilters, fields: Field[]): FilterDraft {
  const conditions: FilterCondition[] = [];
  for (const field of filterableFields(fields)) {
    const equals = filters.equals[field.id];
    const contains = filters.contains[field.id];
    if (filterKind(field) === "contains" && contains)
      conditions.push({ fieldId: field.id, values: [contains] });
    else if (filterKind(field) !== "contains" && equals?.length)
      conditions.push({ fieldId: field.id, values: equals });
  }
  return {
    from: filters.from ?? "",
    to: filters.to ?? "",
    conditions: conditions.length > 0 ? conditions : [BLANK_CONDITION],
  };
}

/** The filters a draft asks for; the map area is the map's and stays as it is. */
export function filtersOf(
  draft: FilterDraft,
  fields: Field[],
  area: Pick<SubmissionFilters, "bbox" | "near">,
): SubmissionFilters {
  const filters: SubmissionFilters = { equals: {}, contains: {} };
  if (draft.from) filters.from = draft.from;
  if (draft.to) filters.to = draft.to;
  for (const { fieldId, values } of draft.conditions) {
    const field = fields.find((f) => f.id === fieldId);
    const kind = field ? filterKind(field) : null;
    const chosen = values.map((v) => v.trim()).filter((v) => v !== "");
    if (!kind || chosen.length === 0) continue;
    if (kind === "contains") filters.contains[fieldId] = chosen[0] as string;
    else filters.equals[fieldId] = kind === "options" ? chosen : chosen.slice(0, 1);
  }
  if (area.bbox) filters.bbox = area.bbox;
  if (area.near) filters.near = area.near;
  return filters;
}

/** Where an error is shown: next to From or To, in a question's condition, or below the form. */
export interface PlacedErrors {
  from: ProblemError[];
  to: ProblemError[];
  /** By question id (`field.<id>` and `contains.<id>` paths). */
  fields: Record<string, ProblemError[]>;
  /** Anything else (the map area, a question the form no longer has). */
  other: ProblemError[];
}

export function placeErrors(errors: readonly ProblemError[], shownFieldIds: readonly string[]): PlacedErrors {
  const placed: PlacedErrors = { from: [], to: [], fields: {}, other: [] };
  for (const error of errors) {
    const path = String(error.path ?? "");
    const fieldId = /^(?:field|contains)\.(.+)$/.exec(path)?.[1];
    if (path === "from" || path === "to") placed[path].push(error);
    else if (fieldId !== undefined && shownFieldIds.includes(fieldId))
      placed.fields[fieldId] = [...(placed.fields[fieldId] ?? []), error];
    else placed.other.push(error);
  }
  return placed;
}

/** A filter error in the user's language by its code (the API's English text when unknown). */
export function filterErrorMessage(error: ProblemError, t: TFunction): string {
  const key = `submissions.filterError.${error.code}`;
  const text = t(key, error.params);
  return text === key ? error.message : text;
}

/** One filter's errors as one text, or undefined when it has none. */
export function filterErrorText(errors: readonly ProblemError[], t: TFunction): string | undefined {
  return errors.length > 0 ? errors.map((e) => filterErrorMessage(e, t)).join(" ") : undefined;
}
