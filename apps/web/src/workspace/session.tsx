import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiError, api, type Me, type Organization, type Setup } from "./api";

export interface Session {
  status: "loading" | "ready" | "error";
  me: Me | null;
  setup: Setup | null;
  error: unknown;
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session>({
  status: "loading",
  me: null,
  setup: null,
  error: null,
  refresh: async () => null,
  signOut: async () => {},
});

const LAST_ORG = "coleta.lastOrg";

export function rememberOrg(orgId: string): void {
  try {
    localStorage.setItem(LAST_ORG, orgId);
  } catch {
    // Ignored: only a convenience.
  }
}

export function preferredOrg(me: Me | null): Organization | undefined {
  if (!me || me.organizations.length === 0) return undefined;
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LAST_ORG);
  } catch {
    saved = null;
  }
  return me.organizations.find((o) => o.id === saved) ?? me.organizations[0];
}

async function loadMe(): Promise<Me | null> {
  try {
    return await api<Me>("/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Pick<Session, "status" | "me" | "setup" | "error">>({
    status: "loading",
    me: null,
    setup: null,
    error: null,
  });

  const refresh = useCallback(async () => {
    try {
      const [me, setup] = await Promise.all([loadMe(), api<Setup>("/setup").catch(() => null)]);
      setState({ status: "ready", me, setup, error: null });
      return me;
    } catch (error) {
      setState((s) => ({ ...s, status: "error", error }));
      return null;
    }
  }, []);

  const signOut = useCallback(async () => {
    await api("/auth/sign-out", { method: "POST", body: {} }).catch(() => undefined);
    await refresh();
  }, [refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ ...state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}

/** For tests and nested screens: provide a fixed session. */
export function StaticSession({ value, children }: { value: Partial<Session>; children: ReactNode }) {
  const full: Session = {
    status: "ready",
    me: null,
    setup: null,
    error: null,
    refresh: async () => value.me ?? null,
    signOut: async () => {},
    ...value,
  };
  return <SessionContext.Provider value={full}>{children}</SessionContext.Provider>;
}
