import { lazy, Suspense, useEffect } from "react";
import { api, type Form, formPath, type Organization } from "../api";
import { ErrorBox, Link, Loading, StatusBadge } from "../components/common";
import { errorMessage } from "../errors";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import type { FormTab } from "../router";

const Builder = lazy(() => import("../builder/Builder"));
const Share = lazy(() => import("./Share"));
const Submissions = lazy(() => import("../submissions/Submissions"));
const Summary = lazy(() => import("../submissions/Summary"));

const TABS: FormTab[] = ["edit", "share", "submissions", "summary"];

export default function FormFrame({ org, formId, tab }: { org: Organization; formId: string; tab: FormTab }) {
  const { t } = useI18n();
  const {
    data: form,
    error,
    reload,
    setData: setForm,
  } = useLoad((signal) => api<Form>(formPath(org.id, formId), { signal }), [org.id, formId]);

  useEffect(() => {
    if (form) document.title = `${form.title} · Coleta`;
  }, [form]);

  if (error) return <ErrorBox message={errorMessage(error, t)} onRetry={reload} />;
  if (!form) return <Loading />;

  return (
    <div className="form-frame">
      <div className="form-frame-head">
        <p className="breadcrumb">
          <Link to={{ name: "forms", orgId: org.id }}>{t("nav.forms")}</Link>
        </p>
        <h1>
          {form.title} <StatusBadge status={form.status} />
          {form.hasUnpublishedChanges && form.publishedVersion !== null ? (
            <span className="badge badge-changes">{t("forms.unpublishedChanges")}</span>
          ) : null}
        </h1>
        <nav aria-label={t("form.tabs")} className="tabs">
          {TABS.map((name) => (
            <Link
              key={name}
              to={{ name: "form", orgId: org.id, formId, tab: name }}
              className={name === tab ? "tab active" : "tab"}
              aria-current={name === tab ? "page" : undefined}
            >
              {t(`form.tab.${name}`)}
            </Link>
          ))}
        </nav>
      </div>
      <Suspense fallback={<Loading />}>
        {tab === "edit" ? <Builder org={org} form={form} onFormChange={setForm} /> : null}
        {tab === "share" ? <Share form={form} /> : null}
        {tab === "submissions" ? <Submissions org={org} form={form} /> : null}
        {tab === "summary" ? <Summary org={org} form={form} /> : null}
      </Suspense>
    </div>
  );
}
