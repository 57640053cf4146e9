import fc from "fast-check";
import { scaleDefinition } from "./scale";

const fieldIds = scaleDefinition.pages.flatMap((p) => p.fields.map((f) => f.id));

/**
 * Answers of any shape for the scale form: its own keys (and strangers) holding any JSON value,
 * as rows stored under older versions of a form, or written by anything else, can hold; with
 * formula-like text, numbers JSON cannot hold, odd geopoints and lists of file-like objects.
 */
export const anyAnswers = fc.dictionary(
  fc.oneof(fc.constantFrom(...fieldIds), fc.string({ maxLength: 6 })),
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string().map((s) => `=${s}`),
    fc.string().map((s) => `-${s},"\n`),
    fc.double({ noNaN: true }),
    fc.record({
      lat: fc.oneof(fc.double(), fc.jsonValue()),
      lon: fc.double(),
      accuracy: fc.oneof(fc.integer(), fc.string()),
    }),
    fc.array(
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.record({ name: fc.string(), size: fc.nat() })),
    ),
  ),
);
