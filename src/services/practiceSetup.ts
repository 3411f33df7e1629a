import { withTransaction } from '../db/database.js';
import { insertPractice, lockPracticeSetup, practiceCount } from '../db/practicesRepo.js';
import { insertUser } from '../db/usersRepo.js';
import { hashPassword, assertAcceptablePassword } from '../security/passwords.js';
import { newId } from '../security/ids.js';
import { Conflict } from '../domain/errors.js';
import { audit, type AppDeps, type RequestMeta } from './context.js';
import type { Role } from '../domain/roles.js';

export interface PracticeSetupInput {
  practiceName: string;
  timeZone: string;
  kind: 'clinical' | 'coaching';
  owner: {
    email: string;
    fullName: string;
    password: string;
    credentials?: string | null | undefined;
    alsoClinician: boolean;
  };
}

export async function needsSetup(deps: AppDeps): Promise<boolean> {
  return (await withTransaction(deps.db, null, practiceCount)) === 0;
}

/**
 * Creates a practice and its owner. From the web set-up page only while no practice exists
 * (`allowWhenPracticesExist` is for the operator's command line).
 */
export async function createPracticeWithOwner(
  deps: AppDeps,
  meta: RequestMeta,
  input: PracticeSetupInput,
  allowWhenPracticesExist = false,
): Promise<{ practiceId: string; ownerId: string }> {
  assertAcceptablePassword(input.owner.password, [input.owner.email, input.owner.fullName], 'owner.password');
  const passwordHash = await hashPassword(input.owner.password);
  const practiceId = newId();
  const ownerId = newId();
  await withTransaction(deps.db, practiceId, async (tx) => {
    await lockPracticeSetup(tx);
    if (!allowWhenPracticesExist && (await practiceCount(tx)) > 0)
      throw new Conflict('This Casebook is already set up. Sign in instead.');
    await insertPractice(tx, {
      id: practiceId,
      name: input.practiceName,
      timeZone: input.timeZone,
      kind: input.kind,
    });
    const roles: Role[] = input.owner.alsoClinician ? ['owner', 'clinician'] : ['owner'];
    await insertUser(tx, {
      id: ownerId,
      practiceId,
      email: input.owner.email,
      fullName: input.owner.fullName,
      roles,
      credentials: input.owner.credentials ?? null,
      licenseNumber: null,
      supervisorId: null,
      passwordHash,
    });
    const who = { practiceId, userId: ownerId, label: input.owner.email };
    await audit(tx, meta, who, {
      action: 'practice.create',
      category: 'practice',
      entityType: 'practice',
      entityId: practiceId,
    });
    await audit(tx, meta, who, {
      action: 'user.create',
      category: 'user',
      entityType: 'user',
      entityId: ownerId,
      details: { roles: roles.join(',') },
    });
  }).catch((err: unknown) => {
    if (err instanceof Error && 'code' in err && err.code === '23505')
      throw new Conflict('An account with this email already exists');
    throw err;
  });
  return { practiceId, ownerId };
}
