import { createHash } from "node:crypto";
import { allFields, csvColumns, type FormDefinition } from "@coleta/forms";
import { type CsvOptions, csvRowRenderer } from "./csv-cells";

/**
 * CSV cells stored with each submission (decision 0010): the answers' cells of a CSV export with
 * the default options (comma, stored values), written by the same renderer as the export when the
 * submission is stored, so an export passes them on instead of parsing and rendering every row.
 *
 * A row's cells are only good for the columns and rules they were rendered with, so each carries a
 * stamp of both: the form's columns (key and field type) and the renderer's rules. The export uses
 * a row's stored cells only when their stamp equals the one of the definition it exports; any
 * other row (an older form version with other columns, rows stored before the cells existed, cells
 * of older rules) is rendered from its answers as before, to the same text.
 */
export interface StoredCsvCells {
  /** Of this definition's columns and today's rules. */
  stamp: string;
  /** The cells of one submission's answers, or null when they must be rendered at export. */
  render(answers: Record<string, unknown>): string | null;
}

/**
 * Bump when a change to the CSV rules (apps/api/src/submissions/csv-cells.ts, packages/forms
 * csv.ts) could change a cell's text that the probe below does not cover: every stored cell of
 * the older rules is then rendered again at export.
 */
const RULES_VERSION = 1;

/**
 * The renderer's output on answers of every shape a cell rule treats differently: a change to any
 * of those rules changes this text, and with it every stamp, without anyone remembering to bump
 * RULES_VERSION.
 */
function rulesFingerprint(): string {
  const probe: FormDefinition = {
    schemaVersion: 1,
    title: "probe",
    pages: [
      {
        id: "p",
        fields: [
          { id: "t", type: "short_text", label: "t" },
          { id: "n", type: "number", label: "n" },
          { id: "y", type: "yes_no", label: "y" },
          { id: "m", type: "multiple_choice", label: "m", options: [{ value: "a", label: "A" }] },
          { id: "g", type: "geopoint", label: "g" },
        ],
      },
    ],
  };
  const render = csvRowRenderer(probe);
  const texts = [
    "plain",
    'a "quote"',
    "a,b",
    "line\nbreak",
    "=1+1",
    "+55 11 99999-9999",
    "+cmd",
    "-1.5",
    "-x",
    "@x",
    "\tx",
    "",
  ];
  const numbers = [0, -0, 1.5, -2, 1e21, -1e-7, 123456789012345680000];
  const rows = [
    ...texts.map((t) => ({ t, m: [t, 1, true] })),
    ...numbers.map((n) => ({ n, g: { lat: n, lon: -n, accuracy: n } })),
    { y: true, t: true, n: "7" },
    { y: false, m: [], g: { lat: "1" } },
  ];
  return rows.map((row) => render(row)).join("\n");
}

let rules: string | undefined;
const made = new WeakMap<FormDefinition, StoredCsvCells | null>();

/**
 * The stored cells of a definition's columns, or null when its cells cannot be stored: a form
 * with file fields (their cells are download links made at export) or without columns. Made once
 * per definition object (the submission path asks for every submission of a cached form).
 */
export function storedCsvCells(definition: FormDefinition): StoredCsvCells | null {
  let cells = made.get(definition);
  if (cells === undefined) {
    cells = makeStoredCsvCells(definition);
    made.set(definition, cells);
  }
  return cells;
}

/**
 * The stamp of stored cells an export with these options can pass on, or null when it renders
 * every row: the cells are those of the default options (comma, stored values).
 */
export function exportStamp(definition: FormDefinition, options: CsvOptions): string | null {
  if ((options.separator ?? ",") !== "," || options.labels) return null;
  return storedCsvCells(definition)?.stamp ?? null;
}

/**
 * What the writer stores for one submission of `definition`: its cells and their stamp, or null.
 * The cells only speed exports up, so whatever goes wrong making them leaves them to the export
 * rather than failing the submission.
 */
export function storedCellsOf(
  definition: FormDefinition,
  answers: Record<string, unknown>,
): { cells: string; stamp: string } | null {
  try {
    const stored = storedCsvCells(definition);
    const cells = stored?.render(answers) ?? null;
    return stored && cells !== null ? { cells, stamp: stored.stamp } : null;
  } catch {
    return null;
  }
}

function makeStoredCsvCells(definition: FormDefinition): StoredCsvCells | null {
  const fields = allFields(definition);
  if (fields.length === 0 || fields.some((field) => field.type === "file")) return null;
  rules ??= `${RULES_VERSION}\n${rulesFingerprint()}`;
  const columns = csvColumns(definition).map((column) => column.key);
  const stamp = createHash("sha256")
    .update(rules)
    .update(JSON.stringify([columns, fields.map((field) => field.type)]))
    .digest("base64url")
    .slice(0, 22);
  const render = csvRowRenderer(definition);
  const geopoints = new Set(fields.filter((field) => field.type === "geopoint").map((field) => field.id));
  const ids = fields.map((field) => field.id);
  return {
    stamp,
    render: (answers) => (ids.every((id) => renders(answers, id, geopoints)) ? render(answers) : null),
  };
}

/**
 * Whether an answer's cell is the same whether rendered from the object the API validated or from
 * the stored jsonb read back. Not when it is an object rendered as JSON text (jsonb orders its keys
 * its own way) or a number JSON cannot hold (stored as null); such a row is rendered at export.
 */
function renders(answers: Record<string, unknown>, id: string, geopoints: Set<string>): boolean {
  if (!Object.hasOwn(answers, id)) return true;
  const value = answers[id];
  // A geopoint's three cells read its parts, whatever the order of its keys.
  if (geopoints.has(id) && typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.values(value).every(isPlain);
  }
  return Array.isArray(value) ? value.every(isPlain) : isPlain(value);
}

function isPlain(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return value === null || typeof value === "string" || typeof value === "boolean";
}
