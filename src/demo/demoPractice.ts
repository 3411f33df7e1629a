import { withTransaction } from '../db/database.js';
import { getPractice } from '../db/practicesRepo.js';
import { findLogin } from '../db/usersRepo.js';
import { Conflict } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import { setPasswordWithToken } from '../services/passwordService.js';
import { updateBackground } from '../services/backgroundService.js';
import { changeClientStatus, createClient } from '../services/clientService.js';
import { setCareTeam } from '../services/careTeamService.js';
import type { AppDeps, Ctx, RequestMeta } from '../services/context.js';
import { createPracticeWithOwner } from '../services/practiceSetup.js';
import { createStaff, updateStaff } from '../services/staffService.js';
import { DEMO_CLIENTS, type DemoClinician } from './demoClients.js';
import { loadDemoSessions, type DemoCaseload } from './demoSessions.js';
import { loadDemoTreatment } from './demoTreatment.js';
import { loadDemoConsents } from './demoConsents.js';

// Billable ICD-10-CM codes the demo notes carry (generalized anxiety, depression, adjustment, PTSD).
const DIAGNOSES = ['F41.1', 'F32.1', 'F43.23', 'F43.10', 'F33.1', 'F40.10'];

/*
 * `npm run demo`: a fictional group practice built entirely through the same services the web
 * app uses, so every row (and every audit event) is one the real code paths would write.
 */

export const DEMO_PRACTICE_NAME = 'Riverbend Counseling Collective';
/** The one password of every demo account (documented in the README; never use it for real data). */
export const DEMO_PASSWORD = 'riverbend-demo-2026';

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

type StaffKey = DemoClinician | 'teresa' | 'luis' | 'grace';

interface DemoStaff {
  key: StaffKey;
  label: string;
  email: string;
  fullName: string;
  roles: Role[];
  credentials: string | null;
  licenseNumber: string | null;
  supervisor?: StaffKey;
}

const DOMAIN = 'riverbend.example.org';
const OWNER: DemoStaff = {
  key: 'naomi',
  label: 'owner + clinician',
  email: `naomi.castellanos@${DOMAIN}`,
  fullName: 'Naomi Castellanos',
  roles: ['owner', 'clinician'],
  credentials: 'PsyD',
  licenseNumber: 'IL PSY 071.009842',
};
// Order matters: a supervisor is created before the supervisee who names them.
export const DEMO_STAFF: DemoStaff[] = [
  OWNER,
  {
    key: 'marcus',
    label: 'supervisor',
    email: `marcus.whitfield@${DOMAIN}`,
    fullName: 'Marcus Whitfield',
    roles: ['supervisor', 'clinician'],
    credentials: 'LCSW',
    licenseNumber: 'IL LCSW 149.027719',
  },
  {
    key: 'priya',
    label: 'clinician',
    email: `priya.raman@${DOMAIN}`,
    fullName: 'Priya Raman',
    roles: ['clinician'],
    credentials: 'LMFT',
    licenseNumber: 'IL LMFT 168.011840',
  },
  {
    key: 'daniel',
    label: 'clinician',
    email: `daniel.okafor@${DOMAIN}`,
    fullName: 'Daniel Okafor',
    roles: ['clinician'],
    credentials: 'LPC',
    licenseNumber: 'IL LPC 178.008431',
  },
  {
    key: 'jamie',
    label: 'clinician (supervisee)',
    email: `jamie.lindqvist@${DOMAIN}`,
    fullName: 'Jamie Lindqvist',
    roles: ['clinician'],
    credentials: 'LPC-Associate',
    licenseNumber: 'IL LPC-A 178.091207',
    supervisor: 'marcus',
  },
  {
    key: 'teresa',
    label: 'biller',
    email: `teresa.nguyen@${DOMAIN}`,
    fullName: 'Teresa Nguyen',
    roles: ['biller'],
    credentials: 'CPB',
    licenseNumber: null,
  },
  {
    key: 'luis',
    label: 'scheduler',
    email: `luis.ortega@${DOMAIN}`,
    fullName: 'Luis Ortega',
    roles: ['scheduler'],
    credentials: null,
    licenseNumber: null,
  },
  {
    key: 'grace',
    label: 'auditor',
    email: `grace.abernathy@${DOMAIN}`,
    fullName: 'Grace Abernathy',
    roles: ['auditor'],
    credentials: 'CHC',
    licenseNumber: null,
  },
];

const META: RequestMeta = { requestId: 'demo', ip: null, userAgent: 'casebook-demo', secure: false };

async function refuseIfLoaded(deps: AppDeps): Promise<void> {
  const { ids, taken } = await withTransaction(deps.db, null, async (tx) => {
    const taken: string[] = [];
    for (const s of DEMO_STAFF) if (await findLogin(tx, s.email)) taken.push(s.email);
    return {
      ids: (await tx.query<{ id: string }>('SELECT practice_ids() AS id')).rows.map((r) => r.id),
      taken,
    };
  });
  for (const id of ids) {
    const p = await withTransaction(deps.db, id, (tx) => getPractice(tx, id));
    if (p?.name === DEMO_PRACTICE_NAME)
      throw new Conflict(`The demo practice "${DEMO_PRACTICE_NAME}" is already loaded in this database.`);
  }
  if (taken.length)
    throw new Conflict(`Cannot load the demo practice: the account ${taken[0] ?? ''} already exists.`);
}

/**
 * Creates the demo practice: an owner (also a clinician), a supervisor, three clinicians (one
 * supervised), a biller, a scheduler and an auditor, all with DEMO_PASSWORD, and 25 clients
 * with contacts, care teams and encrypted backgrounds. Refuses if it is already loaded.
 */
export async function loadDemoPractice(deps: AppDeps): Promise<DemoLogin[]> {
  await refuseIfLoaded(deps);
  const { practiceId, ownerId } = await createPracticeWithOwner(
    deps,
    META,
    {
      practiceName: DEMO_PRACTICE_NAME,
      timeZone: 'America/Chicago',
      kind: 'clinical',
      owner: {
        email: OWNER.email,
        fullName: OWNER.fullName,
        password: DEMO_PASSWORD,
        credentials: OWNER.credentials,
        alsoClinician: true,
      },
    },
    true,
  );
  const ctxFor = (userId: string, roles: readonly Role[], email: string): Ctx => ({
    ...deps,
    ...META,
    actor: { userId, practiceId, roles },
    actorLabel: email,
  });
  const ownerCtx = ctxFor(ownerId, OWNER.roles, OWNER.email);
  await updateStaff(ownerCtx, ownerId, 1, { licenseNumber: OWNER.licenseNumber });

  const ids = new Map<StaffKey, string>([['naomi', ownerId]]);
  for (const s of DEMO_STAFF.slice(1)) {
    const { user, setPasswordLink } = await createStaff(ownerCtx, {
      email: s.email,
      fullName: s.fullName,
      roles: s.roles,
      credentials: s.credentials,
      licenseNumber: s.licenseNumber,
      supervisorId: s.supervisor ? ids.get(s.supervisor) : null,
    });
    ids.set(s.key, user.id);
    // The real path: the staff member follows the one-time link and chooses a password.
    const token = new URL(setPasswordLink.url, 'http://casebook.invalid').hash.replace(/^#token=/, '');
    await setPasswordWithToken(deps, META, token, DEMO_PASSWORD);
  }

  const staffCtx = (key: DemoClinician): Ctx => {
    const s = DEMO_STAFF.find((x) => x.key === key);
    const id = ids.get(key);
    if (!s || !id) throw new Error(`demo staff ${key} missing`);
    return ctxFor(id, s.roles, s.email);
  };
  const idOf = (key: DemoClinician) => staffCtx(key).actor.userId;
  const caseload: DemoCaseload[] = [];
  for (const c of DEMO_CLIENTS) {
    // The primary clinician registers the client and writes the background, as in practice.
    const ctx = staffCtx(c.primary);
    let record = await createClient(ctx, {
      ...c.demographics,
      contacts: c.contacts,
      primaryClinicianId: idOf(c.primary),
    });
    await updateBackground(ctx, record.id, 1, c.background);
    if (c.coMembers?.length)
      record = await setCareTeam(ctx, record.id, record.version, idOf(c.primary), c.coMembers.map(idOf));
    if (c.status) await changeClientStatus(ctx, record.id, record.version, c.status.status, c.status.reason);
    else {
      const supervisor = DEMO_STAFF.find((s) => s.key === c.primary)?.supervisor;
      caseload.push({
        clientId: record.id,
        ctx,
        supervisorCtx: supervisor === 'marcus' ? staffCtx('marcus') : null,
        diagnosis: DIAGNOSES[caseload.length % DIAGNOSES.length] ?? 'F41.1',
        clientName: `${c.demographics.legalFirstName} ${c.demographics.legalLastName}`,
      });
    }
  }
  await loadDemoSessions(caseload, deps.clock());
  await loadDemoTreatment(caseload, deps.clock());
  await loadDemoConsents(caseload, deps.clock());
  return DEMO_STAFF.map((s) => ({ role: s.label, email: s.email, password: DEMO_PASSWORD }));
}
