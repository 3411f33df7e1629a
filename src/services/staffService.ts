import * as users from '../db/usersRepo.js';
import { revokeUserSessions } from '../db/authSessionsRepo.js';
import { newId } from '../security/ids.js';
import { hashSecret, randomSecret } from '../security/secrets.js';
import { decidePracticeAction, type PracticeAction } from '../security/accessPolicy.js';
import { Conflict, Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import type { Tx } from '../db/database.js';

const SET_PASSWORD_LINK_HOURS = 72;

export interface StaffMember {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  credentials: string | null;
  licenseNumber: string | null;
  supervisorId: string | null;
  active: boolean;
  mfaEnabled: boolean;
  hasPassword: boolean;
  lockedUntil: string | null;
  version: number;
}

export function toStaff(u: users.UserRow): StaffMember {
  return {
    id: u.id,
    email: u.email,
    fullName: u.full_name,
    roles: u.roles,
    credentials: u.credentials,
    licenseNumber: u.license_number,
    supervisorId: u.supervisor_id,
    active: u.active,
    mfaEnabled: u.mfa_enabled_at !== null,
    hasPassword: u.password_hash !== null,
    lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until.toISOString() : null,
    version: u.version,
  };
}

function require(ctx: Ctx, action: PracticeAction, entityId?: string): void {
  const d = decidePracticeAction(ctx.actor, action);
  if (!d.allowed)
    throw new AccessDenied(d.reason, {
      action,
      category: 'user',
      entityType: 'user',
      ...(entityId ? { entityId } : {}),
    });
}

export async function listStaff(ctx: Ctx): Promise<StaffMember[]> {
  return inPractice(ctx, async (tx) => {
    require(ctx, 'users.read');
    return (await users.listUsers(tx)).map(toStaff);
  });
}

async function issueSetPasswordLink(
  tx: Tx,
  ctx: Ctx,
  userId: string,
): Promise<{ url: string; expiresAt: string }> {
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + SET_PASSWORD_LINK_HOURS * 3600_000);
  await users.insertPasswordToken(tx, {
    id: newId(),
    practiceId: ctx.actor.practiceId,
    userId,
    hash: hashSecret(token),
    expiresAt,
  });
  // The token travels in the fragment, so it never reaches server logs or Referer headers.
  return { url: `${ctx.publicUrl ?? ''}/set-password#token=${token}`, expiresAt: expiresAt.toISOString() };
}

async function assertSupervisor(
  tx: Tx,
  supervisorId: string | null | undefined,
  selfId?: string,
): Promise<void> {
  if (!supervisorId) return;
  const s = await users.getUser(tx, supervisorId);
  if (!s || !s.active || !s.roles.includes('supervisor') || s.id === selfId) {
    throw new Invalid('The supervisor must be an active user with the supervisor role', [
      { path: 'supervisorId', message: 'Not a supervisor' },
    ]);
  }
}

export interface NewStaffInput {
  email: string;
  fullName: string;
  roles: Role[];
  credentials?: string | null | undefined;
  licenseNumber?: string | null | undefined;
  supervisorId?: string | null | undefined;
}

/** Owner/admin adds a user; the user sets a password through a one-time link. */
export async function createStaff(ctx: Ctx, input: NewStaffInput) {
  return inPractice(ctx, async (tx) => {
    require(ctx, 'users.manage');
    if (input.roles.includes('owner') && !ctx.actor.roles.includes('owner')) {
      throw new AccessDenied('Only an owner can make another owner', {
        action: 'user.create',
        category: 'user',
      });
    }
    if ((await users.findLogin(tx, input.email)) !== undefined) {
      throw new Conflict('An account with this email already exists', {
        errors: [{ path: 'email', message: 'Already in use' }],
      });
    }
    await assertSupervisor(tx, input.supervisorId);
    const user = await users.insertUser(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      email: input.email,
      fullName: input.fullName,
      roles: input.roles,
      credentials: input.credentials ?? null,
      licenseNumber: input.licenseNumber ?? null,
      supervisorId: input.supervisorId ?? null,
      passwordHash: null,
    });
    const link = await issueSetPasswordLink(tx, ctx, user.id);
    await auditAs(tx, ctx, {
      action: 'user.create',
      category: 'user',
      entityType: 'user',
      entityId: user.id,
      details: { roles: input.roles.join(',') },
    });
    return { user: toStaff(user), setPasswordLink: link };
  });
}

export async function resetStaffPasswordLink(ctx: Ctx, userId: string) {
  return inPractice(ctx, async (tx) => {
    require(ctx, 'users.manage', userId);
    const user = await users.getUser(tx, userId);
    if (!user) throw new NotFound('User');
    // Whoever holds the link chooses the password, so only an owner may get one for an owner.
    if (user.roles.includes('owner') && !ctx.actor.roles.includes('owner')) {
      throw new AccessDenied('Only an owner can reset an owner', {
        action: 'user.password_link',
        category: 'user',
        entityType: 'user',
        entityId: userId,
      });
    }
    const link = await issueSetPasswordLink(tx, ctx, user.id);
    await auditAs(tx, ctx, {
      action: 'user.password_link',
      category: 'user',
      entityType: 'user',
      entityId: user.id,
    });
    return { setPasswordLink: link };
  });
}

export interface StaffPatch {
  fullName?: string | undefined;
  roles?: Role[] | undefined;
  credentials?: string | null | undefined;
  licenseNumber?: string | null | undefined;
  supervisorId?: string | null | undefined;
  active?: boolean | undefined;
}

/** Profile, role and activation changes; deactivation ends the user's sessions. Never deletes. */
export async function updateStaff(ctx: Ctx, userId: string, expectedVersion: number, patch: StaffPatch) {
  return inPractice(ctx, async (tx) => {
    require(ctx, 'users.manage', userId);
    const before = await users.getUser(tx, userId);
    if (!before) throw new NotFound('User');
    const touchesOwner = before.roles.includes('owner') || (patch.roles?.includes('owner') ?? false);
    if (
      touchesOwner &&
      !ctx.actor.roles.includes('owner') &&
      (patch.roles !== undefined || patch.active !== undefined)
    ) {
      throw new AccessDenied('Only an owner can change an owner', {
        action: 'user.update',
        category: 'user',
        entityType: 'user',
        entityId: userId,
      });
    }
    if (
      userId === ctx.actor.userId &&
      (patch.active === false || (patch.roles && !patch.roles.some((r) => r === 'owner' || r === 'admin')))
    ) {
      throw new Invalid('You cannot deactivate yourself or remove your own management role', [
        { path: 'roles', message: 'Would lock you out' },
      ]);
    }
    // An admin must not widen their own access (e.g. add auditor or scheduler to see more).
    if (userId === ctx.actor.userId && patch.roles && !ctx.actor.roles.includes('owner')) {
      throw new AccessDenied('Only an owner can change your roles', {
        action: 'user.role_change',
        category: 'user',
        entityType: 'user',
        entityId: userId,
      });
    }
    const losesOwner =
      before.roles.includes('owner') &&
      before.active &&
      (patch.active === false || (patch.roles !== undefined && !patch.roles.includes('owner')));
    if (losesOwner && (await users.countActiveOwners(tx)) <= 1) {
      throw new Invalid('A practice needs at least one active owner. Make someone else an owner first.', [
        { path: 'roles', message: 'Last owner' },
      ]);
    }
    await assertSupervisor(tx, patch.supervisorId, userId);
    const row = await users.updateUserProfile(tx, userId, expectedVersion, {
      ...(patch.fullName !== undefined && { full_name: patch.fullName }),
      ...(patch.roles !== undefined && { roles: patch.roles }),
      ...(patch.credentials !== undefined && { credentials: patch.credentials }),
      ...(patch.licenseNumber !== undefined && { license_number: patch.licenseNumber }),
      ...(patch.supervisorId !== undefined && { supervisor_id: patch.supervisorId }),
      ...(patch.active !== undefined && { active: patch.active }),
    });
    if (!row)
      throw new StaleVersion(before.version, toStaff(before), {
        action: 'user.update',
        category: 'user',
        entityType: 'user',
        entityId: userId,
      });
    if (patch.roles && patch.roles.slice().sort().join() !== before.roles.slice().sort().join()) {
      await auditAs(tx, ctx, {
        action: 'user.role_change',
        category: 'user',
        entityType: 'user',
        entityId: userId,
        details: { from: before.roles.join(','), to: patch.roles.join(',') },
      });
    }
    if (patch.active !== undefined && patch.active !== before.active) {
      if (!patch.active) await revokeUserSessions(tx, userId);
      await auditAs(tx, ctx, {
        action: patch.active ? 'user.reactivate' : 'user.deactivate',
        category: 'user',
        entityType: 'user',
        entityId: userId,
      });
    }
    const changed = Object.keys(patch).filter((k) => k !== 'roles' && k !== 'active');
    if (changed.length > 0) {
      await auditAs(tx, ctx, {
        action: 'user.update',
        category: 'user',
        entityType: 'user',
        entityId: userId,
        details: { fields: changed.join(',') },
      });
    }
    return toStaff(row);
  });
}
