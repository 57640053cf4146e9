// Shared by the runtime validator and the definition schema so both agree on every bound.

/** Longest field or page id: ids are answer keys and export column names, so they stay short. */
export const ID_MAX_LENGTH = 63;
export const ID_PATTERN = new RegExp(`^[a-z][a-z0-9_]{0,${ID_MAX_LENGTH - 1}}$`);

/**
 * Longest text (characters) each part of a definition may hold: the schema enforces them and the
 * builder counts against them while the owner types.
 */
export const TEXT_MAX_LENGTHS = {
  formTitle: 200,
  formDescription: 5_000,
  pageTitle: 200,
  pageDescription: 5_000,
  label: 1_000,
  help: 2_000,
  placeholder: 200,
  patternMessage: 300,
  consentText: 10_000,
  optionValue: 200,
  optionLabel: 500,
  conditionValue: 1_000,
  acceptEntry: 100,
} as const;
export type TextPart = keyof typeof TEXT_MAX_LENGTHS;
export const MAX_ACCEPT_ENTRIES = 50;

export const DEFAULT_SHORT_TEXT_MAX_LENGTH = 500;
export const DEFAULT_LONG_TEXT_MAX_LENGTH = 10_000;
/** Caps on what an owner may set, so one answer cannot grow without bound. */
export const SHORT_TEXT_MAX_LENGTH_CAP = 5_000;
export const LONG_TEXT_MAX_LENGTH_CAP = 100_000;

export const DEFAULT_RATING_MAX = 5;
export const RATING_MAX_MIN = 2;
export const RATING_MAX_MAX = 10;

export const DEFAULT_MAX_FILES = 1;
export const MAX_FILES_CAP = 20;
/** Bounds of a file field's on-device image downscaling (longer side, in pixels). */
export const IMAGE_MAX_DIMENSION_MIN = 320;
export const IMAGE_MAX_DIMENSION_MAX = 8_000;
/**
 * The whole-number settings an owner picks, with their bounds: the definition schema enforces them
 * and the builder's inputs offer exactly these (keys name the setting, as the builder labels it).
 */
export const SETTING_BOUNDS = {
  ratingMax: { min: RATING_MAX_MIN, max: RATING_MAX_MAX },
  maxFiles: { min: 1, max: MAX_FILES_CAP },
  imageMaxDimension: { min: IMAGE_MAX_DIMENSION_MIN, max: IMAGE_MAX_DIMENSION_MAX },
} as const;
export type BoundedSetting = keyof typeof SETTING_BOUNDS;
/** Upload ids are UUIDs, chosen by the client so a retried upload is recognised (any case). */
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const PATTERN_MAX_LENGTH = 200;
/**
 * Instructions a compiled pattern may have. Counted repetition is expanded (`\d{3}` is three
 * instructions), and a test costs at most 2 × (value length + 1) × this many steps, so this and the
 * value's maxLength bound the work (see pattern.ts).
 */
export const PATTERN_MAX_PROGRAM_SIZE = 1_000;
export const MAX_FIELDS = 500;
export const MAX_PAGES = 100;
export const MAX_OPTIONS = 1_000;
export const MAX_CONDITION_DEPTH = 10;
export const MAX_CONDITION_ITEMS = 50;

export const EMAIL_MAX_LENGTH = 254;
export const PHONE_MAX_LENGTH = 40;
export const PHONE_MIN_DIGITS = 7;
export const PHONE_MAX_DIGITS = 15;
export const URL_MAX_LENGTH = 2_048;
export const FILE_NAME_MAX_LENGTH = 255;

/**
 * Submission filters (the API's list, map and export queries, and the workspace's filter form):
 * the most values one `field.<id>` filter may list (each is one index probe), and the longest
 * `contains.<id>` text, in characters.
 */
export const FILTER_MAX_VALUES_PER_FIELD = 100;
export const FILTER_CONTAINS_MAX_LENGTH = 200;
