import { useEffect, useState } from "react";
import { api } from "../api";
import { CreateOrgForm } from "../components/CreateOrgForm";
import { Link } from "../components/common";
import { FormError, TextField } from "../components/fields";
import { useAction } from "../hooks/useAction";
import { useI18n } from "../i18n";
import { useSession } from "../session";

export type AuthMode = "owner" | "signin" | "signup" | "createOrg";

/** Sign in / sign up form. `onDone` runs after success (default: reload the session). */
export function AuthForm({
  mode,
  email: presetEmail,
  onDone,
}: {
  mode: "owner" | "signin" | "signup";
  email?: string;
  onDone?: () => void | Promise<void>;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState(presetEmail ?? "");
  const [password, setPassword] = useState("");
  const [setupCode, setSetupCode] = useState("");
  const submitting = useAction();
  const signingUp = mode !== "signin";
  // The server is reachable from the network and has no owner yet: the console shows a code.
  const needsSetupCode = mode === "owner" && session.setup?.setupCodeRequired === true;

  useEffect(() => {
    document.title = `${t(`auth.title.${mode}`)} · Coleta`;
  }, [mode, t]);

  return (
    <form
      className="auth-card stack"
      data-testid={`auth-${mode}`}
      onSubmit={async (e) => {
        e.preventDefault();
        await submitting.run(async () => {
          if (signingUp) {
            await api("/auth/sign-up/email", {
              body: {
                name,
                email,
                password,
                // Used only for the first account: its organization, named in the user's language.
                ...(mode === "owner"
                  ? { organizationName: t("auth.firstOrgName", { name: name.trim() }) }
                  : {}),
                ...(needsSetupCode ? { setupCode } : {}),
              },
            });
            // Some setups do not start a session on sign-up: sign in explicitly then.
            const signedIn = await api("/me").then(
              () => true,
              () => false,
            );
            if (!signedIn) await api("/auth/sign-in/email", { body: { email, password } });
          } else {
            await api("/auth/sign-in/email", { body: { email, password } });
          }
          if (onDone) await onDone();
          else await session.refresh();
        });
      }}
    >
      <h1>{t(`auth.title.${mode}`)}</h1>
      {mode === "owner" ? <p>{t("auth.ownerIntro")}</p> : null}
      {needsSetupCode ? (
        <TextField
          label={t("auth.setupCode")}
          hint={t("auth.setupCodeHint")}
          value={setupCode}
          onChange={(e) => setSetupCode(e.target.value)}
          required
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
        />
      ) : null}
      {signingUp ? (
        <TextField
          label={t("auth.name")}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoComplete="name"
        />
      ) : null}
      <TextField
        label={t("auth.email")}
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
        autoComplete="email"
        readOnly={presetEmail !== undefined}
      />
      <TextField
        label={t("auth.password")}
        hint={signingUp ? t("auth.passwordHint") : undefined}
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        minLength={signingUp ? 8 : undefined}
        autoComplete={signingUp ? "new-password" : "current-password"}
      />
      <FormError error={submitting.error} />
      <button type="submit" className="button button-primary" disabled={submitting.busy}>
        {t(`auth.submit.${mode}`)}
      </button>
    </form>
  );
}

export default function AuthScreen({ mode }: { mode: AuthMode }) {
  const { t } = useI18n();
  const session = useSession();
  const signupMode = session.setup?.signupMode ?? "open";
  if (mode === "createOrg") {
    return (
      <div className="auth-page">
        <CreateOrgForm className="auth-card stack" replace>
          <h1>{t("auth.createOrgTitle")}</h1>
          <p>{t("auth.createOrgIntro")}</p>
        </CreateOrgForm>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <AuthForm key={mode} mode={mode} />
      {mode === "signin" && signupMode === "open" ? (
        <p className="auth-switch">
          {t("auth.noAccount")} <Link to={{ name: "signup" }}>{t("auth.toSignup")}</Link>
        </p>
      ) : null}
      {mode === "signup" ? (
        <p className="auth-switch">
          {t("auth.haveAccount")} <Link to={{ name: "signin" }}>{t("auth.toSignin")}</Link>
        </p>
      ) : null}
    </div>
  );
}
