/** @jsxImportSource preact */
// One question of any type: the view of each type lives in its own file; text is the default.
import type { FunctionComponent } from "preact";
import { Consent, MultipleChoice, Rating, SingleChoice, YesNo } from "./field-choices";
import { FileField } from "./field-file";
import { Geopoint } from "./field-geopoint";
import type { FieldProps } from "./field-parts";
import { Dropdown, NumberField, TextLike } from "./field-text";

export { type FieldProps, inputId } from "./field-parts";

const VIEWS: Record<string, FunctionComponent<FieldProps>> = {
  number: NumberField,
  single_choice: SingleChoice,
  multiple_choice: MultipleChoice,
  dropdown: Dropdown,
  rating: Rating,
  yes_no: YesNo,
  consent: Consent,
  geopoint: Geopoint,
  file: FileField,
};

export function FieldView(p: FieldProps) {
  const View = VIEWS[p.field.type] ?? TextLike;
  return <View {...p} />;
}
