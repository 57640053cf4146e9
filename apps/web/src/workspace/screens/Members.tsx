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
import { Card, FormError, LiveMessage, SelectField, TextField } from "../components/fields";
import { errorMessage } from "../errors";
import { useAction } from "../hooks/useAction";
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
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const inviting = useAction();
  const [message, announce] = useAnnouncer();
  const linkId = useId();
  return (
    <Card title={t("members.invite")}>
      <form
        className="row row-end"
        onSubmit={async (e) => {
          e.preventDefault();
          const inv = await inviting.run(() =>
            api<CreatedInvitation>(`${orgPath(org.id)}/invitations`, {
              body: { email, role } satisfies InvitationBody,
            }),
          );
          if (!inv) return;
          setCreated(inv);
          setEmail("");
          onInvited();
        }}
      >
        <TextField
          label={t("auth.email")}
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <SelectField label={t("members.role")} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {assignableRoles(org.role).map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button button-primary" disabled={inviting.busy}>
          {t("members.sendInvite")}
        </button>
      </form>
      <FormError error={inviting.error} />
      {created ? (
        <div className="invite-result">
          <label htmlFor={linkId}>{t("members.acceptLink", { email: created.email })}</label>
          <div className="input-with-button">
            <input
              id={linkId}
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
          <LiveMessage message={message} />
        </div>
      ) : null}
    </Card>
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
      <LiveMessage message={message} />
      <FormError error={actionError} box />
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
        <Card title={t("members.pending")}>
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
        </Card>
      ) : null}
      {can(org.role, "org.rename") ? (
        <Card title={t("org.settings")}>
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
            <TextField
              label={t("org.name")}
              value={orgName}
              required
              onChange={(e) => setOrgName(e.target.value)}
            />
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
        </Card>
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
