import { randomBytes } from 'node:crypto';
import * as clients from '../db/clientsRepo.js';
import * as careTeamRepo from '../db/careTeamRepo.js';
import * as backgroundRepo from '../db/clientBackgroundRepo.js';
import { getPractice, type PracticeRow } from '../db/practicesRepo.js';
import { getUser } from '../db/usersRepo.js';
import { withSavepoint, type Tx } from '../db/database.js';
import { newId } from '../security/ids.js';
import { newDataKey, wrapDataKey } from '../security/fieldEncryption.js';
import {
  decideClientAction,
  type ClientAction,
  type ClientRelation,
  type Grounds,
  type PolicySettings,
} from '../security/accessPolicy.js';
import { clientCodeFromBytes } from '../domain/clientCode.js';
import { isClinical } from '../domain/roles.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { AccessDenied, auditAs, inPractice, type AuditCategory, type Ctx } from './context.js';

export interface ContactInput {
  name: string;
  relationship: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  isEmergency: boolean;
  mayContact: boolean;
  notes?: string | null | undefined;
}

export interface Contact extends Required<{
  [K in keyof ContactInput]: Exclude<ContactInput[K], undefined>;
}> {
  id: string;
}

export interface Demographics {
  legalFirstName: string;
  legalLastName: string;
  preferredName: string | null;
  pronouns: string | null;
  dateOfBirth: string;
  genderIdentity: string | null;
  sex: clients.ClientRow['sex'];
  phones: clients.Phone[];
  email: string | null;
  address: clients.Address | null;
  preferredLanguage: string | null;
  referralSource: string | null;
  intakeDate: string | null;
}

export type DemographicsInput = { [K in keyof Demographics]?: Demographics[K] | undefined };

export interface CareTeamMember {
  userId: string;
  fullName: string;
  credentials: string | null;
  isPrimary: boolean;
}

export interface ClientRecord extends Demographics {
  id: string;
  clientCode: string;
  status: clients.ClientRow['status'];
  statusReason: string | null;
  primaryClinicianId: string | null;
  contacts: Contact[];
  careTeam: CareTeamMember[];
  access: {
    grounds: Grounds;
    canEdit: boolean;
    canSeeBackground: boolean;
    canManageCareTeam: boolean;
    canChangeStatus: boolean;
  };
  createdAt: string;
  updatedAt: string;
  version: number;
}

const FIELD_MAP: Record<keyof Demographics, keyof clients.ClientFields> = {
  legalFirstName: 'legal_first_name',
  legalLastName: 'legal_last_name',
  preferredName: 'preferred_name',
  pronouns: 'pronouns',
  dateOfBirth: 'date_of_birth',
  genderIdentity: 'gender_identity',
  sex: 'sex',
  phones: 'phones',
  email: 'email',
  address: 'address',
  preferredLanguage: 'preferred_language',
  referralSource: 'referral_source',
  intakeDate: 'intake_date',
};

function toDbFields(d: DemographicsInput): Partial<clients.ClientFields> {
  const entries = (Object.keys(FIELD_MAP) as (keyof Demographics)[])
    .filter((k) => d[k] !== undefined)
    .map((k) => [FIELD_MAP[k], d[k]]);
  // Keys and value types correspond one to one through FIELD_MAP.
  return Object.fromEntries(entries) as Partial<clients.ClientFields>;
}

function toDemographics(c: clients.ClientRow): Demographics {
  return {
    legalFirstName: c.legal_first_name,
    legalLastName: c.legal_last_name,
    preferredName: c.preferred_name,
    pronouns: c.pronouns,
    dateOfBirth: c.date_of_birth,
    genderIdentity: c.gender_identity,
    sex: c.sex,
    phones: c.phones,
    email: c.email,
    address: c.address,
    preferredLanguage: c.preferred_language,
    referralSource: c.referral_source,
    intakeDate: c.intake_date,
  };
}

function contactRows(input: ContactInput[]) {
  return input.map((c) => ({
    id: newId(),
    name: c.name,
    relationship: c.relationship,
    phone: c.phone ?? null,
    email: c.email ?? null,
    is_emergency: c.isEmergency,
    may_contact: c.mayContact,
    notes: c.notes ?? null,
  }));
}

async function practiceOf(tx: Tx, ctx: Ctx): Promise<PracticeRow> {
  const p = await getPractice(tx, ctx.actor.practiceId);
  if (!p) throw new NotFound('Practice');
  return p;
}

const WRITES: ReadonlySet<ClientAction> = new Set<ClientAction>([
  'client.updateDemographics',
  'client.updateBackground',
  'client.changeStatus',
  'client.manageCareTeam',
  'client.breakGlass',
  'client.schedule',
  'client.writeNotes',
  'client.writePsychotherapyNotes',
  'client.logCopyRequest',
  'client.manageRecordRequests',
  'client.recordConsent',
  'client.release',
]);

const CATEGORY: Record<ClientAction, AuditCategory> = {
  'client.create': 'demographics',
  'client.readDemographics': 'demographics',
  'client.updateDemographics': 'demographics',
  'client.readBackground': 'background',
  'client.updateBackground': 'background',
  'client.changeStatus': 'demographics',
  'client.manageCareTeam': 'care_team',
  'client.breakGlass': 'break_glass',
  'client.readSchedule': 'session',
  'client.schedule': 'session',
  'client.readNotes': 'progress_note',
  'client.readDiagnoses': 'diagnosis',
  'client.writeNotes': 'progress_note',
  'client.writePsychotherapyNotes': 'psychotherapy_note',
  'client.logCopyRequest': 'record_request',
  'client.readRecordRequests': 'record_request',
  'client.manageRecordRequests': 'record_request',
  'client.readConsents': 'consent',
  'client.recordConsent': 'consent',
  'client.release': 'disclosure',
  'client.readDisclosures': 'disclosure',
};

/**
 * Loads a client and decides the action through the policy; a refusal (or a client this
 * practice does not have) becomes an audited denial.
 */
export async function authorizeClient(tx: Tx, ctx: Ctx, clientId: string, action: ClientAction) {
  const client = await clients.getClient(tx, clientId, WRITES.has(action));
  if (!client)
    throw new AccessDenied(
      'Client not found',
      { action, category: CATEGORY[action], entityType: 'client', entityId: clientId },
      404,
    );
  const { relation: rel, settings } = await careTeamRepo.accessFacts(tx, clientId, ctx.actor.userId);
  const d = decideClientAction(ctx.actor, action, rel, settings);
  if (!d.allowed)
    throw new AccessDenied(d.reason, {
      action,
      category: CATEGORY[action],
      clientId,
      entityType: 'client',
      entityId: clientId,
    });
  return { client, settings, grounds: d.grounds, access: accessSummary(ctx, d.grounds, rel, settings) };
}

/** The feature action and audit category a refused client-level check is filed under. */
export interface FiledUnder {
  action: string;
  category: AuditCategory;
}

/**
 * authorizeClient for a feature with its own audit trail: a refusal (or a missing client) keeps
 * its reason, facts and status but is filed under the feature's action and category.
 */
export async function authorizeClientFor(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  clientAction: ClientAction,
  filed: FiledUnder,
): ReturnType<typeof authorizeClient> {
  try {
    return await authorizeClient(tx, ctx, clientId, clientAction);
  } catch (err) {
    if (err instanceof AccessDenied)
      throw new AccessDenied(
        err.reason,
        { ...err.facts, action: filed.action, category: filed.category },
        err.status,
      );
    throw err;
  }
}

/** What the actor may do next with this client, for the screen to offer only what will work. */
export function accessSummary(
  ctx: Ctx,
  grounds: Grounds,
  rel: ClientRelation,
  settings: PolicySettings,
): ClientRecord['access'] {
  const can = (a: ClientAction) => decideClientAction(ctx.actor, a, rel, settings).allowed;
  return {
    grounds,
    canEdit: can('client.updateDemographics'),
    canSeeBackground: can('client.readBackground'),
    canManageCareTeam: can('client.manageCareTeam'),
    canChangeStatus: can('client.changeStatus'),
  };
}

export async function assemble(
  tx: Tx,
  client: clients.ClientRow,
  access: ClientRecord['access'],
): Promise<ClientRecord> {
  // One transaction is one connection: its queries run one after another.
  const contacts = await clients.getContacts(tx, client.id);
  const team = await careTeamRepo.careTeam(tx, client.id);
  return {
    id: client.id,
    clientCode: client.client_code,
    ...toDemographics(client),
    status: client.status,
    statusReason: client.status_reason,
    primaryClinicianId: client.primary_clinician_id,
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      relationship: c.relationship,
      phone: c.phone,
      email: c.email,
      isEmergency: c.is_emergency,
      mayContact: c.may_contact,
      notes: c.notes,
    })),
    careTeam: team.map((m) => ({
      userId: m.user_id,
      fullName: m.full_name,
      credentials: m.credentials,
      isPrimary: m.user_id === client.primary_clinician_id,
    })),
    access,
    createdAt: client.created_at.toISOString(),
    updatedAt: client.updated_at.toISOString(),
    version: client.version,
  };
}

export interface NewClientInput extends DemographicsInput {
  legalFirstName: string;
  legalLastName: string;
  dateOfBirth: string;
  contacts?: ContactInput[] | undefined;
  primaryClinicianId?: string | null | undefined;
}

/** Creates a client with a fresh code and data key; a clinician creating one joins its care team as primary. */
export async function createClient(ctx: Ctx, input: NewClientInput): Promise<ClientRecord> {
  return inPractice(ctx, (tx) => createClientIn(tx, ctx, input));
}

/** What an import adds to an ordinary create: a code kept from the source, a status, the import's id. */
export interface ImportedClientOptions {
  clientCode?: string | null | undefined;
  status?: clients.ClientRow['status'] | undefined;
  importId?: string | undefined;
}

/** createClient inside the caller's transaction, so an import of many clients is all or nothing. */
export async function createClientIn(
  tx: Tx,
  ctx: Ctx,
  input: NewClientInput,
  opts: ImportedClientOptions = {},
): Promise<ClientRecord> {
  const practice = await practiceOf(tx, ctx);
  const d = decideClientAction(
    ctx.actor,
    'client.create',
    { onCareTeam: false, isPrimary: false, supervisesCareTeamMember: false, breakGlassActive: false },
    { adminsSeeAllClients: practice.admins_see_all_clients },
  );
  if (!d.allowed) throw new AccessDenied(d.reason, { action: 'client.create', category: 'demographics' });
  let primary = input.primaryClinicianId ?? null;
  if (!primary && isClinical(ctx.actor.roles)) primary = ctx.actor.userId;
  if (primary) {
    const u = await getUser(tx, primary);
    if (!u || !u.active || !isClinical(u.roles)) {
      throw new Invalid('The primary clinician must be an active clinician', [
        { path: 'primaryClinicianId', message: 'Not a clinician' },
      ]);
    }
  }
  const id = newId();
  const fields = { ...emptyFields(), ...toDbFields(input) } as clients.ClientFields;
  let row: clients.ClientRow | undefined;
  const keptCode = opts.clientCode ?? null;
  for (let attempt = 0; !row && attempt < (keptCode ? 1 : 5); attempt++) {
    row = await withSavepoint(tx, 'client_code', () =>
      clients.insertClient(tx, {
        id,
        practiceId: ctx.actor.practiceId,
        code: keptCode ?? clientCodeFromBytes(randomBytes(6)),
        primaryClinicianId: primary,
        fields,
      }),
    ).catch((err: unknown) => {
      if (err instanceof clients.ClientCodeTaken) return undefined;
      throw err;
    });
  }
  if (!row && keptCode)
    throw new Invalid('That client code is already in use', [
      { path: 'clientCode', message: 'Already in use' },
    ]);
  if (!row) throw new Error('Could not allocate a unique client code');
  if (opts.status && opts.status !== row.status) {
    const changed = await clients.updateClient(tx, id, row.version, { status: opts.status });
    if (changed) row = changed;
  }
  await backgroundRepo.insertClientKey(
    tx,
    ctx.actor.practiceId,
    id,
    wrapDataKey(ctx.keys.practiceKey(ctx.actor.practiceId), id, newDataKey()),
  );
  await backgroundRepo.insertBackground(tx, ctx.actor.practiceId, id, ctx.actor.userId);
  await clients.replaceContacts(tx, ctx.actor.practiceId, id, contactRows(input.contacts ?? []));
  if (primary) await careTeamRepo.addCareTeamMember(tx, ctx.actor.practiceId, id, primary);
  await auditAs(tx, ctx, {
    action: 'client.create',
    category: 'demographics',
    clientId: id,
    entityType: 'client',
    entityId: id,
    ...(opts.importId ? { details: { importId: opts.importId } } : {}),
  });
  if (primary)
    await auditAs(tx, ctx, {
      action: 'care_team.add',
      category: 'care_team',
      clientId: id,
      entityType: 'user',
      entityId: primary,
      details: { primary: true },
    });
  const facts = await careTeamRepo.accessFacts(tx, id, ctx.actor.userId);
  return assemble(tx, row, accessSummary(ctx, d.grounds, facts.relation, facts.settings));
}

function emptyFields(): Omit<clients.ClientFields, 'legal_first_name' | 'legal_last_name' | 'date_of_birth'> {
  return {
    preferred_name: null,
    pronouns: null,
    gender_identity: null,
    sex: null,
    phones: [],
    email: null,
    address: null,
    preferred_language: null,
    referral_source: null,
    intake_date: null,
  };
}

/** Opens a client record: one audited view. */
export async function getClientRecord(ctx: Ctx, clientId: string): Promise<ClientRecord> {
  return inPractice(ctx, async (tx) => {
    const { client, access, grounds } = await authorizeClient(tx, ctx, clientId, 'client.readDemographics');
    await auditAs(tx, ctx, {
      action: 'client.view',
      category: 'demographics',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { grounds },
    });
    return assemble(tx, client, access);
  });
}

export interface ClientUpdate extends DemographicsInput {
  contacts?: ContactInput[] | undefined;
}

/** Demographics and contacts, applied only on the version the editor read; else 412. */
export async function updateClientDemographics(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  patch: ClientUpdate,
): Promise<ClientRecord> {
  return inPractice(ctx, async (tx) => {
    const { client, access } = await authorizeClient(tx, ctx, clientId, 'client.updateDemographics');
    const { contacts, ...demo } = patch;
    const dbPatch = toDbFields(demo);
    const row = await clients.updateClient(tx, clientId, expectedVersion, dbPatch);
    if (!row)
      throw new StaleVersion(client.version, await assemble(tx, client, access), {
        action: 'client.update',
        category: 'demographics',
        clientId,
        entityType: 'client',
        entityId: clientId,
      });
    if (contacts) await clients.replaceContacts(tx, ctx.actor.practiceId, clientId, contactRows(contacts));
    await auditAs(tx, ctx, {
      action: 'client.update',
      category: 'demographics',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { fields: [...Object.keys(demo), ...(contacts ? ['contacts'] : [])].join(',') },
    });
    return assemble(tx, row, access);
  });
}

/** Discharge, deactivate or reactivate. Clients are never deleted. */
export async function changeClientStatus(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  status: clients.ClientRow['status'],
  reason: string | null,
): Promise<ClientRecord> {
  return inPractice(ctx, async (tx) => {
    const { client, access } = await authorizeClient(tx, ctx, clientId, 'client.changeStatus');
    if (client.status === status)
      throw new Invalid(`The client is already ${status}`, [{ path: 'status', message: 'No change' }]);
    const row = await clients.updateClient(tx, clientId, expectedVersion, { status, status_reason: reason });
    if (!row)
      throw new StaleVersion(client.version, await assemble(tx, client, access), {
        action: 'client.status',
        category: 'demographics',
        clientId,
        entityType: 'client',
        entityId: clientId,
      });
    const action =
      status === 'discharged'
        ? 'client.discharge'
        : status === 'active'
          ? 'client.reactivate'
          : 'client.deactivate';
    await auditAs(tx, ctx, {
      action,
      category: 'demographics',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { from: client.status, to: status },
    });
    return assemble(tx, row, access);
  });
}
