import type { Tx } from '../db/database.js';
import * as users from '../db/usersRepo.js';
import * as sessions from '../db/authSessionsRepo.js';
import { open } from '../security/fieldEncryption.js';
import { totpStep } from '../security/totp.js';
import { verify as argonVerify } from '@node-rs/argon2';
import { audit, type AppDeps, type RequestMeta } from './context.js';

// The checks every credential step shares: lockout accounting and the second factor.

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** The one message for every failed sign-in: it never tells whether the account exists. */
export const SIGN_IN_FAILED =
  'Sign-in failed. Check your email and password. After repeated failures, sign-in is paused for 15 minutes.';

export function mfaAad(userId: string): string {
  return `users:${userId}:mfa_secret`;
}

/**
 * A wrong password or code from a known user: counts toward the lockout, ends every session
 * of the user once locked, and is audited. Returns whether the account is now locked.
 */
export async function recordCredentialFailure(
  tx: Tx,
  meta: RequestMeta,
  user: users.UserRow,
  action: string,
  category: 'authentication' | 'account' | 'mfa',
): Promise<boolean> {
  const f = await users.recordFailedLogin(tx, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
  const locked = f?.locked_until != null;
  if (locked) await sessions.revokeUserSessions(tx, user.id);
  await audit(
    tx,
    meta,
    { practiceId: user.practice_id, userId: user.id, label: user.email },
    {
      action,
      category,
      outcome: 'failure',
      details: { locked },
    },
  );
  return locked;
}

export function isLocked(user: users.UserRow): boolean {
  return user.locked_until !== null && user.locked_until > new Date();
}

/** A TOTP code (not replayable) or an unused recovery code; null when neither matches. */
export async function checkSecondFactor(
  tx: Tx,
  deps: AppDeps,
  user: users.UserRow,
  code: string,
): Promise<'totp' | 'recovery' | null> {
  const cleaned = code.replace(/[\s-]/g, '');
  if (user.mfa_secret && /^\d{6}$/.test(cleaned)) {
    const secret = open(deps.keys.practiceKey(user.practice_id), mfaAad(user.id), user.mfa_secret).toString();
    const step = totpStep(secret, cleaned);
    if (step !== null && (await users.advanceMfaStep(tx, user.id, step))) return 'totp';
    return null;
  }
  if (/^[a-z0-9]{10}$/i.test(cleaned)) {
    for (const rc of await users.unusedRecoveryCodes(tx, user.id)) {
      if (
        (await argonVerify(rc.code_hash, cleaned.toLowerCase()).catch(() => false)) &&
        (await users.markRecoveryCodeUsed(tx, rc.id))
      ) {
        return 'recovery';
      }
    }
  }
  return null;
}
