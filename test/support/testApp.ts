import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { openDatabase, withTransaction } from '../../src/db/database.js';
import { KeyRing } from '../../src/security/fieldEncryption.js';
import { buildApp, type App } from '../../src/http/app.js';
import type { AppDeps } from '../../src/services/context.js';
import { createPracticeWithOwner } from '../../src/services/practiceSetup.js';
import { insertUser } from '../../src/db/usersRepo.js';
import { hashPassword } from '../../src/security/passwords.js';
import { newId } from '../../src/security/ids.js';
import type { Role } from '../../src/domain/roles.js';
import { icd10OnDemand } from '../../src/services/codeSets.js';

export const PASSWORD = 'correct horse battery staple 42';

export interface TestApp {
  app: App;
  deps: AppDeps;
  /** Every JSON log line the server wrote, for PHI-leak checks. */
  logs: string[];
  close(): Promise<void>;
}

export async function openTestApp(
  databaseUrl = inject('appDatabaseUrl'),
  opts: { authRateLimit?: number; clock?: () => Date } = {},
): Promise<TestApp> {
  const db = openDatabase(databaseUrl, 5);
  const deps: AppDeps = {
    db,
    keys: new KeyRing(randomBytes(32)),
    publicUrl: 'http://casebook.test',
    icd10: icd10OnDemand(),
    clock: opts.clock ?? (() => new Date()),
  };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const app = await buildApp(deps, {
    logLevel: 'info',
    logStream,
    webDist: null,
    authRateLimit: opts.authRateLimit ?? 1000,
  });
  await app.ready();
  return {
    app,
    deps,
    logs,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export type StaffKey =
  | 'owner'
  | 'admin'
  | 'clinician'
  | 'otherClinician'
  | 'supervisee'
  | 'supervisor'
  | 'biller'
  | 'scheduler'
  | 'auditor';

export interface SeededPractice {
  practiceId: string;
  users: Record<StaffKey, { id: string; email: string }>;
}

const STAFF: { key: Exclude<StaffKey, 'owner'>; roles: Role[]; name: string }[] = [
  { key: 'admin', roles: ['admin'], name: 'Alex Admin' },
  { key: 'clinician', roles: ['clinician'], name: 'Casey Clinician' },
  { key: 'otherClinician', roles: ['clinician'], name: 'Oli Other' },
  { key: 'supervisor', roles: ['supervisor', 'clinician'], name: 'Sam Supervisor' },
  { key: 'supervisee', roles: ['clinician'], name: 'Sid Supervisee' },
  { key: 'biller', roles: ['biller'], name: 'Bea Biller' },
  { key: 'scheduler', roles: ['scheduler'], name: 'Sky Scheduler' },
  { key: 'auditor', roles: ['auditor'], name: 'Ava Auditor' },
];

/** A fresh practice for one test file: an owner and one user per role, all with PASSWORD. */
export async function seedPractice(
  deps: AppDeps,
  label = randomBytes(4).toString('hex'),
): Promise<SeededPractice> {
  const ownerEmail = `owner-${label}@example.test`;
  const meta = { requestId: 'test', ip: '127.0.0.1', userAgent: 'vitest', secure: false };
  const { practiceId, ownerId } = await createPracticeWithOwner(
    deps,
    meta,
    {
      practiceName: `Practice ${label}`,
      timeZone: 'America/Chicago',
      kind: 'clinical',
      owner: { email: ownerEmail, fullName: 'Olive Owner', password: PASSWORD, alsoClinician: false },
    },
    true,
  );
  const hash = await hashPassword(PASSWORD);
  const users = { owner: { id: ownerId, email: ownerEmail } } as SeededPractice['users'];
  await withTransaction(deps.db, practiceId, async (tx) => {
    for (const s of STAFF) {
      const id = newId();
      const email = `${s.key.toLowerCase()}-${label}@example.test`;
      users[s.key] = { id, email };
      await insertUser(tx, {
        id,
        practiceId,
        email,
        fullName: s.name,
        roles: s.roles,
        credentials: s.roles.includes('clinician') ? 'LCSW' : null,
        licenseNumber: null,
        supervisorId: s.key === 'supervisee' ? (users.supervisor?.id ?? null) : null,
        passwordHash: hash,
      });
    }
  });
  return { practiceId, users };
}

export interface Agent {
  csrf: string;
  cookie: string;
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export function agentFor(app: App, cookie: string, csrf: string): Agent {
  const request: Agent['request'] = (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  return {
    csrf,
    cookie,
    request,
    get: (url, h) => request('GET', url, undefined, h),
    post: (url, body, h) => request('POST', url, body ?? {}, h),
    patch: (url, body, h) => request('PATCH', url, body, h),
    put: (url, body, h) => request('PUT', url, body, h),
    delete: (url, h) => request('DELETE', url, undefined, h),
  };
}

/** Signs in through the real login route and returns an agent carrying the cookie and CSRF token. */
export async function login(app: App, email: string, password = PASSWORD): Promise<Agent> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'cb_session');
  if (!setCookie) throw new Error('no session cookie');
  return agentFor(app, `cb_session=${setCookie.value}`, res.json<{ csrfToken: string }>().csrfToken);
}

export const NEW_CLIENT = {
  legalFirstName: 'Jordan',
  legalLastName: 'Rivera',
  preferredName: 'Jo',
  pronouns: 'they/them',
  dateOfBirth: '1991-04-12',
  phones: [{ kind: 'mobile', number: '(555) 010-2233', mayLeaveMessage: true }],
  email: 'jordan.rivera@example.test',
  contacts: [
    {
      name: 'Pat Rivera',
      relationship: 'Parent',
      phone: '555-010-9999',
      isEmergency: true,
      mayContact: true,
    },
  ],
};
