import { Readable } from "node:stream";
import yazl from "yazl";

// A streamed XLSX (Office Open XML spreadsheet) writer: the package is a ZIP (yazl, streamed and
// deflated) of a few fixed XML parts and one worksheet whose rows are written as they come, with
// inline strings (no shared-string table to hold in memory). docs/decisions/0006-xlsx-export.md.

export type XlsxCell = string | number | boolean | Date | null | undefined;

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Rows of data a worksheet holds (Excel's 1,048,576 rows, less the header). */
export const XLSX_MAX_ROWS = 1_048_575;
/** Excel refuses a cell longer than this. */
export const XLSX_MAX_CELL = 32_767;
/** Fixed entry times: the same rows give the same bytes. */
const MTIME = new Date(Date.UTC(2026, 0, 1));

const STYLE = { header: 1, dateTime: 2 } as const;

const staticParts = (sheetName: string): [string, string][] => [
  [
    "[Content_Types].xml",
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  ],
  [
    "_rels/.rels",
    `<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ],
  [
    "xl/workbook.xml",
    `<workbook xmlns="${MAIN}" xmlns:r="${OFFICE_RELS}"><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    "xl/_rels/workbook.xml.rels",
    `<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${OFFICE_RELS}/styles" Target="styles.xml"/></Relationships>`,
  ],
  [
    "xl/styles.xml",
    // Cell styles: 0 plain, 1 bold (the header), 2 date and time.
    `<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  ],
];

// Characters XML 1.0 cannot carry (controls other than tab/newline/CR, lone surrogates, U+FFFE/F).
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Text as XML character data: escaped, characters XML cannot hold replaced by U+FFFD. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>"]/g, (c) => ESCAPES[c] as string);
}

/** A worksheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]. */
export function sheetTitle(name: string): string {
  const title = name
    .replace(/[:\\/?*[\]]/g, " ")
    .trim()
    .slice(0, 31)
    .trim();
  return title || "Submissions";
}

/** Excel's serial date: days since 1899-12-30, in UTC. */
const excelSerial = (ms: number) => ms / 86_400_000 + 25_569;

/** Column letters: A…Z, AA…ZZ, AAA…, for cell references. */
const letters: string[] = [];
function columnName(index: number): string {
  let name = letters[index];
  if (name === undefined) {
    name = "";
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
      name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    letters[index] = name;
  }
  return name;
}

/** One cell with its reference; an empty cell is left out (the references keep the columns). */
function cellXml(ref: string, value: XlsxCell, style = 0): string {
  const s = style ? ` s="${style}"` : "";
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "number") return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : "";
  if (typeof value === "boolean") return `<c r="${ref}" t="b"${s}><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date)
    return `<c r="${ref}" s="${STYLE.dateTime}"><v>${excelSerial(value.getTime())}</v></c>`;
  // Inline strings are never formulas, so no guard is needed (unlike CSV). Longer than Excel
  // accepts: cut, with an ellipsis, rather than a file Excel refuses to open.
  const text = value.length > XLSX_MAX_CELL ? `${value.slice(0, XLSX_MAX_CELL - 1)}…` : value;
  return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
}

/** One worksheet row (1-based `index`). */
export function rowXml(index: number, cells: readonly XlsxCell[], style = 0): string {
  let xml = `<row r="${index}">`;
  for (let i = 0; i < cells.length; i++) xml += cellXml(`${columnName(i)}${index}`, cells[i], style);
  return `${xml}</row>`;
}

/**
 * The XLSX file of a header row and the rows `body` yields (each chunk already `rowXml` text,
 * numbered from 2), as a byte stream pulled by the reader: `body` is only asked for more when the
 * compressed output has been taken. An error from `body` errors the stream.
 */
export function xlsxStream(
  sheetName: string,
  header: readonly string[],
  body: AsyncIterable<string>,
): Readable {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  for (const [name, xml] of staticParts(sheetTitle(sheetName))) {
    zip.addBuffer(Buffer.from(XML_HEAD + xml), name, { mtime: MTIME });
  }
  async function* sheet() {
    // The header stays in view while scrolling (a frozen first row).
    yield `${XML_HEAD}<worksheet xmlns="${MAIN}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${rowXml(1, header, STYLE.header)}`;
    yield* body;
    yield "</sheetData></worksheet>";
  }
  const sheetStream = Readable.from(sheet(), { objectMode: false });
  sheetStream.on("error", (error) => output.destroy(error));
  zip.addReadStream(sheetStream, "xl/worksheets/sheet1.xml", { mtime: MTIME });
  zip.end();
  return output;
}
