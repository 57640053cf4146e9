import type { IssueCode, IssueParams } from "./types";

function plural(n: number | string | undefined, one: string, many: string): string {
  return `${n} ${Number(n) === 1 ? one : many}`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return plural(bytes, "byte", "bytes");
}

// Dates are `YYYY-MM-DD` and times `HH:MM`, so the bound's own shape says which wording fits.
function boundKind(bound: string | number | undefined): "number" | "date" | "time" {
  if (typeof bound !== "string") return "number";
  return bound.includes("-") ? "date" : "time";
}

type Builder = (p: IssueParams) => string;

const BUILDERS: Record<IssueCode, Builder> = {
  required: () => "This field is required.",
  too_short: (p) => `Must be at least ${plural(p.min, "character", "characters")}.`,
  too_long: (p) => `Must be at most ${plural(p.max, "character", "characters")}.`,
  pattern: () => "Does not match the expected format.",
  invalid_type: (p) => (p.expected ? `Expected ${p.expected}.` : "Invalid value."),
  invalid_email: () => "Enter a valid e-mail address.",
  invalid_phone: (p) => `Enter a valid phone number (${p.min}–${p.max} digits).`,
  invalid_url: () => "Enter a valid web address starting with http:// or https://.",
  invalid_option: () => "Choose one of the listed options.",
  too_few_selected: (p) => `Select at least ${plural(p.min, "option", "options")}.`,
  too_many_selected: (p) => `Select at most ${plural(p.max, "option", "options")}.`,
  below_min: (p) => {
    const kind = boundKind(p.min);
    if (kind === "date") return `Must be on or after ${p.min}.`;
    if (kind === "time") return `Must be ${p.min} or later.`;
    return `Must be at least ${p.min}.`;
  },
  above_max: (p) => {
    const kind = boundKind(p.max);
    if (kind === "date") return `Must be on or before ${p.max}.`;
    if (kind === "time") return `Must be ${p.max} or earlier.`;
    return `Must be at most ${p.max}.`;
  },
  not_integer: () => "Must be a whole number.",
  invalid_date: () => "Enter a valid date (YYYY-MM-DD).",
  invalid_time: () => "Enter a valid time (HH:MM, 24-hour).",
  must_accept: () => "You must accept to continue.",
  invalid_geopoint: () => "Invalid location.",
  accuracy_too_low: (p) => `The location is not accurate enough (must be within ${p.max} m).`,
  too_many_files: (p) => `Attach at most ${plural(p.max, "file", "files")}.`,
  file_too_large: (p) =>
    `${p.name ? `"${p.name}" is too large` : "File too large"}: each file must be at most ${formatBytes(Number(p.max))}.`,
  file_type_not_allowed: (p) =>
    `${p.name ? `"${p.name}" is not` : "This is not"} an accepted file type${p.accept ? ` (${p.accept})` : ""}.`,
  unknown_upload: () => "This file was not uploaded to this form (or its upload expired); attach it again.",
  upload_in_use: () => "This file already belongs to another response; attach it again.",
  unknown_field: () => "This field is not part of the form.",
  hidden_field: () => "This field is hidden and must be left empty.",
};

/** The English message for an issue; the web translates by `code` and these `params` instead. */
export function issueMessage(code: IssueCode, params: IssueParams = {}): string {
  return BUILDERS[code](params);
}
