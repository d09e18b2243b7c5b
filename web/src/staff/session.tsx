/**
 * The staff session: the bearer token and who is logged in, kept for this browser tab
 * (sessionStorage). A 401 from the API ends it and sends the person back to the login page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler, type ApiOptions } from '../api.ts';

export interface Me { id: string; username: string; displayName: string; role: 'operator' | 'handler' | 'leader' | 'admin' | 'auditor'; unitCode: string }
interface Session { token: string; me: Me }

const STORE = 'suqiu.staff';

function load(): Session | null {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Session | null;
  } catch {
    return null;
  }
}

interface Ctx {
  session: Session | null;
  login(username: string, password: string): Promise<Me>;
  logout(): void;
  /** `api` with the session's token. */
  call<R = unknown>(path: string, opts?: ApiOptions): Promise<R>;
}

const SessionCtx = createContext<Ctx | null>(null);

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [session, setSession] = useState<Session | null>(load);
  const save = (s: Session | null) => {
    setSession(s);
    try {
      if (s) sessionStorage.setItem(STORE, JSON.stringify(s));
      else sessionStorage.removeItem(STORE);
    } catch { /* storage blocked: the session lasts as long as the page */ }
  };
  useEffect(() => {
    setUnauthorizedHandler(() => save(null));
    return () => setUnauthorizedHandler(null);
  }, []);
  const call = useCallback(<R,>(path: string, opts: ApiOptions = {}) => api<R>(path, { ...opts, token: session?.token }), [session?.token]);
  const value = useMemo<Ctx>(() => ({
    session,
    call,
    async login(username, password) {
      const r = await api<{ token: string }>('/api/v1/auth/login', { body: { username, password } });
      const me = await api<Me>('/api/v1/me', { token: r.token });
      save({ token: r.token, me });
      return me;
    },
    logout() {
      if (session) void api('/api/v1/auth/logout', { method: 'POST', token: session.token }).catch(() => undefined);
      save(null);
    },
  }), [session, call]);
  return <SessionCtx.Provider value={value}>{children}</SessionCtx.Provider>;
}

export function useSession(): Ctx {
  const c = useContext(SessionCtx);
  if (!c) throw new Error('useSession outside SessionProvider');
  return c;
}

/** The logged-in person (only inside the pages behind the login). */
export function useMe(): Me {
  const s = useSession().session;
  if (!s) throw new Error('not logged in');
  return s.me;
}
