import { describe, expect, it } from "vitest";
import { defaultExportOptions, exportUrl, readWithProgress } from "./exporter";
import { NO_FILTERS } from "./filters";

function streamOf(chunks: string[], options: { hang?: boolean } = {}): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) {
        controller.enqueue(enc.encode(chunks[i++] as string));
      } else if (!options.hang) {
        controller.close();
      }
      // When hanging, never close: only a cancel ends the read.
    },
  });
}

function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe("export progress reader", () => {
  it("counts bytes and CSV rows as chunks arrive and returns the whole file", async () => {
    const chunks = ["id,name\n1,A", "na\n2,Bo\n", "3,Cy\n"];
    const seen: { bytes: number; rows: number }[] = [];
    const blob = await readWithProgress(streamOf(chunks), { format: "csv", onProgress: (p) => seen.push(p) });
    expect(await blobText(blob)).toBe("id,name\n1,Ana\n2,Bo\n3,Cy\n");
    expect(seen.map((p) => p.rows)).toEqual([0, 2, 3, 3]);
    expect(seen.map((p) => p.bytes)).toEqual([11, 19, 24, 24]);
    expect(blob.type).toBe("text/csv");
  });

  it("counts NDJSON lines, including a last line without newline", async () => {
    const last: { rows: number }[] = [];
    await readWithProgress(streamOf(['{"a":1}\n{"a":2}\n', '{"a":3}']), {
      format: "ndjson",
      onProgress: (p) => last.push(p),
    });
    expect(last.at(-1)?.rows).toBe(3);
  });

  it("cancels: rejects with AbortError and stops reading", async () => {
    const controller = new AbortController();
    const promise = readWithProgress(streamOf(["id\n", "1\n"], { hang: true }), {
      format: "csv",
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 1) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("export options", () => {
  it("default to `;` and a BOM in pt-BR, commas elsewhere, stored values always", () => {
    expect(defaultExportOptions("pt-BR")).toEqual({ bom: true, separator: "semicolon", values: "values" });
    expect(defaultExportOptions("en")).toEqual({ bom: false, separator: "comma", values: "values" });
  });

  it("go to the API as query parameters, each only for the formats it applies to", () => {
    const options = { bom: true, separator: "semicolon", values: "labels" } as const;
    const query = (format: "csv" | "xlsx" | "parquet") =>
      new URL(exportUrl("o", "f", format, NO_FILTERS, options), "http://x").searchParams;
    expect(Object.fromEntries(query("csv"))).toEqual({
      format: "csv",
      bom: "true",
      separator: "semicolon",
      values: "labels",
    });
    expect(Object.fromEntries(query("xlsx"))).toEqual({ format: "xlsx", values: "labels" });
    expect(Object.fromEntries(query("parquet"))).toEqual({ format: "parquet" });
    // The ZIP has its own address and takes the options of the CSV inside it.
    const zip = new URL(exportUrl("o", "f", "zip", NO_FILTERS, options), "http://x");
    expect(zip.pathname).toMatch(/\/submissions\/export\.zip$/);
    expect(Object.fromEntries(zip.searchParams)).toEqual({
      bom: "true",
      separator: "semicolon",
      values: "labels",
    });
  });

  it("carry the list's filters: several options, text contains and the area", () => {
    const filters = {
      equals: { color: ["red", "blue"] },
      contains: { name: "ana" },
      near: { lat: 1, lon: 2, radius: 300 },
    };
    const query = new URL(exportUrl("o", "f", "ndjson", filters), "http://x").searchParams;
    expect(query.getAll("field.color")).toEqual(["red", "blue"]);
    expect(query.get("contains.name")).toBe("ana");
    expect(query.get("near")).toBe("1.000000,2.000000,300");
    expect(query.get("format")).toBe("ndjson");
  });

  it("count no rows in a binary download (its bytes are not lines)", async () => {
    const last: { rows: number; bytes: number }[] = [];
    await readWithProgress(streamOf(["PK\n\n\n", "\n"]), { format: "xlsx", onProgress: (p) => last.push(p) });
    expect(last.at(-1)).toEqual({ rows: 0, bytes: 6 });
  });
});
