import { assignableRoles, can } from "@coleta/permissions";
import { useEffect, useId, useState } from "react";
import { WEB_BASE } from "../../config";
import {
  api,
  type CreatedInvitation,
  type Invitation,
  type InvitationBody,
  type Member,
  type Organization,
  type OrganizationBody,
  orgPath,
  type Role,
} from "../api";
import { CopyButton, Empty, ErrorBox, Loading, useAnnouncer } from "../components/common";
import { ConfirmDialog } from "../components/Dialog";
import { errorMessage } from "../errors";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";

export function acceptLink(invitation: CreatedInvitation, origin = location.origin): string {
  if (invitation.acceptUrl) return new URL(invitation.acceptUrl, origin).toString();
  return `${origin}${WEB_BASE}/invite/${encodeURIComponent(invitation.token)}`;
}

function InviteForm({ org, onInvited }: { org: Organization; onInvited: () => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, announce] = useAnnouncer();
  const ids = { email: useId(), role: useId(), link: useId() };
  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t("members.invite")}</h2>
      <form
        className="row row-end"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const inv = await api<CreatedInvitation>(`${orgPath(org.id)}/invitations`, {
              body: { email, role } satisfies InvitationBody,
            });
            setCreated(inv);
            setEmail("");
            onInvited();
          } catch (err) {
            setError(errorMessage(err, t));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="field">
          <label htmlFor={ids.email}>{t("auth.email")}</label>
          <input
            id={ids.email}
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field field-narrow">
          <label htmlFor={ids.role}>{t("members.role")}</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {assignableRoles(org.role).map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {t("members.sendInvite")}
        </button>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {created ? (
        <div className="invite-result">
          <label htmlFor={ids.link}>{t("members.acceptLink", { email: created.email })}</label>
          <div className="input-with-button">
            <input
              id={ids.link}
              readOnly
              value={acceptLink(created)}
              data-testid="accept-link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton
              text={acceptLink(created)}
              label={t("share.copyLink")}
              onCopied={(ok) => announce(ok ? t("share.copied") : t("share.copyFailed"))}
            />
          </div>
          <p className="live-message" role="status" aria-live="polite">
            {message}
          </p>
        </div>
      ) : null}
    </section>
  );
}

export default function Members({ org }: { org: Organization }) {
  const { t, dateTime } = useI18n();
  const session = useSession();
  const [actionError, setActionError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [deletingOrg, setDeletingOrg] = useState(false);
  const [orgName, setOrgName] = useState(org.name);
  const [message, announce] = useAnnouncer(4000);
  const manage = can(org.role, "members.manage");
  const invite = can(org.role, "invitations.manage");
  const myId = session.me?.user.id;

  // The member list is every member's to read; pending invitations only theirs who manage them.
  const {
    data,
    error,
    reload: load,
  } = useLoad(
    async (signal) => {
      const [m, inv] = await Promise.all([
        api<{ items: Member[] }>(`${orgPath(org.id)}/members`, { signal }),
        invite ? api<{ items: Invitation[] }>(`${orgPath(org.id)}/invitations`, { signal }) : null,
      ]);
      return {
        members: m.items,
        invitations: inv ? inv.items.filter((i) => !i.status || i.status === "pending") : null,
      };
    },
    [org.id, invite],
  );
  const members = data?.members ?? null;
  const invitations = data?.invitations ?? null;

  useEffect(() => {
    document.title = `${t("members.title")} · ${org.name} · Coleta`;
  }, [org.name, t]);

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setActionError(null);
    try {
      await fn();
      announce(done);
      await load();
      return true;
    } catch (err) {
      setActionError(errorMessage(err, t));
      return false;
    }
  };

  const roles = assignableRoles(org.role);

  return (
    <section className="page" aria-labelledby="members-title">
      <h1 id="members-title">{t("members.title")}</h1>
      <p className="live-message" role="status" aria-live="polite">
        {message}
      </p>
      {actionError ? (
        <p className="error-box" role="alert">
          {actionError}
        </p>
      ) : null}
      {error ? <ErrorBox message={errorMessage(error, t)} onRetry={load} /> : null}
      {invite ? <InviteForm org={org} onInvited={load} /> : null}
      {!members && !error ? <Loading /> : null}
      {members ? (
        <div className="table-wrap">
          <table className="table" data-testid="members-table">
            <caption className="visually-hidden">{t("members.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("auth.name")}</th>
                <th scope="col">{t("auth.email")}</th>
                <th scope="col">{t("members.role")}</th>
                <th scope="col">{t("members.joined")}</th>
                {manage ? <th scope="col">{t("common.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const editable = manage && m.userId !== myId && (m.role !== "owner" || org.role === "owner");
                return (
                  <tr key={m.userId}>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td>
                      {editable ? (
                        <select
                          aria-label={t("members.roleOf", { name: m.name })}
                          value={m.role}
                          onChange={(e) =>
                            run(
                              () =>
                                api(`${orgPath(org.id)}/members/${encodeURIComponent(m.userId)}`, {
                                  method: "PATCH",
                                  body: { role: e.target.value },
                                }),
                              t("members.roleChanged", { name: m.name }),
                            )
                          }
                        >
                          {(roles.includes(m.role) ? roles : [m.role, ...roles]).map((r) => (
                            <option key={r} value={r}>
                              {t(`role.${r}`)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(`role.${m.role}`)
                      )}
                    </td>
                    <td>{dateTime(m.joinedAt, { dateStyle: "medium" })}</td>
                    {manage ? (
                      <td>
                        {editable ? (
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            onClick={() => setRemoving(m)}
                            aria-label={t("members.removeNamed", { name: m.name })}
                          >
                            {t("members.remove")}
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {invite ? (
        <section className="card" aria-labelledby="pending-heading">
          <h2 id="pending-heading">{t("members.pending")}</h2>
          {!invitations ? null : invitations.length === 0 ? (
            <Empty title={t("members.noPending")} />
          ) : (
            <ul className="plain-list">
              {invitations.map((inv) => (
                <li key={inv.id} className="row row-between">
                  <span>
                    {inv.email} · {t(`role.${inv.role}`)} ·{" "}
                    {t("members.expires", { date: dateTime(inv.expiresAt, { dateStyle: "medium" }) })}
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={t("members.revokeNamed", { email: inv.email })}
                    onClick={() =>
                      run(
                        () =>
                          api(`${orgPath(org.id)}/invitations/${encodeURIComponent(inv.id)}`, {
                            method: "DELETE",
                          }),
                        t("members.revoked", { email: inv.email }),
                      )
                    }
                  >
                    {t("members.revoke")}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {can(org.role, "org.rename") ? (
        <section className="card" aria-labelledby="org-heading">
          <h2 id="org-heading">{t("org.settings")}</h2>
          <form
            className="row row-end"
            onSubmit={async (e) => {
              e.preventDefault();
              const ok = await run(
                () =>
                  api(orgPath(org.id), {
                    method: "PATCH",
                    body: { name: orgName } satisfies OrganizationBody,
                  }),
                t("org.renamed"),
              );
              if (ok) await session.refresh();
            }}
          >
            <div className="field">
              <label htmlFor="org-name">{t("org.name")}</label>
              <input id="org-name" value={orgName} required onChange={(e) => setOrgName(e.target.value)} />
            </div>
            <button type="submit" className="button">
              {t("org.rename")}
            </button>
          </form>
          {can(org.role, "org.delete") ? (
            <div className="danger-zone">
              <h3>{t("org.dangerZone")}</h3>
              <button type="button" className="button button-danger" onClick={() => setDeletingOrg(true)}>
                {t("org.delete")}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={t("members.removeTitle")}
          message={t("members.removeBody", { name: removing.name, org: org.name })}
          confirmLabel={t("members.remove")}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const m = removing;
            setRemoving(null);
            await run(
              () => api(`${orgPath(org.id)}/members/${encodeURIComponent(m.userId)}`, { method: "DELETE" }),
              t("members.removed", { name: m.name }),
            );
          }}
        />
      ) : null}
      {deletingOrg ? (
        <ConfirmDialog
          title={t("org.deleteTitle")}
          message={t("org.deleteBody", { org: org.name })}
          confirmLabel={t("org.delete")}
          danger
          onCancel={() => setDeletingOrg(false)}
          onConfirm={async () => {
            setDeletingOrg(false);
            const ok = await run(() => api(orgPath(org.id), { method: "DELETE" }), t("org.deleted"));
            if (ok) {
              await session.refresh();
              navigate({ name: "home" }, { replace: true });
            }
          }}
        />
      ) : null}
    </section>
  );
}
