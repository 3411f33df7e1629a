import { createContext, useContext } from 'react';
import type { Me, Role } from './api/types.js';

export interface SessionContextValue {
  me: Me;
  /** Re-reads /auth/me (after a change to the user or practice). */
  refresh: () => Promise<void>;
  signOut: (everywhere?: boolean) => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function hasRole(me: Me, ...roles: Role[]): boolean {
  return me.user.roles.some((r) => roles.includes(r));
}

/** Where to go back to after signing in again: a path only (record ids, never search text). */
const RETURN_KEY = 'casebook.returnTo';

export function rememberReturnPath(path: string): void {
  if (/^\/[A-Za-z0-9/_-]*$/.test(path) && path !== '/set-password') sessionStorage.setItem(RETURN_KEY, path);
}

export function takeReturnPath(): string | null {
  const p = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return p;
}
