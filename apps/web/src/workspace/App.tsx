import { can } from "@coleta/permissions";
import { lazy, type ReactNode, Suspense, useEffect, useState } from "react";
import { LOCALES, type Locale } from "../i18n/core";
import { CreateOrgForm } from "./components/CreateOrgForm";
import { ErrorBox, Link, Loading } from "./components/common";
import { Dialog } from "./components/Dialog";
import { errorMessage } from "./errors";
import { I18nProvider, useI18n } from "./i18n";
import { navigate, type Route, useRoute } from "./router";
import { preferredOrg, rememberOrg, SessionProvider, useSession } from "./session";

// One chunk per screen: the builder, tables and charts load only when opened.
const AuthScreen = lazy(() => import("./screens/Auth"));
const FormsList = lazy(() => import("./screens/FormsList"));
const FormFrame = lazy(() => import("./screens/FormFrame"));
const Members = lazy(() => import("./screens/Members"));
const InviteScreen = lazy(() => import("./screens/Invite"));

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}

function LanguageSelect() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="lang-select">
      <span className="visually-hidden">{t("header.language")}</span>
      <select
        value={locale}
        onChange={(e) => setLocale(e.target.value as Locale)}
        aria-label={t("header.language")}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function orgIdOf(route: Route): string | undefined {
  return "orgId" in route ? route.orgId : undefined;
}

function NewOrgDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t("org.new")} onClose={onClose}>
      <CreateOrgForm className="stack" onCreated={onClose} />
    </Dialog>
  );
}

function Header({ route }: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const [newOrg, setNewOrg] = useState(false);
  const orgs = session.me?.organizations ?? [];
  const orgId = orgIdOf(route);
  const current = orgs.find((o) => o.id === orgId);
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t("header.skip")}
      </a>
      <div className="brand">
        <Link to={{ name: "home" }}>Coleta</Link>
      </div>
      {session.me ? (
        <nav aria-label={t("header.nav")} className="main-nav">
          {orgs.length > 0 ? (
            <label className="org-switcher">
              <span className="visually-hidden">{t("header.organization")}</span>
              <select
                aria-label={t("header.organization")}
                value={current?.id ?? ""}
                onChange={(e) => {
                  if (e.target.value === "__new") {
                    setNewOrg(true);
                    return;
                  }
                  navigate({ name: "forms", orgId: e.target.value });
                }}
              >
                {!current ? <option value="">{t("header.chooseOrg")}</option> : null}
                {orgs.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
                <option value="__new">{t("org.newOption")}</option>
              </select>
            </label>
          ) : null}
          {current ? (
            <>
              <Link
                to={{ name: "forms", orgId: current.id }}
                aria-current={route.name === "forms" || route.name === "form" ? "page" : undefined}
              >
                {t("nav.forms")}
              </Link>
              {can(current.role, "members.view") ? (
                <Link
                  to={{ name: "members", orgId: current.id }}
                  aria-current={route.name === "members" ? "page" : undefined}
                >
                  {t("nav.members")}
                </Link>
              ) : null}
            </>
          ) : null}
        </nav>
      ) : null}
      <div className="header-end">
        <LanguageSelect />
        {session.me ? (
          <>
            <span className="user-name" title={session.me.user.email}>
              <span className="user-name-text">{session.me.user.name}</span>
              {current ? <span className="role-tag">{t(`role.${current.role}`)}</span> : null}
            </span>
            <button
              type="button"
              className="button button-small"
              onClick={async () => {
                if (!navigate({ name: "home" })) return;
                await session.signOut();
              }}
            >
              {t("header.signOut")}
            </button>
          </>
        ) : null}
      </div>
      {newOrg ? <NewOrgDialog onClose={() => setNewOrg(false)} /> : null}
    </header>
  );
}

function Redirect({ to }: { to: Route }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return <Loading />;
}

function Screen({ route }: { route: Route }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const me = session.me;
  if (session.status === "loading") return <Loading />;
  if (session.status === "error")
    return <ErrorBox message={errorMessage(session.error, t)} onRetry={session.refresh} />;
  if (route.name === "invite") return <InviteScreen token={route.token} />;
  if (!me) {
    const mode = session.setup?.needsOwner ? "owner" : route.name === "signup" ? "signup" : "signin";
    return <AuthScreen mode={mode} />;
  }
  switch (route.name) {
    case "home":
    case "signin":
    case "signup": {
      const org = preferredOrg(me);
      if (org) return <Redirect to={{ name: "forms", orgId: org.id }} />;
      return <AuthScreen mode="createOrg" />;
    }
    case "notFound":
      return <NotFound />;
    default: {
      const org = me.organizations.find((o) => o.id === route.orgId);
      if (!org) return <NotFound />;
      rememberOrg(org.id);
      if (route.name === "forms") return <FormsList org={org} />;
      if (route.name === "members") return <Members org={org} />;
      return <FormFrame key={route.formId} org={org} formId={route.formId} tab={route.tab} />;
    }
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section className="page">
      <h1>{t("notFound.title")}</h1>
      <p>
        <Link to={{ name: "home" }}>{t("notFound.home")}</Link>
      </p>
    </section>
  );
}

function Shell() {
  const route = useRoute();
  return (
    <>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Screen route={route} />
        </Suspense>
      </main>
    </>
  );
}
