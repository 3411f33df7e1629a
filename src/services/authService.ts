import { scopeToPractice, withTransaction, type Tx } from '../db/database.js';
import * as users from '../db/usersRepo.js';
import * as sessions from '../db/authSessionsRepo.js';
import * as attempts from '../db/loginAttemptsRepo.js';
import * as tokens from '../db/apiTokensRepo.js';
import { getPractice, type PracticeRow } from '../db/practicesRepo.js';
import { verifyPassword } from '../security/passwords.js';
import { hashSecret, randomSecret } from '../security/secrets.js';
import { newId } from '../security/ids.js';
import { Invalid, TooManyRequests, Unauthorized } from '../domain/errors.js';
import type { Actor } from '../security/accessPolicy.js';
import { audit, type AppDeps, type RequestMeta } from './context.js';
import {
  checkSecondFactor,
  isLocked,
  LOCK_AFTER_FAILURES,
  LOCK_MINUTES,
  recordCredentialFailure,
  SIGN_IN_FAILED,
} from './credentialChecks.js';

// Sign-in, browser sessions and API tokens. MFA set-up is in mfaService, passwords in passwordService.

export { LOCK_AFTER_FAILURES, SIGN_IN_FAILED };

export const ABSOLUTE_SESSION_HOURS = 12;
const THROTTLE_WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_IP = 30;
const REAUTH_VALID_MINUTES = 5;
const NIL_PRACTICE = '00000000-0000-0000-0000-000000000000';

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  stage: sessions.AuthStage;
}

/** Password step of sign-in. Throttled per account name and per address; failures are audited. */
export async function login(
  deps: AppDeps,
  meta: RequestMeta,
  email: string,
  password: string,
): Promise<LoginResult> {
  const ip = meta.ip ?? 'unknown';
  const found = await withTransaction(deps.db, null, async (tx) => {
    const recent = await attempts.recentFailures(tx, email, ip, THROTTLE_WINDOW_MINUTES);
    if (recent.byEmail >= MAX_FAILURES_PER_EMAIL || recent.byIp >= MAX_FAILURES_PER_IP) {
      return 'throttled' as const;
    }
    return (await users.findLogin(tx, email)) ?? null;
  });
  if (found === 'throttled')
    throw new TooManyRequests(
      'Too many sign-in attempts. Try again in 15 minutes.',
      THROTTLE_WINDOW_MINUTES * 60,
    );

  if (!found) {
    await verifyPassword(null, password);
    await withTransaction(deps.db, NIL_PRACTICE, async (tx) => {
      await attempts.recordLoginAttempt(tx, email, ip, false);
      await audit(
        tx,
        meta,
        { practiceId: NIL_PRACTICE, userId: null, label: null },
        {
          action: 'login',
          category: 'authentication',
          outcome: 'failure',
          details: { reason: 'unknown_account' },
        },
      );
    });
    throw new Unauthorized(SIGN_IN_FAILED);
  }

  const outcome = await withTransaction(deps.db, found.practice_id, async (tx) => {
    // The row lock makes concurrent guesses take turns, so none slips past the lockout.
    const user = await users.getUserForUpdate(tx, found.user_id);
    const practice = await getPractice(tx, found.practice_id);
    if (!user || !practice) throw new Error('login lookup inconsistent');
    const who = { practiceId: user.practice_id, userId: user.id, label: user.email };
    const locked = isLocked(user);
    const ok = (await verifyPassword(user.password_hash, password)) && user.active && !locked;
    await attempts.recordLoginAttempt(tx, email, ip, ok);
    if (!ok) {
      const reason = !user.active ? 'deactivated' : locked ? 'locked' : 'bad_password';
      if (reason === 'bad_password')
        await users.recordFailedLogin(tx, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      await audit(tx, meta, who, {
        action: 'login',
        category: 'authentication',
        outcome: 'failure',
        details: { reason },
      });
      return null;
    }
    const stage: sessions.AuthStage = user.mfa_enabled_at
      ? 'mfa_challenge'
      : practice.mfa_required
        ? 'mfa_enrolment'
        : 'full';
    // Failures are forgiven only once sign-in is complete, not after the password step alone.
    if (stage !== 'mfa_challenge') await users.clearFailedLogins(tx, user.id);
    const result = await startAuthSession(tx, meta, practice, user.id, stage);
    await audit(tx, meta, who, { action: 'login', category: 'authentication', details: { stage } });
    return result;
  });
  if (!outcome) throw new Unauthorized(SIGN_IN_FAILED);
  return outcome;
}

async function startAuthSession(
  tx: Tx,
  meta: RequestMeta,
  practice: PracticeRow,
  userId: string,
  stage: sessions.AuthStage,
): Promise<LoginResult> {
  const sessionToken = randomSecret();
  const csrfToken = randomSecret(24);
  await sessions.insertAuthSession(tx, {
    id: newId(),
    practiceId: practice.id,
    userId,
    hash: hashSecret(sessionToken),
    csrf: csrfToken,
    stage,
    expiresAt: new Date(Date.now() + ABSOLUTE_SESSION_HOURS * 3600_000),
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return { sessionToken, csrfToken, stage };
}

export interface ResolvedSession {
  session: sessions.AuthSessionRow;
  user: users.UserRow;
  practice: PracticeRow;
  idleExpiresAt: Date;
}

export type SessionLookup =
  { ok: true; value: ResolvedSession } | { ok: false; reason: 'missing' | 'idle_timeout' | 'expired' };

/**
 * Finds the signed-in browser session for a cookie. Idle or expired sessions are revoked
 * (and the time-out audited). `touch` counts the request as activity.
 */
export async function resolveAuthSession(
  deps: AppDeps,
  meta: RequestMeta,
  token: string,
  touch: boolean,
): Promise<SessionLookup> {
  const hash = hashSecret(token);
  // One transaction per request: find the session's practice, then scope the same transaction to it.
  return withTransaction(deps.db, null, async (tx): Promise<SessionLookup> => {
    const hit = await sessions.findSessionPractice(tx, hash);
    if (!hit) return { ok: false, reason: 'missing' };
    await scopeToPractice(tx, hit.practice_id);
    const session = await sessions.getAuthSession(tx, hit.session_id);
    const practice = await getPractice(tx, hit.practice_id);
    const user = session ? await users.getUser(tx, session.user_id) : undefined;
    if (!session || !practice || !user || session.revoked_at) return { ok: false, reason: 'missing' };
    const now = new Date();
    const idleMs = practice.idle_timeout_minutes * 60_000;
    const who = { practiceId: practice.id, userId: user.id, label: user.email };
    if (!user.active || session.expires_at <= now) {
      await sessions.revokeAuthSession(tx, session.id);
      await audit(tx, meta, who, {
        action: 'session.expired',
        category: 'authentication',
        details: { cause: user.active ? 'absolute_lifetime' : 'user_deactivated' },
      });
      return { ok: false, reason: 'expired' };
    }
    if (session.last_seen_at.getTime() + idleMs <= now.getTime()) {
      await sessions.revokeAuthSession(tx, session.id);
      await audit(tx, meta, who, {
        action: 'session.timeout',
        category: 'authentication',
        details: { idleMinutes: practice.idle_timeout_minutes },
      });
      return { ok: false, reason: 'idle_timeout' };
    }
    let lastSeen = session.last_seen_at;
    // Writing on every request would be wasteful; a few seconds of slack does not matter.
    if (touch && now.getTime() - lastSeen.getTime() > 5_000)
      lastSeen = await sessions.touchAuthSession(tx, session.id);
    const idleExpiresAt = new Date(Math.min(lastSeen.getTime() + idleMs, session.expires_at.getTime()));
    return {
      ok: true,
      value: { session: { ...session, last_seen_at: lastSeen }, user, practice, idleExpiresAt },
    };
  });
}

export function actorFor(r: ResolvedSession): Actor {
  return { userId: r.user.id, practiceId: r.practice.id, roles: r.user.roles };
}

/** Resolves a personal API token (Authorization: Bearer cb_...). */
export async function resolveApiToken(
  deps: AppDeps,
  token: string,
): Promise<{ actor: Actor; label: string } | null> {
  const hash = hashSecret(token);
  return withTransaction(deps.db, null, async (tx) => {
    const hit = await tokens.findTokenPractice(tx, hash);
    if (!hit) return null;
    await scopeToPractice(tx, hit.practice_id);
    const t = await tokens.getApiToken(tx, hit.token_id);
    const user = t ? await users.getUser(tx, t.user_id) : undefined;
    if (!t || !user || !user.active || t.revoked_at) return null;
    await tokens.markApiTokenUsed(tx, t.id);
    return {
      actor: {
        userId: user.id,
        practiceId: user.practice_id,
        roles: user.roles,
        tokenId: t.id,
        tokenScope: t.scope,
      },
      label: `${user.email} (token ${t.token_prefix})`,
    };
  });
}

/** Second step of sign-in: a TOTP code or an unused recovery code. */
export async function completeMfaChallenge(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  code: string,
): Promise<void> {
  if (r.session.stage !== 'mfa_challenge') throw new Invalid('No sign-in is waiting for a code');
  const ok = await withTransaction(deps.db, r.practice.id, async (tx) => {
    const user = await users.getUserForUpdate(tx, r.user.id);
    if (!user) return false;
    const who = { practiceId: user.practice_id, userId: user.id, label: user.email };
    if (isLocked(user)) {
      await sessions.revokeUserSessions(tx, user.id);
      await audit(tx, meta, who, {
        action: 'login.mfa',
        category: 'authentication',
        outcome: 'failure',
        details: { locked: true },
      });
      return false;
    }
    const kind = await checkSecondFactor(tx, deps, user, code);
    if (!kind) {
      await recordCredentialFailure(tx, meta, user, 'login.mfa', 'authentication');
      return false;
    }
    await users.clearFailedLogins(tx, user.id);
    await sessions.setAuthStage(tx, r.session.id, 'full');
    await audit(tx, meta, who, {
      action: 'login.mfa',
      category: 'authentication',
      details: { method: kind },
    });
    return true;
  });
  if (!ok)
    throw new Unauthorized('That code is not valid. Codes change every 30 seconds; each works once.', {
      reason: 'bad_code',
    });
}

/** Re-authentication step (password or MFA code), required before sensitive acts such as signing. */
export async function reauthenticate(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  input: { password?: string | undefined; code?: string | undefined },
): Promise<Date> {
  return withTransaction(deps.db, r.practice.id, async (tx) => {
    const user = await users.getUserForUpdate(tx, r.user.id);
    if (!user || isLocked(user)) throw new Unauthorized(SIGN_IN_FAILED, { reason: 'locked' });
    const who = { practiceId: user.practice_id, userId: user.id, label: user.email };
    const ok =
      input.password !== undefined
        ? await verifyPassword(user.password_hash, input.password)
        : input.code !== undefined && (await checkSecondFactor(tx, deps, user, input.code)) !== null;
    if (!ok) {
      // As at sign-in: a borrowed session must not become a way to guess the password.
      await recordCredentialFailure(tx, meta, user, 'reauth', 'authentication');
      return null;
    }
    await users.clearFailedLogins(tx, user.id);
    await audit(tx, meta, who, {
      action: 'reauth',
      category: 'authentication',
      details: { method: input.password !== undefined ? 'password' : 'code' },
    });
    return sessions.markReauthenticated(tx, r.session.id);
  }).then((at) => {
    if (!at) throw new Unauthorized('That did not match. Try again.', { reauth: true });
    return new Date(at.getTime() + REAUTH_VALID_MINUTES * 60_000);
  });
}

/** The reusable gate: true when the browser session re-authenticated within the last few minutes. */
export function recentlyReauthenticated(session: sessions.AuthSessionRow, now = new Date()): boolean {
  return (
    session.reauthenticated_at !== null &&
    now.getTime() - session.reauthenticated_at.getTime() < REAUTH_VALID_MINUTES * 60_000
  );
}

export async function keepAlive(deps: AppDeps, r: ResolvedSession): Promise<Date> {
  const seen = await withTransaction(deps.db, r.practice.id, (tx) =>
    sessions.touchAuthSession(tx, r.session.id),
  );
  return new Date(
    Math.min(seen.getTime() + r.practice.idle_timeout_minutes * 60_000, r.session.expires_at.getTime()),
  );
}

export async function logout(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  everywhere: boolean,
): Promise<number> {
  return withTransaction(deps.db, r.practice.id, async (tx) => {
    const n = everywhere
      ? await sessions.revokeUserSessions(tx, r.user.id)
      : (await sessions.revokeAuthSession(tx, r.session.id), 1);
    await audit(
      tx,
      meta,
      { practiceId: r.practice.id, userId: r.user.id, label: r.user.email },
      {
        action: everywhere ? 'logout.everywhere' : 'logout',
        category: 'authentication',
        details: { sessionsEnded: n },
      },
    );
    return n;
  });
}
