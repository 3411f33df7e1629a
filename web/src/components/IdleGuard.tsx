import { useEffect, useRef, useState } from 'react';
import { api, sessionCheck } from '../api/casebookApi.js';
import { lastServerActivity } from '../api/http.js';
import { useSession } from '../session.js';
import { Dialog } from './Dialog.js';

const WARN_BEFORE_MS = 2 * 60_000;
const KEEPALIVE_EVERY_MS = 60_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input'] as const;

function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Idle time-out in the browser: activity (keys, pointer, typing) keeps the server session
 * alive with at most one keepalive a minute; two minutes before the server would end an idle
 * session a dialog offers to stay signed in; at expiry the page returns to sign-in.
 */
/** A server deadline on this browser's clock: the time left, as the server counts it, from now. */
function localDeadline(t: { idleExpiresAt: string; serverTime: string }): number {
  return Date.now() + (Date.parse(t.idleExpiresAt) - Date.parse(t.serverTime));
}

export function IdleGuard() {
  const { me, signOut } = useSession();
  const timeoutMs = me.session.idleTimeoutSeconds * 1000;
  const absoluteEnd = Date.now() + (Date.parse(me.session.expiresAt) - Date.parse(me.session.serverTime));
  const expiry = useRef(localDeadline(me.session));
  const lastUserActivity = useRef(Date.now());
  const lastKeepalive = useRef(Date.now());
  const checking = useRef(false);
  const [warning, setWarning] = useState(false);
  const warningRef = useRef(false);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    expiry.current = Math.max(expiry.current, localDeadline(me.session));
  }, [me.session]);

  useEffect(() => {
    const onActivity = () => {
      lastUserActivity.current = Date.now();
    };
    for (const e of ACTIVITY_EVENTS)
      document.addEventListener(e, onActivity, { capture: true, passive: true });
    return () => {
      for (const e of ACTIVITY_EVENTS) document.removeEventListener(e, onActivity, { capture: true });
    };
  }, []);

  useEffect(() => {
    const showWarning = (v: boolean) => {
      // Editors listen for this to store unsaved work before the time-out can sign the user out.
      if (v && !warningRef.current) window.dispatchEvent(new Event('casebook:idle-warning'));
      warningRef.current = v;
      setWarning(v);
    };
    const keepAlive = async () => {
      lastKeepalive.current = Date.now();
      const r = await api.keepalive();
      expiry.current = localDeadline(r);
    };
    const check = async () => {
      if (checking.current) return;
      checking.current = true;
      try {
        // Another tab may have kept the session alive; a 401 here signs this page out.
        const fresh = await sessionCheck();
        expiry.current = localDeadline(fresh.session);
        if (expiry.current - Date.now() > WARN_BEFORE_MS) showWarning(false);
        else showWarning(true);
      } catch {
        // The 401 listener has taken over; a network error retries on the next tick.
      } finally {
        checking.current = false;
      }
    };
    const tick = () => {
      const t = Date.now();
      setNow(t);
      const serverSeen = lastServerActivity();
      if (serverSeen)
        expiry.current = Math.max(expiry.current, Math.min(serverSeen + timeoutMs, absoluteEnd));
      const activeSinceKeepalive = lastUserActivity.current > Math.max(lastKeepalive.current, serverSeen);
      if (
        !warningRef.current &&
        activeSinceKeepalive &&
        t - Math.max(lastKeepalive.current, serverSeen) >= KEEPALIVE_EVERY_MS
      ) {
        keepAlive().catch(() => undefined);
        return;
      }
      const remaining = expiry.current - t;
      if (remaining <= 0 || (remaining <= WARN_BEFORE_MS && !warningRef.current)) void check();
    };
    const id = window.setInterval(tick, 1000);
    return () => window.clearInterval(id);
  }, [timeoutMs, absoluteEnd]);

  const stay = async () => {
    try {
      lastKeepalive.current = Date.now();
      const r = await api.keepalive();
      expiry.current = localDeadline(r);
      warningRef.current = false;
      setWarning(false);
    } catch {
      // A 401 means the session already ended; the sign-in page follows.
    }
  };

  const remaining = expiry.current - now;
  return (
    <Dialog open={warning} title="Are you still there?" onClose={() => void stay()} role="alertdialog">
      <p id="idle-warning-text">
        To protect your clients&rsquo; privacy, Casebook will sign you out in{' '}
        <strong>{mmss(remaining)}</strong> because there has been no activity.
      </p>
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => void stay()}>
          Stay signed in
        </button>
        <button type="button" className="button secondary" onClick={() => void signOut()}>
          Sign out now
        </button>
      </div>
    </Dialog>
  );
}
