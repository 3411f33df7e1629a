import { expect } from 'vitest';
import type { App } from '../../src/http/app.js';
import { login, type Agent } from './testApp.js';

// A practice for a browser walkthrough, set up the way a real one is: the first-run set-up form
// (practice and owner), then each member of staff added by the owner and given a password through
// the set-password link, exactly as they would follow it from their invitation.

export interface OwnerSpec {
  email: string;
  fullName: string;
  password: string;
  /** Whether the owner also sees clients; false unless told. */
  alsoClinician?: boolean;
}

export interface StaffSpec {
  email: string;
  fullName: string;
  /** The password set through the set-password link. */
  password: string;
  /** ['clinician'] unless told. */
  roles?: string[];
  credentials?: string | null;
}

export interface PracticeSpec {
  practiceName: string;
  /** 'UTC' unless told. */
  timeZone?: string;
  /** 'clinical' unless told. */
  kind?: 'clinical' | 'coaching';
  owner: OwnerSpec;
  staff?: readonly StaffSpec[];
}

export interface AddedStaff {
  id: string;
  email: string;
  password: string;
  /** Signs this person in through the login route (one argon2 verification). */
  signIn(): Promise<Agent>;
}

export interface E2ePractice {
  /** The owner, signed in. */
  owner: Agent;
  /** The staff in the order given. */
  staff: AddedStaff[];
}

/** Adds one member of staff as the owner and sets their password from the set-password link. */
export async function addStaff(app: App, owner: Agent, spec: StaffSpec): Promise<AddedStaff> {
  const added = await owner.post('/api/v1/users', {
    email: spec.email,
    fullName: spec.fullName,
    roles: spec.roles ?? ['clinician'],
    credentials: spec.credentials ?? null,
    licenseNumber: null,
    supervisorId: null,
  });
  expect(added.statusCode, added.body).toBe(201);
  const body = added.json<{ user: { id: string }; setPasswordLink: { url: string } }>();
  const token = body.setPasswordLink.url.split('#token=')[1];
  const set = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/set-password',
    payload: { token, password: spec.password },
  });
  expect(set.statusCode, set.body).toBe(200);
  return {
    id: body.user.id,
    email: spec.email,
    password: spec.password,
    signIn: () => login(app, spec.email, spec.password),
  };
}

/** Runs first-run set-up, signs the owner in and adds the staff. */
export async function setUpPractice(app: App, spec: PracticeSpec): Promise<E2ePractice> {
  const setup = await app.inject({
    method: 'POST',
    url: '/api/v1/setup',
    payload: {
      practiceName: spec.practiceName,
      timeZone: spec.timeZone ?? 'UTC',
      kind: spec.kind ?? 'clinical',
      owner: {
        email: spec.owner.email,
        fullName: spec.owner.fullName,
        password: spec.owner.password,
        alsoClinician: spec.owner.alsoClinician ?? false,
      },
    },
  });
  expect(setup.statusCode, setup.body).toBe(201);
  const owner = await login(app, spec.owner.email, spec.owner.password);
  const staff: AddedStaff[] = [];
  for (const s of spec.staff ?? []) staff.push(await addStaff(app, owner, s));
  return { owner, staff };
}
