import {
  EMAIL_MAX_LENGTH,
  PHONE_MAX_DIGITS,
  PHONE_MAX_LENGTH,
  PHONE_MIN_DIGITS,
  URL_MAX_LENGTH,
} from "./limits";

// Compiled once at module load: the server validates thousands of submissions a second.
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
// The HTML living-standard e-mail grammar, plus a dot in the domain: addresses without a
// top-level domain are almost always typos in a survey.
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const PHONE_CHARS_RE = /^[0-9 +()-]+$/;
const URL_RE = /^https?:\/\/\S+$/i;
const MIME_RE = /^[a-z0-9!#$&^_.+-]+\/(?:\*|[a-z0-9!#$&^_.+-]+)$/i;
const EXTENSION_RE = /^\.[a-z0-9][a-z0-9._+-]*$/i;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isValidTime(value: string): boolean {
  return TIME_RE.test(value);
}

export function isValidEmail(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && EMAIL_RE.test(value);
}

export function isValidPhone(value: string): boolean {
  return isPhoneShaped(value, PHONE_CHARS_RE);
}

/**
 * The bounds every phone number keeps, whatever characters a caller allows around its digits (the
 * validator and the CSV formula guard allow different ones): at most PHONE_MAX_LENGTH characters,
 * all matching `chars`, and PHONE_MIN_DIGITS to PHONE_MAX_DIGITS digits.
 */
export function isPhoneShaped(value: string, chars: RegExp): boolean {
  if (value.length > PHONE_MAX_LENGTH || !chars.test(value)) return false;
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= PHONE_MIN_DIGITS && digits <= PHONE_MAX_DIGITS;
}

export function isValidUrl(value: string): boolean {
  // The cheap regex first rejects most garbage (and whitespace, which `new URL` would trim away)
  // before paying for a full parse.
  if (value.length > URL_MAX_LENGTH || !URL_RE.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export function isValidAcceptEntry(entry: string): boolean {
  return MIME_RE.test(entry) || EXTENSION_RE.test(entry);
}

/** Whether a file matches one of the `accept` entries, as the HTML `accept` attribute does. */
export function fileMatchesAccept(name: string, type: string, accept: readonly string[]): boolean {
  const lowerName = name.toLowerCase();
  const lowerType = type.toLowerCase();
  for (const raw of accept) {
    const entry = raw.toLowerCase();
    if (entry.startsWith(".")) {
      if (lowerName.endsWith(entry)) return true;
    } else if (entry.endsWith("/*")) {
      if (lowerType.startsWith(entry.slice(0, -1))) return true;
    } else if (lowerType === entry) {
      return true;
    }
  }
  return false;
}
