// Readable field ids and option values, made from what the owner types: "Qual é a sua idade?" becomes
// `qual_e_a_sua_idade`. They are the answer keys and the export columns, so they must be valid ids
// (ID_PATTERN), unique, and stable once published; the builder decides when they may still follow
// the label, this module only says what a label gives.
import { ID_MAX_LENGTH } from "./limits";

/** What an id becomes: a field id (starts with a letter) or an option value (may start with a digit). */
export type SlugKind = "field" | "option";

/** The id when the label has no letter or digit to keep ("???", an emoji). */
const FALLBACK: Record<SlugKind, string> = { field: "field", option: "option" };

// Letters NFKD does not split into a base letter and a mark.
const LIGATURES: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", þ: "th" };

/** Lowercase ASCII letters, digits and single `_` between words; "" when nothing is left. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđłþ]/g, (c) => LIGATURES[c] ?? c)
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function cut(slug: string, max: number): string {
  return slug.length <= max ? slug : slug.slice(0, max).replace(/_+$/, "");
}

/** The id a label gives before uniqueness: slugified, a field id starting with a letter, ≤ 63 chars. */
export function slugBase(label: string, kind: SlugKind): string {
  let slug = slugify(label);
  if (kind === "field") slug = slug.replace(/^[^a-z]+/, "");
  return cut(slug, ID_MAX_LENGTH) || FALLBACK[kind];
}

/** `base` when free, else `base_2`, `base_3`… (shortened so the suffix fits the length limit). */
export function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = cut(base, ID_MAX_LENGTH - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The id a field labelled `label` gets in a form whose other field ids are `taken`. */
export function fieldIdFromLabel(label: string, taken: ReadonlySet<string>): string {
  return uniqueSlug(slugBase(label, "field"), taken);
}

/** The value an option labelled `label` gets next to options whose values are `taken`. */
export function optionValueFromLabel(label: string, taken: ReadonlySet<string>): string {
  return uniqueSlug(slugBase(label, "option"), taken);
}

/**
 * True when `id` is what `label` gives, with or without a `_n` suffix: the id was made from the label
 * and nobody has typed another one, so it may keep following the label (until published).
 */
export function followsLabel(id: string, label: string, kind: SlugKind): boolean {
  const base = slugBase(label, kind);
  if (id === base) return true;
  const match = /^(.+)_([1-9]\d*)$/.exec(id);
  if (!match || Number(match[2]) < 2) return false;
  return match[1] === cut(base, ID_MAX_LENGTH - (match[2] as string).length - 1);
}
