import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from './api/casebookApi.js';
import { setCsrfToken, setUnauthorizedListener, toApiError } from './api/http.js';
import type { AuthStage, Me } from './api/types.js';
import { navigate, usePath } from './router.js';
import { SessionContext, rememberReturnPath, takeReturnPath, type SessionContextValue } from './session.js';
import { AppShell } from './components/AppShell.js';
import { AuthLayout } from './components/AuthLayout.js';
import { Alert } from './components/Alert.js';
import { SetupScreen } from './screens/setup/SetupScreen.js';
import { LoginScreen } from './screens/login/LoginScreen.js';
import { MfaChallengeScreen } from './screens/mfaChallenge/MfaChallengeScreen.js';
import { MfaEnrolmentScreen } from './screens/mfaEnrolment/MfaEnrolmentScreen.js';
import { SetPasswordScreen } from './screens/setPassword/SetPasswordScreen.js';
import { Routes } from './Routes.js';

type Phase =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'signedOut'; reason?: string | undefined; notice?: string | undefined }
  | { kind: 'mfa_challenge' }
  | { kind: 'mfa_enrolment'; me: Me }
  | { kind: 'full'; me: Me };

const SIGNED_OUT_MESSAGES: Record<string, string> = {
  idle_timeout:
    'You were signed out after a period of inactivity. Sign in again to return to the page you were on.',
  expired: 'Your session reached its time limit. Sign in again to continue where you were.',
};

export function App() {
  const path = usePath();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });

  const loadSession = useCallback(async (notice?: string) => {
    try {
      const me = await api.me();
      setCsrfToken(me.csrfToken);
      if (me.session.stage === 'full') {
        setPhase({ kind: 'full', me });
        const back = takeReturnPath();
        if (back) navigate(back, { replace: true });
      } else if (me.session.stage === 'mfa_enrolment') setPhase({ kind: 'mfa_enrolment', me });
      else setPhase({ kind: 'mfa_challenge' });
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 401) setPhase({ kind: 'signedOut', reason: e.reason, notice });
      else setPhase({ kind: 'unreachable', message: e.detail });
    }
  }, []);

  const start = useCallback(async () => {
    try {
      const { needsSetup } = await api.setupStatus();
      if (needsSetup) setPhase({ kind: 'setup' });
      else await loadSession();
    } catch (err) {
      setPhase({ kind: 'unreachable', message: toApiError(err).detail });
    }
  }, [loadSession]);

  useEffect(() => {
    void start();
  }, [start]);

  useEffect(() => {
    setUnauthorizedListener((reason) => {
      if (reason === 'mfa_challenge') {
        setPhase({ kind: 'mfa_challenge' });
        return;
      }
      rememberReturnPath(window.location.pathname);
      setCsrfToken(null);
      setPhase({ kind: 'signedOut', reason });
    });
    return () => setUnauthorizedListener(null);
  }, []);

  const afterPassword = useCallback(
    async (stage: AuthStage) => {
      if (stage === 'mfa_challenge') setPhase({ kind: 'mfa_challenge' });
      else await loadSession();
    },
    [loadSession],
  );

  const signOut = useCallback(async (everywhere = false) => {
    try {
      if (everywhere) await api.logoutEverywhere();
      else await api.logout();
    } catch {
      // Signed out on the server already, or unreachable: either way forget the session here.
    }
    setCsrfToken(null);
    sessionStorage.clear();
    navigate('/');
    setPhase({
      kind: 'signedOut',
      notice: everywhere ? 'You have signed out on every device.' : 'You have signed out.',
    });
  }, []);

  const me = phase.kind === 'full' ? phase.me : null;
  const session = useMemo<SessionContextValue | null>(
    () =>
      me
        ? {
            me,
            refresh: () => loadSession(),
            signOut,
          }
        : null,
    [me, loadSession, signOut],
  );

  if (path === '/set-password') {
    return (
      <SetPasswordScreen
        onDone={() => {
          navigate('/', { replace: true });
          void start();
        }}
      />
    );
  }

  switch (phase.kind) {
    case 'loading':
      return (
        <AuthLayout title="Casebook">
          <p role="status">Loading…</p>
        </AuthLayout>
      );
    case 'unreachable':
      return (
        <AuthLayout title="Casebook is not reachable">
          <Alert kind="error">{phase.message}</Alert>
          <button type="button" className="button primary" onClick={() => void start()}>
            Try again
          </button>
        </AuthLayout>
      );
    case 'setup':
      return <SetupScreen onDone={(stage) => void afterPassword(stage)} />;
    case 'signedOut':
      return (
        <LoginScreen
          notice={phase.notice ?? (phase.reason ? SIGNED_OUT_MESSAGES[phase.reason] : undefined)}
          onSignedIn={(stage) => void afterPassword(stage)}
        />
      );
    case 'mfa_challenge':
      return <MfaChallengeScreen onDone={() => void loadSession()} onCancel={() => void signOut()} />;
    case 'mfa_enrolment':
      return <MfaEnrolmentScreen onDone={() => void loadSession()} onCancel={() => void signOut()} />;
    case 'full':
      return session ? (
        <SessionContext.Provider value={session}>
          <AppShell>
            <Routes path={path} />
          </AppShell>
        </SessionContext.Provider>
      ) : null;
  }
}
