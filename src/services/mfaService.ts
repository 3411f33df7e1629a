import { randomInt } from 'node:crypto';
import { hash as argonHash } from '@node-rs/argon2';
import { withTransaction } from '../db/database.js';
import * as users from '../db/usersRepo.js';
import * as sessions from '../db/authSessionsRepo.js';
import { verifyPassword } from '../security/passwords.js';
import { newId } from '../security/ids.js';
import { seal, open } from '../security/fieldEncryption.js';
import { newTotpSecret, totpEnrolment, totpStep } from '../security/totp.js';
import { Forbidden, Invalid, Unauthorized } from '../domain/errors.js';
import { audit, type AppDeps, type RequestMeta } from './context.js';
import { mfaAad, recordCredentialFailure, SIGN_IN_FAILED } from './credentialChecks.js';
import { recentlyReauthenticated, type ResolvedSession } from './authService.js';

// Two-step sign-in set-up: enrolment with a QR code, recovery codes, turning it off.

/** Starts TOTP enrolment: the secret waits, sealed, on the browser session until confirmed. */
/** A sign-in still waiting for its second step may not set up a new authenticator instead. */
function refuseDuringChallenge(r: ResolvedSession): void {
  if (r.session.stage === 'mfa_challenge') throw new Unauthorized('Enter your authentication code first');
}

export async function startMfaEnrolment(deps: AppDeps, r: ResolvedSession) {
  refuseDuringChallenge(r);
  // Replacing an existing authenticator is a sensitive act: it needs a fresh re-authentication.
  if (r.user.mfa_enabled_at && !recentlyReauthenticated(r.session)) {
    throw new Forbidden('Confirm your password or current code first', { reason: 'reauth_required' });
  }
  const secret = newTotpSecret();
  await withTransaction(deps.db, r.practice.id, (tx) =>
    sessions.setPendingMfaSecret(
      tx,
      r.session.id,
      seal(deps.keys.practiceKey(r.practice.id), `auth_sessions:${r.session.id}:mfa`, Buffer.from(secret)),
    ),
  );
  return totpEnrolment(secret, r.user.email, `Casebook (${r.practice.name})`);
}

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let s = '';
  for (let i = 0; i < 10; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** Confirms enrolment with a first code; returns 10 one-time recovery codes, shown once. */
export async function confirmMfaEnrolment(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  code: string,
): Promise<string[]> {
  refuseDuringChallenge(r);
  const practiceKey = deps.keys.practiceKey(r.practice.id);
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  const hashes = await Promise.all(codes.map((c) => argonHash(c)));
  const ok = await withTransaction(deps.db, r.practice.id, async (tx) => {
    const pending = await sessions.getPendingMfaSecret(tx, r.session.id);
    if (!pending) throw new Invalid('Start enrolment first');
    const secret = open(practiceKey, `auth_sessions:${r.session.id}:mfa`, pending).toString();
    const step = totpStep(secret, code.replace(/\s/g, ''));
    if (step === null) return false;
    await users.setMfa(tx, r.user.id, seal(practiceKey, mfaAad(r.user.id), Buffer.from(secret)));
    await users.advanceMfaStep(tx, r.user.id, step);
    await users.replaceRecoveryCodes(
      tx,
      r.practice.id,
      r.user.id,
      hashes.map((hash) => ({ id: newId(), hash })),
    );
    await sessions.setPendingMfaSecret(tx, r.session.id, null);
    if (r.session.stage === 'mfa_enrolment') await sessions.setAuthStage(tx, r.session.id, 'full');
    await audit(
      tx,
      meta,
      { practiceId: r.practice.id, userId: r.user.id, label: r.user.email },
      {
        action: 'mfa.enrol',
        category: 'mfa',
        entityType: 'user',
        entityId: r.user.id,
      },
    );
    return true;
  });
  if (!ok)
    throw new Invalid('That code is not valid. Check the time on your phone and try the newest code.', [
      { path: 'code', message: 'Code not valid' },
    ]);
  return codes;
}

/** Turns MFA off after re-checking the password; refused when the practice requires MFA. */
export async function disableMfa(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  password: string,
): Promise<void> {
  if (r.practice.mfa_required) throw new Forbidden('Your practice requires two-step sign-in');
  if (!r.user.mfa_enabled_at) throw new Invalid('Two-step sign-in is not on');
  if (!(await verifyPassword(r.user.password_hash, password))) {
    const locked = await withTransaction(deps.db, r.practice.id, (tx) =>
      recordCredentialFailure(tx, meta, r.user, 'mfa.disable', 'mfa'),
    );
    if (locked) throw new Unauthorized(SIGN_IN_FAILED, { reason: 'locked' });
    throw new Invalid('Password not correct', [{ path: 'password', message: 'Not correct' }]);
  }
  await withTransaction(deps.db, r.practice.id, async (tx) => {
    await users.setMfa(tx, r.user.id, null);
    await users.replaceRecoveryCodes(tx, r.practice.id, r.user.id, []);
    await audit(
      tx,
      meta,
      { practiceId: r.practice.id, userId: r.user.id, label: r.user.email },
      {
        action: 'mfa.disable',
        category: 'mfa',
        entityType: 'user',
        entityId: r.user.id,
      },
    );
  });
}
