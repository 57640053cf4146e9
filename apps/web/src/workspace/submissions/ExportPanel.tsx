import { allFields } from "@coleta/forms";
import { useEffect, useRef, useState } from "react";
import type { Form, Organization } from "../api";
import { useAnnouncer } from "../components/common";
import { FormError, LiveMessage, SelectField } from "../components/fields";
import { useI18n } from "../i18n";
import {
  countsRows,
  defaultExportOptions,
  type ExportFormat,
  type ExportOptions,
  type ExportProgress,
  exportUrl,
  fetchExport,
  saveBlob,
  takesCsvOptions,
} from "./exporter";
import type { SubmissionFilters } from "./filters";

export function ExportPanel({
  org,
  form,
  filters,
}: {
  org: Organization;
  form: Form;
  filters: SubmissionFilters;
}) {
  const { t, number, locale } = useI18n();
  const [format, setFormat] = useState<ExportFormat>("csv");
  // The ZIP bundles the attachments: offered when the form asks for files.
  const hasFiles = allFields(form.published ?? form.draft).some((field) => field.type === "file");
  const [options, setOptions] = useState<ExportOptions>(() => defaultExportOptions(locale));
  const option = <K extends keyof ExportOptions>(key: K, value: ExportOptions[K]) =>
    setOptions((current) => ({ ...current, [key]: value }));
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  /** A select for a file option with a few choices, labelled `export.<key>` and `export.<key>.<choice>`. */
  const optionSelect = <K extends "values" | "separator">(key: K, choices: ExportOptions[K][]) => (
    <SelectField
      label={t(`export.${key}`)}
      value={options[key]}
      onChange={(e) => option(key, e.target.value as ExportOptions[K])}
      disabled={!!progress}
    >
      {choices.map((choice) => (
        <option key={choice} value={choice}>
          {t(`export.${key}.${choice}`)}
        </option>
      ))}
    </SelectField>
  );
  const [error, setError] = useState<unknown>(null);
  const [message, announce] = useAnnouncer(5000);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async () => {
    const ctrl = new AbortController();
    controller.current = ctrl;
    setError(null);
    setProgress({ bytes: 0, rows: 0 });
    try {
      const blob = await fetchExport(
        exportUrl(org.id, form.id, format, filters, options),
        format,
        ctrl.signal,
        setProgress,
      );
      saveBlob(blob, `${form.slug}-submissions.${format}`);
      announce(t("export.done"));
    } catch (err) {
      if ((err as Error)?.name === "AbortError") announce(t("export.cancelled"));
      else setError(err);
    } finally {
      controller.current = null;
      setProgress(null);
    }
  };

  const kb = (bytes: number) => number(bytes / 1024, { maximumFractionDigits: 1 });
  return (
    <section className="export" aria-labelledby="export-title">
      <h2 id="export-title" className="h3">
        {t("export.title")}
      </h2>
      <div className="row row-end">
        <SelectField
          label={t("export.format")}
          value={format}
          onChange={(e) => setFormat(e.target.value as ExportFormat)}
          disabled={!!progress}
        >
          <option value="csv">CSV</option>
          <option value="xlsx">{t("export.xlsx")}</option>
          <option value="parquet">Parquet</option>
          <option value="ndjson">NDJSON</option>
          {hasFiles ? <option value="zip">{t("export.zip")}</option> : null}
        </SelectField>
        {format !== "ndjson" && format !== "parquet" ? optionSelect("values", ["values", "labels"]) : null}
        {takesCsvOptions(format) ? (
          <>
            {optionSelect("separator", ["comma", "semicolon"])}
            <label className="checkbox export-check">
              <input
                type="checkbox"
                checked={options.bom}
                onChange={(e) => option("bom", e.target.checked)}
                disabled={!!progress}
              />
              {t("export.bom")}
            </label>
          </>
        ) : null}
        {progress ? (
          <button type="button" className="button" onClick={() => controller.current?.abort()}>
            {t("export.cancel")}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={start}>
            {t("export.start")}
          </button>
        )}
      </div>
      {progress ? (
        <div className="export-progress" data-testid="export-progress">
          <progress aria-label={t("export.progressLabel")} />
          <span role="status">
            {countsRows(format)
              ? t("export.progress", { rows: number(progress.rows), kb: kb(progress.bytes) })
              : t("export.progressBytes", { kb: kb(progress.bytes) })}
          </span>
        </div>
      ) : null}
      <LiveMessage message={message} />
      <FormError error={error} />
    </section>
  );
}
