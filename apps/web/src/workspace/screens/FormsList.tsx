import { TEXT_MAX_LENGTHS } from "@coleta/forms";
import { can } from "@coleta/permissions";
import { useEffect, useState } from "react";
import {
  api,
  type CreateFormBody,
  type Form,
  type FormSummary,
  formPath,
  type Organization,
  orgPath,
} from "../api";
import { Empty, ErrorBox, Link, Loading, StatusBadge, useAnnouncer } from "../components/common";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { FormError, LiveMessage, TextField } from "../components/fields";
import { errorMessage } from "../errors";
import { useAction } from "../hooks/useAction";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { navigate } from "../router";

function CreateFormDialog({ org, onClose }: { org: Organization; onClose: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState("");
  const creating = useAction();
  return (
    <Dialog title={t("forms.new")} onClose={onClose}>
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = await creating.run(() =>
            api<Form>(`${orgPath(org.id)}/forms`, { body: { title: title.trim() } satisfies CreateFormBody }),
          );
          if (!form) return;
          onClose();
          navigate({ name: "form", orgId: org.id, formId: form.id, tab: "edit" });
        }}
      >
        <TextField
          label={t("forms.titleLabel")}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={TEXT_MAX_LENGTHS.formTitle}
        />
        <FormError error={creating.error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={creating.busy || !title.trim()}>
            {t("forms.create")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type FormAction = "duplicate" | "close" | "reopen";

/** What an editor may do to a form in the list: duplicate any, close a published one, reopen a closed one. */
function formActions(form: FormSummary): FormAction[] {
  if (form.status === "published") return ["duplicate", "close"];
  if (form.status === "closed") return ["duplicate", "reopen"];
  return ["duplicate"];
}

export default function FormsList({ org }: { org: Organization }) {
  const { t, number, dateTime } = useI18n();
  const {
    data: forms,
    error,
    reload: load,
  } = useLoad(
    async (signal) => (await api<{ items: FormSummary[] }>(`${orgPath(org.id)}/forms`, { signal })).items,
    [org.id],
  );
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FormSummary | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [message, announce] = useAnnouncer(4000);

  useEffect(() => {
    document.title = `${t("nav.forms")} · ${org.name} · Coleta`;
  }, [org.name, t]);

  const act = async (form: FormSummary, action: FormAction) => {
    setBusyId(form.id);
    setActionError(null);
    try {
      await api(`${formPath(org.id, form.id)}/${action}`, { method: "POST", body: {} });
      await load();
      announce(t(`forms.done.${action}`, { title: form.title }));
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusyId(null);
    }
  };

  const canEdit = can(org.role, "form.edit");
  const canDelete = can(org.role, "form.delete");

  return (
    <section className="page" aria-labelledby="forms-title">
      <div className="page-title-row">
        <h1 id="forms-title">{t("forms.title")}</h1>
        {can(org.role, "form.create") ? (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            {t("forms.new")}
          </button>
        ) : null}
      </div>
      <LiveMessage message={message} />
      <FormError error={actionError} box />
      {error ? <ErrorBox message={errorMessage(error, t)} onRetry={load} /> : null}
      {!forms && !error ? <Loading /> : null}
      {forms && forms.length === 0 ? (
        <Empty title={t("forms.empty")}>{canEdit ? <p>{t("forms.emptyHint")}</p> : null}</Empty>
      ) : null}
      {forms && forms.length > 0 ? (
        <ul className="form-list" aria-label={t("forms.title")}>
          {forms.map((form) => (
            <li key={form.id} className="form-item" data-testid="form-item">
              <div className="form-item-main">
                <h2 className="form-item-title">
                  <Link
                    to={{
                      name: "form",
                      orgId: org.id,
                      formId: form.id,
                      tab: canEdit ? "edit" : "submissions",
                    }}
                  >
                    {form.title}
                  </Link>
                </h2>
                <p className="form-item-meta">
                  <StatusBadge status={form.status} />
                  {form.hasUnpublishedChanges && form.publishedVersion !== null ? (
                    <span className="badge badge-changes">{t("forms.unpublishedChanges")}</span>
                  ) : null}
                  <span>{t("forms.submissions", { count: number(form.submissionCount) })}</span>
                  <span>{t("forms.updated", { date: dateTime(form.updatedAt) })}</span>
                </p>
              </div>
              <div className="form-item-actions">
                <Link
                  className="button button-small"
                  to={{ name: "form", orgId: org.id, formId: form.id, tab: "submissions" }}
                >
                  {t("form.tab.submissions")}
                </Link>
                {canEdit
                  ? formActions(form).map((action) => (
                      <button
                        key={action}
                        type="button"
                        className="button button-small"
                        disabled={busyId === form.id}
                        onClick={() => act(form, action)}
                        aria-label={t(`forms.${action}Named`, { title: form.title })}
                      >
                        {t(`forms.${action}`)}
                      </button>
                    ))
                  : null}
                {canDelete ? (
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    onClick={() => {
                      setDeleteError(null);
                      setDeleting(form);
                    }}
                    aria-label={t("forms.deleteNamed", { title: form.title })}
                  >
                    {t("forms.delete")}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {creating ? <CreateFormDialog org={org} onClose={() => setCreating(false)} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={t("forms.deleteTitle")}
          message={t("forms.deleteBody", { title: deleting.title, count: number(deleting.submissionCount) })}
          confirmLabel={t("forms.delete")}
          danger
          busy={busyId === deleting.id}
          error={deleteError}
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            setBusyId(deleting.id);
            try {
              await api(formPath(org.id, deleting.id), { method: "DELETE" });
              announce(t("forms.done.delete", { title: deleting.title }));
              setDeleting(null);
              await load();
            } catch (err) {
              setDeleteError(errorMessage(err, t));
            } finally {
              setBusyId(null);
            }
          }}
        />
      ) : null}
    </section>
  );
}
