import { withTransaction } from '../db/database.js';
import * as users from '../db/usersRepo.js';
import * as sessions from '../db/authSessionsRepo.js';
import { hashPassword, verifyPassword, assertAcceptablePassword } from '../security/passwords.js';
import { hashSecret } from '../security/secrets.js';
import { Invalid, Unauthorized } from '../domain/errors.js';
import { audit, type AppDeps, type RequestMeta } from './context.js';
import { recordCredentialFailure, SIGN_IN_FAILED } from './credentialChecks.js';
import type { ResolvedSession } from './authService.js';

// Setting a password through a one-time link, and changing your own.

/** Sets a password through a one-time link; the link dies on use or after it expires. */
export async function setPasswordWithToken(
  deps: AppDeps,
  meta: RequestMeta,
  token: string,
  password: string,
): Promise<void> {
  const hash = hashSecret(token);
  const practiceId = await withTransaction(deps.db, null, (tx) => users.findPasswordTokenPractice(tx, hash));
  const invalid = new Invalid(
    'This link is not valid any more. Ask your practice administrator for a new one.',
    [{ path: 'token', message: 'Link expired or already used' }],
  );
  if (!practiceId) throw invalid;
  await withTransaction(deps.db, practiceId, async (tx) => {
    const userId = await users.consumePasswordToken(tx, hash);
    if (!userId) throw invalid;
    const user = await users.getUser(tx, userId);
    if (!user || !user.active) throw invalid;
    assertAcceptablePassword(password, [user.email, user.full_name]);
    await users.setPasswordHash(tx, user.id, await hashPassword(password));
    await sessions.revokeUserSessions(tx, user.id);
    await audit(
      tx,
      meta,
      { practiceId, userId: user.id, label: user.email },
      {
        action: 'password.set',
        category: 'account',
        entityType: 'user',
        entityId: user.id,
      },
    );
  });
}

export async function changePassword(
  deps: AppDeps,
  meta: RequestMeta,
  r: ResolvedSession,
  current: string,
  next: string,
): Promise<void> {
  if (!(await verifyPassword(r.user.password_hash, current))) {
    // As at sign-in: a wrong current password counts toward the lockout and is audited.
    const locked = await withTransaction(deps.db, r.practice.id, (tx) =>
      recordCredentialFailure(tx, meta, r.user, 'password.change', 'account'),
    );
    if (locked) throw new Unauthorized(SIGN_IN_FAILED, { reason: 'locked' });
    throw new Invalid('Current password is not correct', [
      { path: 'currentPassword', message: 'Not correct' },
    ]);
  }
  assertAcceptablePassword(next, [r.user.email, r.user.full_name], 'newPassword');
  const hashed = await hashPassword(next);
  await withTransaction(deps.db, r.practice.id, async (tx) => {
    await users.setPasswordHash(tx, r.user.id, hashed);
    // A new password ends every other signed-in session of this user.
    await sessions.revokeUserSessions(tx, r.user.id, r.session.id);
    await audit(
      tx,
      meta,
      { practiceId: r.practice.id, userId: r.user.id, label: r.user.email },
      {
        action: 'password.change',
        category: 'account',
        entityType: 'user',
        entityId: r.user.id,
      },
    );
  });
}
