import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/db/database.js';
import { KeyRing } from '../../src/security/fieldEncryption.js';
import type { AppDeps } from '../../src/services/context.js';
import { icd10OnDemand } from '../../src/services/codeSets.js';
import { createPracticeWithOwner } from '../../src/services/practiceSetup.js';
import type { BenchDatabase } from './benchDatabase.js';

/** The app's dependencies on the bench database, with a fresh master key. */
export function benchDeps(bdb: BenchDatabase, poolSize: number): AppDeps {
  return {
    db: openDatabase(bdb.url, poolSize),
    keys: new KeyRing(randomBytes(32)),
    publicUrl: 'http://casebook.bench',
    icd10: icd10OnDemand(),
    clock: () => new Date(),
  };
}

/** A practice made through the real set-up service; returns its id and a label unique to the run. */
export async function benchPractice(
  deps: AppDeps,
  name: string,
  ownerPassword: string,
): Promise<{ practiceId: string; label: string }> {
  const label = randomBytes(3).toString('hex');
  const meta = { requestId: 'bench', ip: '127.0.0.1', userAgent: 'casebook-bench', secure: false };
  const { practiceId } = await createPracticeWithOwner(
    deps,
    meta,
    {
      practiceName: name,
      timeZone: 'America/Chicago',
      kind: 'clinical',
      owner: {
        email: `owner-${label}@bench.test`,
        fullName: 'Olive Owner',
        password: ownerPassword,
        alsoClinician: false,
      },
    },
    true,
  );
  return { practiceId, label };
}
