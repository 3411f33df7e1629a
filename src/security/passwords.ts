import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { passwordProblem } from '../domain/passwordPolicy.js';
import { Invalid } from '../domain/errors.js';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2 = {
  algorithm: 2 /* Argon2id; the package's const enum cannot be imported under isolatedModules */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./commonPasswords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
  return common;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so a missing account is not visible by timing.
    await hash(password, ARGON2);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** Throws Invalid (422) with a field error when the password breaks the policy. */
export function assertAcceptablePassword(password: string, personal: string[], field = 'password'): void {
  const problem = passwordProblem(password, commonPasswords(), personal);
  if (problem) throw new Invalid(problem, [{ path: field, message: problem }]);
}
