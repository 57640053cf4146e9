import { useEffect, useState } from "react";
import { WEB_BASE } from "../../config";
import type { Form } from "../api";
import { CopyButton, useAnnouncer } from "../components/common";
import { useI18n } from "../i18n";

export function publicUrl(slug: string, origin = location.origin): string {
  return `${origin}${WEB_BASE}/f/${encodeURIComponent(slug)}`;
}

export function embedSnippet(slug: string, title: string, origin = location.origin): string {
  const safeTitle = title.replace(
    /[&"<>]/g,
    (c) => ({ "&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;" })[c] as string,
  );
  return `<iframe src="${publicUrl(slug, origin)}?embed=1" title="${safeTitle}" width="100%" height="720" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

export default function Share({ form }: { form: Form }) {
  const { t } = useI18n();
  const url = publicUrl(form.slug);
  const snippet = embedSnippet(form.slug, form.title);
  const [qr, setQr] = useState<string | null>(null);
  const [message, announce] = useAnnouncer();

  useEffect(() => {
    let cancelled = false;
    import("qrcode")
      .then((mod) =>
        (mod.default ?? mod).toDataURL(url, { margin: 2, width: 512, errorCorrectionLevel: "M" }),
      )
      .then((data) => {
        if (!cancelled) setQr(data);
      })
      .catch(() => setQr(null));
    return () => {
      cancelled = true;
    };
  }, [url]);

  const copied = (ok: boolean) => announce(ok ? t("share.copied") : t("share.copyFailed"));

  return (
    <section className="share" aria-labelledby="share-title" data-testid="share">
      <h2 id="share-title">{t("share.title")}</h2>
      {form.status !== "published" ? (
        <p className="notice">{form.status === "closed" ? t("share.closed") : t("share.notPublished")}</p>
      ) : null}
      <div className="share-grid">
        <div className="stack">
          <div className="field">
            <label htmlFor="share-link">{t("share.link")}</label>
            <div className="input-with-button">
              <input id="share-link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={url} label={t("share.copyLink")} onCopied={copied} />
            </div>
            <p>
              <a href={url} target="_blank" rel="noopener">
                {t("share.open")}
              </a>
            </p>
          </div>
          <div className="field">
            <label htmlFor="share-embed">{t("share.embed")}</label>
            <textarea
              id="share-embed"
              readOnly
              rows={4}
              value={snippet}
              className="mono"
              onFocus={(e) => e.currentTarget.select()}
            />
            <div>
              <CopyButton text={snippet} label={t("share.copyEmbed")} onCopied={copied} />
            </div>
          </div>
        </div>
        <figure className="qr">
          {qr ? (
            <img src={qr} alt={t("share.qrAlt", { url })} width={220} height={220} data-testid="qr" />
          ) : (
            <div className="qr-placeholder" aria-hidden="true" />
          )}
          <figcaption>
            {qr ? (
              <a className="button" href={qr} download={`${form.slug}-qr.png`}>
                {t("share.downloadQr")}
              </a>
            ) : null}
          </figcaption>
        </figure>
      </div>
      <p className="live-message" role="status" aria-live="polite" data-testid="copy-status">
        {message}
      </p>
    </section>
  );
}
