import { useEffect, useId, useState } from "react";
import { api, type Organization, type OrganizationBody } from "../api";
import { Link } from "../components/common";
import { errorMessage } from "../errors";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";

export type AuthMode = "owner" | "signin" | "signup" | "createOrg";

function CreateOrg() {
  const { t } = useI18n();
  const session = useSession();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  return (
    <form
      className="auth-card stack"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const org = await api<Organization>("/orgs", { body: { name } satisfies OrganizationBody });
          await session.refresh();
          navigate({ name: "forms", orgId: org.id }, { replace: true });
        } catch (err) {
          setError(errorMessage(err, t));
          setBusy(false);
        }
      }}
    >
      <h1>{t("auth.createOrgTitle")}</h1>
      <p>{t("auth.createOrgIntro")}</p>
      <div className="field">
        <label htmlFor={id}>{t("org.name")}</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("org.create")}
      </button>
    </form>
  );
}

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), email: useId(), password: useId(), setupCode: useId() };
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
        setBusy(true);
        setError(null);
        try {
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
        } catch (err) {
          setError(errorMessage(err, t));
          setBusy(false);
        }
      }}
    >
      <h1>{t(`auth.title.${mode}`)}</h1>
      {mode === "owner" ? <p>{t("auth.ownerIntro")}</p> : null}
      {needsSetupCode ? (
        <div className="field">
          <label htmlFor={ids.setupCode}>{t("auth.setupCode")}</label>
          <input
            id={ids.setupCode}
            value={setupCode}
            onChange={(e) => setSetupCode(e.target.value)}
            required
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            aria-describedby={`${ids.setupCode}-hint`}
          />
          <small className="hint" id={`${ids.setupCode}-hint`}>
            {t("auth.setupCodeHint")}
          </small>
        </div>
      ) : null}
      {signingUp ? (
        <div className="field">
          <label htmlFor={ids.name}>{t("auth.name")}</label>
          <input
            id={ids.name}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="name"
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={ids.email}>{t("auth.email")}</label>
        <input
          id={ids.email}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoComplete="email"
          readOnly={presetEmail !== undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.password}>{t("auth.password")}</label>
        <input
          id={ids.password}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={signingUp ? 8 : undefined}
          autoComplete={signingUp ? "new-password" : "current-password"}
          aria-describedby={signingUp ? `${ids.password}-hint` : undefined}
        />
        {signingUp ? (
          <small id={`${ids.password}-hint`} className="hint">
            {t("auth.passwordHint")}
          </small>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={busy}>
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
        <CreateOrg />
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
