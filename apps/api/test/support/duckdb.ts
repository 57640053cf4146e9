import { DuckDBInstance } from "@duckdb/node-api";

/** An in-memory DuckDB (Parquet and JSON readers are built in; nothing is downloaded). */
export async function duckdb() {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  return {
    /** Rows as plain JSON values (BIGINT/DATE/TIMESTAMP as text, as DuckDB renders them). */
    async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as T[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export const sqlText = (value: string) => `'${value.replaceAll("'", "''")}'`;
