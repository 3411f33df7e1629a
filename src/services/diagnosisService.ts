import * as repo from '../db/diagnosesRepo.js';
import type { DiagnosisRow, DiagnosisVersionRow } from '../db/diagnosesRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { decideClientAction, type ClientAction } from '../security/accessPolicy.js';
import * as careTeamRepo from '../db/careTeamRepo.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { localDateOf } from '../domain/recurrence.js';
import {
  diagnosisStateProblems,
  isActivePrimary,
  nextDiagnosisState,
  type DiagnosisRank,
  type DiagnosisState,
  type DiagnosisStatus,
} from '../domain/diagnosisRules.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';

// A client's diagnosis list. Codes are read by the care team and billing (claims carry them);
// the comment beside a code is narrative and is decrypted only for those who may read notes.

export interface DiagnosisView {
  id: string;
  clientId: string;
  code: string;
  description: string;
  rank: DiagnosisRank;
  status: DiagnosisStatus;
  onsetDate: string | null;
  resolvedDate: string | null;
  /** Absent when the reader may see codes but not clinical narrative (billing). */
  comment?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DiagnosisVersionView {
  version: number;
  code: string;
  rank: DiagnosisRank;
  status: DiagnosisStatus;
  onsetDate: string | null;
  resolvedDate: string | null;
  changedFields: string[];
  changedBy: { id: string; name: string };
  changedAt: string;
}

const TABLE = 'client_diagnoses';
const CATEGORY = 'diagnosis';
const ENTITY = 'diagnosis';

function view(row: DiagnosisRow, key: Buffer | null): DiagnosisView {
  const v: DiagnosisView = {
    id: row.id,
    clientId: row.client_id,
    code: row.code,
    description: row.description,
    rank: row.rank,
    status: row.status,
    onsetDate: row.onset_date,
    resolvedDate: row.resolved_date,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
  if (key) v.comment = row.comment_enc ? decryptField(key, TABLE, row.id, 'comment', row.comment_enc) : null;
  return v;
}

function versionView(v: DiagnosisVersionRow): DiagnosisVersionView {
  return {
    version: v.version,
    code: v.code,
    rank: v.rank,
    status: v.status,
    onsetDate: v.onset_date,
    resolvedDate: v.resolved_date,
    changedFields: v.changed_fields,
    changedBy: { id: v.changed_by, name: v.changed_by_name },
    changedAt: v.changed_at.toISOString(),
  };
}

/** What else the policy lets this reader do with the client (see the comment, edit); a read, no lock, not audited. */
async function abilities(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
): Promise<{ readComment: boolean; edit: boolean }> {
  const { relation, settings } = await careTeamRepo.accessFacts(tx, clientId, ctx.actor.userId);
  const may = (a: ClientAction) => decideClientAction(ctx.actor, a, relation, settings).allowed;
  return { readComment: may('client.readNotes'), edit: may('client.writeNotes') };
}

/** A coaching practice keeps the same records without diagnosis codes: every diagnosis write is refused (422). */
async function refuseForCoaching(tx: Tx, ctx: Ctx): Promise<void> {
  const practice = await getPractice(tx, ctx.actor.practiceId);
  if (practice?.kind === 'coaching') throw new Invalid('Coaching practices do not record diagnoses', []);
}

async function practiceToday(tx: Tx, ctx: Ctx): Promise<string> {
  const practice = await getPractice(tx, ctx.actor.practiceId);
  if (!practice) throw new NotFound('Practice');
  return localDateOf(ctx.clock(), practice.time_zone);
}

function seal(key: Buffer, id: string, comment: string | null): Buffer | null {
  return comment === null ? null : encryptField(key, TABLE, id, 'comment', comment);
}

function checkState(
  s: DiagnosisState,
  today: string,
  previous: DiagnosisStatus | null,
  comment: string | null,
): void {
  const problems = diagnosisStateProblems(s, today, previous);
  if (s.status === 'entered_in_error' && previous !== 'entered_in_error' && !comment)
    problems.push({ path: 'comment', message: 'Say why this diagnosis was entered in error' });
  if (problems.length > 0) throw new Invalid('Some fields are not valid', problems);
}

async function refuseDuplicate(tx: Tx, clientId: string, code: string, exceptId: string | null) {
  if (await repo.openDiagnosisWithCode(tx, clientId, code, exceptId))
    throw new Invalid('This code is already on the client’s list', [
      { path: 'code', message: `${code} is already on the list as active or rule-out` },
    ]);
}

/** Demotes the client's current active primary (other than `keepId`) to secondary: a version of its own. */
async function demoteOtherPrimary(tx: Tx, ctx: Ctx, clientId: string, keepId: string | null, at: Date) {
  const current = await repo.activePrimaryOf(tx, clientId);
  if (!current || current.id === keepId) return;
  const demoted = await repo.updateDiagnosis(tx, current.id, current.version, {
    rank: 'secondary',
    status: current.status,
    onsetDate: current.onset_date,
    resolvedDate: current.resolved_date,
    commentEnc: current.comment_enc,
    userId: ctx.actor.userId,
    at,
  });
  if (!demoted) throw new Error('the locked primary diagnosis changed under its lock');
  await auditAs(tx, ctx, {
    action: 'diagnosis.update',
    category: CATEGORY,
    clientId,
    entityType: ENTITY,
    entityId: current.id,
    details: { fields: 'rank', demoted: true },
  });
}

/** The client's diagnoses (all statuses, in the order added), audited as one view of the list. */
export async function listDiagnoses(
  ctx: Ctx,
  clientId: string,
): Promise<{ items: DiagnosisView[]; canEdit: boolean }> {
  return inPractice(ctx, async (tx) => {
    const action = 'diagnosis.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readDiagnoses', { action, category: CATEGORY });
    const can = await abilities(tx, ctx, clientId);
    const withComment = can.readComment;
    const rows = await repo.diagnosesOfClient(tx, clientId);
    const key = withComment ? await clientDataKey(tx, ctx, clientId) : null;
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length, comments: withComment },
    });
    return { items: rows.map((r) => view(r, key)), canEdit: can.edit };
  });
}

export interface NewDiagnosis {
  code: string;
  rank: DiagnosisRank;
  status: Exclude<DiagnosisStatus, 'entered_in_error'>;
  onsetDate: string | null;
  resolvedDate: string | null;
  comment: string | null;
}

/** Adds a billable ICD-10-CM code; a new active primary demotes the old one in the same transaction. */
export async function addDiagnosis(ctx: Ctx, clientId: string, input: NewDiagnosis): Promise<DiagnosisView> {
  const catalog = await ctx.icd10();
  return inPractice(ctx, async (tx) => {
    const action = 'diagnosis.create';
    // Authorize before validating, so a refused user is audited as denied whatever the body holds.
    await authorizeClientFor(tx, ctx, clientId, 'client.writeNotes', { action, category: CATEGORY });
    await refuseForCoaching(tx, ctx);
    const found = catalog.get(input.code);
    if (!found)
      throw new Invalid('Unknown code', [
        { path: 'code', message: `${input.code} is not an ICD-10-CM code` },
      ]);
    if (!found.billable)
      throw new Invalid('Choose a complete code', [
        { path: 'code', message: `${found.code} is a category heading; choose a complete code under it` },
      ]);
    const today = await practiceToday(tx, ctx);
    const state = nextDiagnosisState(null, input, today);
    checkState(state, today, null, input.comment);
    await refuseDuplicate(tx, clientId, found.code, null);
    const at = ctx.clock();
    if (isActivePrimary(state)) await demoteOtherPrimary(tx, ctx, clientId, null, at);
    const key = await clientDataKey(tx, ctx, clientId);
    const id = newId();
    const row = await repo.insertDiagnosis(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId,
      code: found.code,
      description: found.title,
      ...state,
      commentEnc: seal(key, id, input.comment),
      userId: ctx.actor.userId,
      at,
    });
    await auditAs(tx, ctx, { action, category: CATEGORY, clientId, entityType: ENTITY, entityId: id });
    return view(row, key);
  });
}

export interface DiagnosisChange {
  rank?: DiagnosisRank;
  status?: DiagnosisStatus;
  onsetDate?: string | null;
  resolvedDate?: string | null;
  comment?: string | null;
}

/** The diagnosis, or a 404 audited as denied (another practice's rows are invisible under RLS). */
async function loadDiagnosis(tx: Tx, id: string, action: string, forUpdate: boolean): Promise<DiagnosisRow> {
  const row = await repo.getDiagnosis(tx, id, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Diagnosis not found',
      { action, category: CATEGORY, entityType: ENTITY, entityId: id },
      404,
    );
  return row;
}

/** Saves a change when the version read is still current (412 otherwise); nothing is deleted. */
export async function updateDiagnosis(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  change: DiagnosisChange,
): Promise<DiagnosisView> {
  return inPractice(ctx, async (tx) => {
    const action = 'diagnosis.update';
    const row = await loadDiagnosis(tx, id, action, true);
    await authorizeClientFor(tx, ctx, row.client_id, 'client.writeNotes', { action, category: CATEGORY });
    await refuseForCoaching(tx, ctx);
    // Lock the client's primary first so two promotions cannot interleave.
    await repo.activePrimaryOf(tx, row.client_id);
    const key = await clientDataKey(tx, ctx, row.client_id);
    const stale = () =>
      new StaleVersion(row.version, view(row, key), {
        action,
        category: CATEGORY,
        clientId: row.client_id,
        entityType: ENTITY,
        entityId: row.id,
      });
    if (row.version !== expectedVersion) throw stale();
    const today = await practiceToday(tx, ctx);
    const current: DiagnosisState = {
      rank: row.rank,
      status: row.status,
      onsetDate: row.onset_date,
      resolvedDate: row.resolved_date,
    };
    const state = nextDiagnosisState(current, change, today);
    const comment = change.comment !== undefined ? change.comment : (view(row, key).comment ?? null);
    checkState(state, today, row.status, comment);
    if (state.status === 'active' || state.status === 'rule_out')
      await refuseDuplicate(tx, row.client_id, row.code, row.id);
    const at = ctx.clock();
    if (isActivePrimary(state)) await demoteOtherPrimary(tx, ctx, row.client_id, row.id, at);
    const updated = await repo.updateDiagnosis(tx, row.id, expectedVersion, {
      ...state,
      commentEnc: change.comment !== undefined ? seal(key, row.id, change.comment) : row.comment_enc,
      userId: ctx.actor.userId,
      at,
    });
    if (!updated) throw stale();
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: ENTITY,
      entityId: row.id,
      details: { fields: Object.keys(change).sort().join(',') },
    });
    return view(updated, key);
  });
}

/** Every version of a diagnosis with who changed what; codes and dates only, never the comment. */
export async function diagnosisHistory(
  ctx: Ctx,
  id: string,
): Promise<{ diagnosis: DiagnosisView; versions: DiagnosisVersionView[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'diagnosis.history';
    const row = await loadDiagnosis(tx, id, action, false);
    await authorizeClientFor(tx, ctx, row.client_id, 'client.readDiagnoses', { action, category: CATEGORY });
    const versions = await repo.diagnosisVersions(tx, row.id);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: ENTITY,
      entityId: row.id,
      details: { count: versions.length },
    });
    return { diagnosis: view(row, null), versions: versions.map(versionView) };
  });
}

/**
 * Ids of the client's active diagnoses, for linking (a treatment-plan problem names one). The
 * caller has authorized access to the client in this transaction.
 */
export async function activeDiagnosisIds(tx: Tx, clientId: string): Promise<Set<string>> {
  const rows = await repo.diagnosesOfClient(tx, clientId);
  return new Set(rows.filter((r) => r.status === 'active').map((r) => r.id));
}

/**
 * Refuses links to diagnoses that are not this client's active ones, each at `${path}.${i}`
 * (422). For a treatment-plan problem's diagnosis links; the caller has authorized the client.
 */
export async function checkDiagnosisLinks(
  tx: Tx,
  clientId: string,
  diagnosisIds: readonly string[],
  path: string,
): Promise<void> {
  if (diagnosisIds.length === 0) return;
  const active = await activeDiagnosisIds(tx, clientId);
  const problems = diagnosisIds.flatMap((id, i) =>
    active.has(id) ? [] : [{ path: `${path}.${i}`, message: 'Not one of this client’s active diagnoses' }],
  );
  if (problems.length > 0) throw new Invalid('Link active diagnoses of this client only', problems);
}
