import { useState } from "react";
import { api, type InvitationPreview } from "../api";
import { ErrorBox, Loading } from "../components/common";
import { errorMessage } from "../errors";
import { useAction } from "../hooks/useAction";
import { useLoad } from "../hooks/useLoad";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";
import { AuthForm } from "./Auth";

export default function InviteScreen({ token }: { token: string }) {
  const { t } = useI18n();
  const session = useSession();
  const { data: invitation, error } = useLoad(
    (signal) => api<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`, { signal }),
    [token],
  );
  const accepting = useAction();
  const [haveAccount, setHaveAccount] = useState(false);

  const accept = () =>
    accepting.run(async () => {
      const result = await api<{ organizationId: string }>(
        `/invitations/${encodeURIComponent(token)}/accept`,
        {
          method: "POST",
          body: {},
        },
      );
      await session.refresh();
      navigate({ name: "forms", orgId: result.organizationId }, { replace: true });
    });
  const busy = accepting.busy;
  const acceptError = accepting.error ? errorMessage(accepting.error, t) : null;

  if (error) return <ErrorBox message={errorMessage(error, t)} />;
  if (!invitation) return <Loading />;
  const me = session.me;
  const pending = invitation.status === "pending" || !invitation.status;
  return (
    <div className="auth-page">
      <section className="auth-card stack" aria-labelledby="invite-title">
        <h1 id="invite-title">{t("invite.title", { org: invitation.organizationName })}</h1>
        <p>{t("invite.body", { email: invitation.email, role: t(`role.${invitation.role}`) })}</p>
        {!pending ? <p className="notice">{t("invite.notPending", { status: invitation.status })}</p> : null}
        {pending && me ? (
          me.user.email.toLowerCase() === invitation.email.toLowerCase() ? (
            <button type="button" className="button button-primary" onClick={accept} disabled={busy}>
              {t("invite.accept")}
            </button>
          ) : (
            <p className="notice">{t("invite.wrongAccount", { email: me.user.email })}</p>
          )
        ) : null}
        {acceptError ? (
          <p className="error" role="alert">
            {acceptError}
          </p>
        ) : null}
      </section>
      {pending && !me ? (
        <>
          <AuthForm
            key={haveAccount ? "in" : "up"}
            mode={haveAccount ? "signin" : "signup"}
            email={invitation.email}
            onDone={async () => {
              await session.refresh();
            }}
          />
          <p className="auth-switch">
            <button type="button" className="link-button" onClick={() => setHaveAccount(!haveAccount)}>
              {haveAccount ? t("invite.needAccount") : t("invite.haveAccount")}
            </button>
          </p>
        </>
      ) : null}
    </div>
  );
}
