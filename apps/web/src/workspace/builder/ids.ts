// When a field id or an option value may still follow its label. The rule that turns a label into an
// id lives in @coleta/forms (slug.ts); here is only the builder's part: an id follows its label while
// it is still what the label gives (nobody typed another one) and the published version does not
// have it yet. Once published, answers and exports use it, so it is frozen.
import {
  type ChoiceOption,
  type Field,
  type FormDefinition,
  fieldIdFromLabel,
  followsLabel,
  optionValueFromLabel,
} from "@coleta/forms";
import { fieldIds } from "./definition";

/** The field ids of the published version, and the option values each of its fields had. */
export interface Frozen {
  fields: ReadonlySet<string>;
  options: ReadonlyMap<string, ReadonlySet<string>>;
}

export function frozenFrom(published: FormDefinition | null | undefined): Frozen {
  const fields = new Set<string>();
  const options = new Map<string, ReadonlySet<string>>();
  for (const page of published?.pages ?? []) {
    for (const field of page.fields) {
      fields.add(field.id);
      if ("options" in field) options.set(field.id, new Set(field.options.map((o) => o.value)));
    }
  }
  return { fields, options };
}

/**
 * Ids a field may not take: those of the other fields, and every id of the published version even
 * when its field was deleted since, because answers already stored under it mean something else.
 */
export function takenFieldIds(def: FormDefinition, frozen: Frozen, except?: string): Set<string> {
  const taken = fieldIds(def, except);
  for (const id of frozen.fields) if (id !== except) taken.add(id);
  return taken;
}

export function isFrozenField(frozen: Frozen, id: string): boolean {
  return frozen.fields.has(id);
}

export function isFrozenOption(frozen: Frozen, fieldId: string, value: string): boolean {
  return frozen.options.get(fieldId)?.has(value) ?? false;
}

/** The id `field` should have once its label is `label`: a new one while it follows the label. */
export function labelledId(def: FormDefinition, field: Field, label: string, frozen: Frozen): string {
  if (isFrozenField(frozen, field.id) || !followsLabel(field.id, field.label, "field")) return field.id;
  return fieldIdFromLabel(label, takenFieldIds(def, frozen, field.id));
}

/** The value option `index` of field `fieldId` should have once its label is `label`. */
export function labelledValue(
  fieldId: string,
  options: readonly ChoiceOption[],
  index: number,
  label: string,
  frozen: Frozen,
): string {
  const option = options[index];
  if (!option) return "";
  if (isFrozenOption(frozen, fieldId, option.value) || !followsLabel(option.value, option.label, "option")) {
    return option.value;
  }
  const others = new Set(options.filter((_, i) => i !== index).map((o) => o.value));
  return optionValueFromLabel(label, others);
}
