import type { FormDefinition } from "@coleta/forms";
import { useEffect, useRef, useState } from "react";
import type { Locale } from "../../i18n/core";
import type { FormPreviewHandle } from "../../renderer";
import { useI18n } from "../i18n";

/**
 * Live preview: the respondent renderer (Preact, src/renderer) mounted into a div we own. It is
 * loaded lazily so the builder chunk stays small, and updated in place on every edit.
 */
export function Preview({ definition }: { definition: FormDefinition }) {
  const { t, locale } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<FormPreviewHandle | null>(null);
  const latest = useRef<{ definition: FormDefinition; locale: Locale }>({ definition, locale });
  latest.current = { definition, locale };
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    import("../../renderer")
      .then(({ mountFormPreview }) => {
        if (cancelled || !ref.current) return;
        handle.current = mountFormPreview(ref.current, latest.current);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      handle.current?.unmount();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    handle.current?.update(definition, locale);
  }, [definition, locale]);

  return (
    <section className="preview" aria-label={t("builder.preview")}>
      <h2 className="preview-title">{t("builder.preview")}</h2>
      {failed ? <p className="error">{t("builder.previewFailed")}</p> : null}
      <div ref={ref} className="preview-surface" data-testid="preview" />
    </section>
  );
}
