import { createEmptyDefinition, type FormDefinition } from "@coleta/forms";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Form, Organization } from "../api";
import { I18nProvider } from "../i18n";
import { ExportPanel } from "./ExportPanel";
import { NO_FILTERS } from "./filters";

afterEach(cleanup);

const org = { id: "org-1" } as Organization;
const withFields = (fields: FormDefinition["pages"][number]["fields"]): Form =>
  ({
    id: "form-1",
    slug: "survey",
    published: { ...createEmptyDefinition("Survey"), pages: [{ id: "p1", fields }] },
  }) as Form;
const form = withFields([{ id: "name", type: "short_text", label: "Name" }]);

function panel(locale: "en" | "pt-BR", shown: Form = form) {
  return render(
    <I18nProvider initial={locale}>
      <ExportPanel org={org} form={shown} filters={NO_FILTERS} />
    </I18nProvider>,
  );
}

describe("ExportPanel", () => {
  it("offers CSV, XLSX, Parquet and NDJSON, with `;` and a BOM by default in pt-BR", () => {
    panel("pt-BR");
    const format = screen.getByLabelText("Formato") as HTMLSelectElement;
    expect([...format.options].map((o) => o.value)).toEqual(["csv", "xlsx", "parquet", "ndjson"]);
    expect((screen.getByLabelText("Separador") as HTMLSelectElement).value).toBe("semicolon");
    expect((screen.getByLabelText("Marca BOM, para o Excel") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Respostas de escolha") as HTMLSelectElement).value).toBe("values");
  });

  it("uses commas without a BOM in English, and shows only the options a format has", () => {
    panel("en");
    expect((screen.getByLabelText("Separator") as HTMLSelectElement).value).toBe("comma");
    expect((screen.getByLabelText("Byte order mark, for Excel") as HTMLInputElement).checked).toBe(false);
    fireEvent.change(screen.getByLabelText("Format"), { target: { value: "xlsx" } });
    expect(screen.queryByLabelText("Separator")).toBeNull();
    expect(screen.getByLabelText("Choice answers")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Format"), { target: { value: "parquet" } });
    expect(screen.queryByLabelText("Choice answers")).toBeNull();
  });

  it("offers the ZIP of data and files when the form asks for files, with the CSV options", () => {
    panel("en", withFields([{ id: "photo", type: "file", label: "Photo" }]));
    const format = screen.getByLabelText("Format") as HTMLSelectElement;
    expect([...format.options].map((o) => o.value)).toEqual(["csv", "xlsx", "parquet", "ndjson", "zip"]);
    fireEvent.change(format, { target: { value: "zip" } });
    expect(screen.getByLabelText("Separator")).toBeTruthy();
    expect(screen.getByLabelText("Choice answers")).toBeTruthy();
  });
});
