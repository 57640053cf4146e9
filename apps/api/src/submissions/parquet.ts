import type { FormDefinition } from "@coleta/forms";
import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";
import { type ParquetColumn, parquetColumns } from "./parquet-columns";

/**
 * Rows held before they are written as one row group. Small enough that memory stays flat (well
 * under a MB of rows) and, above all, that the rows' objects die young: with 50 000 rows per group
 * they outlive V8's young generation and the export spends 3× the CPU in garbage collection
 * (measured: 2.6 s vs 0.8 s per 100k rows), for a file only 0.5% smaller.
 */
export const PARQUET_ROW_GROUP_ROWS = 10_000;

/** One submission as the Parquet writer takes it. */
export interface ParquetRow {
  id: string;
  /** received_at in microseconds since the epoch (PostgreSQL's own precision). */
  receivedAtMicros: bigint;
  formVersion: number;
  answers: unknown;
}

export interface ParquetSubmissionWriterOptions {
  /** Also write the stored answers as one JSON text column `answers` (the lake's schema-free column). */
  answersJson?: boolean;
  rowGroupRows?: number;
}

const META_SCHEMA: SchemaElement[] = [
  { name: "submission_id", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  {
    name: "received_at",
    type: "INT64",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
    repetition_type: "REQUIRED",
  },
  { name: "form_version", type: "INT32", repetition_type: "REQUIRED" },
];
const ANSWERS_SCHEMA: SchemaElement = {
  name: "answers",
  type: "BYTE_ARRAY",
  converted_type: "JSON",
  repetition_type: "REQUIRED",
};

const PLAIN = { encoding: "PLAIN", statistics: false } as const;

/** GeoParquet 1.1 file metadata for the geometry columns (WKB points in OGC:CRS84, lon/lat). */
function geoMetadata(columns: ParquetColumn[]): { key: string; value: string }[] {
  const geometry = columns.filter((c) => c.geometry);
  if (geometry.length === 0) return [];
  const described = Object.fromEntries(
    geometry.map((c) => [c.name, { encoding: "WKB", geometry_types: ["Point"] }]),
  );
  return [
    {
      key: "geo",
      value: JSON.stringify({ version: "1.1.0", primary_column: geometry[0]?.name, columns: described }),
    },
  ];
}

/** A ByteWriter that hands its bytes on after each row group instead of keeping the whole file. */
class ChunkWriter extends ByteWriter {
  constructor(private readonly emit: (bytes: Uint8Array) => void) {
    super(1 << 20);
  }
  flush(): void {
    if (this.index === 0) return;
    this.emit(this.getBytes().slice());
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

/**
 * Writes submissions as one Parquet file, row group by row group: rows are collected column by
 * column, and every `rowGroupRows` rows become a row group whose bytes go to `emit` at once, so
 * the file is never held whole. Columns: submission_id, received_at (timestamp, UTC, µs),
 * form_version, then the typed answer columns of `definition` (see parquet-columns.ts), then
 * optionally `answers` (JSON).
 */
export class ParquetSubmissionWriter {
  private readonly columns: ParquetColumn[];
  private readonly writer: ParquetWriter;
  private readonly rowGroupRows: number;
  private readonly answersJson: boolean;
  private ids: string[] = [];
  private times: bigint[] = [];
  private versions: number[] = [];
  private answerObjects: unknown[] = [];
  private values: unknown[][];
  private finished = false;

  constructor(
    definition: FormDefinition,
    emit: (bytes: Uint8Array) => void,
    options: ParquetSubmissionWriterOptions = {},
  ) {
    this.columns = parquetColumns(definition);
    this.rowGroupRows = options.rowGroupRows ?? PARQUET_ROW_GROUP_ROWS;
    this.answersJson = options.answersJson ?? false;
    this.values = this.columns.map(() => []);
    const answerElements = this.columns.flatMap((c) => c.schema);
    const topLevel = 3 + this.columns.length + (this.answersJson ? 1 : 0);
    const schema: SchemaElement[] = [
      { name: "schema", num_children: topLevel },
      ...META_SCHEMA,
      ...answerElements,
      ...(this.answersJson ? [ANSWERS_SCHEMA] : []),
    ];
    this.writer = new ParquetWriter({
      writer: new ChunkWriter(emit),
      schema,
      kvMetadata: geoMetadata(this.columns),
      createdBy: "coleta",
    });
  }

  /** The answer column names, in file order (after the three submission columns). */
  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  get bufferedRows(): number {
    return this.ids.length;
  }

  add(row: ParquetRow): void {
    this.ids.push(row.id);
    this.times.push(row.receivedAtMicros);
    this.versions.push(row.formVersion);
    const answers =
      typeof row.answers === "object" && row.answers !== null && !Array.isArray(row.answers)
        ? (row.answers as Record<string, unknown>)
        : {};
    if (this.answersJson) this.answerObjects.push(answers);
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i] as ParquetColumn;
      const answer = Object.hasOwn(answers, column.fieldId) ? answers[column.fieldId] : undefined;
      (this.values[i] as unknown[]).push(
        answer === undefined || answer === null ? null : column.value(answer),
      );
    }
    if (this.ids.length >= this.rowGroupRows) this.writeRowGroup();
  }

  /** Writes the held rows as a row group now (nothing if none are held). */
  writeRowGroup(): void {
    const rows = this.ids.length;
    if (rows === 0) return;
    const columnData = [
      // Unique values: a dictionary or min/max statistics would only cost time.
      { name: "submission_id", data: this.ids, ...PLAIN },
      { name: "received_at", data: this.times },
      { name: "form_version", data: this.versions },
      ...this.columns.map((c, i) => ({
        name: c.name,
        data: this.values[i] as unknown[],
        ...(c.geometry ? PLAIN : {}),
      })),
      ...(this.answersJson ? [{ name: "answers", data: this.answerObjects, ...PLAIN }] : []),
    ];
    // hyparquet-writer's column sources are typed loosely enough for any of our arrays.
    void this.writer.write({ columnData: columnData as never, rowGroupSize: rows });
    this.ids = [];
    this.times = [];
    this.versions = [];
    this.answerObjects = [];
    this.values = this.columns.map(() => []);
  }

  /** Writes the held rows and the footer; the file is complete once this returns. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.writeRowGroup();
    void this.writer.finish();
  }
}
