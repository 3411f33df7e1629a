import * as repo from '../db/recordRequestsRepo.js';
import { getNote } from '../db/notesRepo.js';
import { getPlanOfClient, getVersion } from '../db/treatmentPlansRepo.js';
import { getDiagnosis } from '../db/diagnosesRepo.js';
import type { Tx } from '../db/database.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Conflict, Invalid } from '../domain/errors.js';
import {
  amendmentTravelsWith,
  checkExtension,
  checkOpen,
  checkReceivedOn,
  checkStatement,
  firstDueDate,
  type AmendmentTarget,
  type DenialBasis,
  type StatementKind,
} from '../domain/recordRequests.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { authorizeRequestRow, requestFacts } from './recordRequestAccess.js';
import { appendAddendum } from './noteSigning.js';
import {
  AMENDMENT_TABLE,
  STATEMENT_TABLE,
  amendmentView,
  staleRequest,
  todayInPractice,
  type AmendmentView,
} from './recordRequestViews.js';

// Requests to amend the record (45 CFR 164.526): logged with the disputed record, decided within
// 60 days (one 30-day extension). Accepting a note's amendment is a signed addendum linked to the
// request; denying records the ground and the letter; the client's statement of disagreement and
// the practice's rebuttal stay linked to the record, so they show with it and travel with it.

const CATEGORY = 'amendment';
const ENTITY = 'amendment_request';

const bad = (path: string, message: string) => new Invalid(message, [{ path, message }]);

/** The disputed record must be this client's: a signed note, its plan, one of its diagnoses. */
async function checkTarget(
  tx: Tx,
  clientId: string,
  kind: AmendmentTarget,
  targetId: string | null,
): Promise<string | null> {
  switch (kind) {
    case 'demographics':
      if (targetId !== null) throw bad('target.id', 'Demographics need no record id');
      return null;
    case 'note': {
      const note = targetId ? await getNote(tx, targetId) : undefined;
      if (!note || note.client_id !== clientId) throw bad('target.id', 'Choose one of this client’s notes');
      if (note.status !== 'signed') throw bad('target.id', 'Amendments apply to signed notes');
      return note.id;
    }
    case 'plan': {
      const plan = await getPlanOfClient(tx, clientId);
      if (!plan || (targetId !== null && targetId !== plan.id))
        throw bad('target.id', 'This client has no such treatment plan');
      return plan.id;
    }
    case 'diagnosis': {
      const d = targetId ? await getDiagnosis(tx, targetId) : undefined;
      if (!d || d.client_id !== clientId) throw bad('target.id', 'Choose one of this client’s diagnoses');
      return d.id;
    }
  }
}

async function viewOf(tx: Tx, row: repo.AmendmentRow, key: Buffer, today: string): Promise<AmendmentView> {
  return amendmentView(row, await repo.statementsOf(tx, [row.id]), key, today);
}

async function reload(tx: Tx, id: string, key: Buffer, today: string): Promise<AmendmentView> {
  const row = await repo.getAmendment(tx, id);
  if (!row) throw new Error('amendment request vanished');
  return viewOf(tx, row, key, today);
}

export interface NewAmendmentRequest {
  receivedOn: string;
  target: { kind: AmendmentTarget; id?: string | null | undefined };
  change: string;
  reason: string;
}

/** Logs a request to amend; due 60 calendar days after receipt. */
export async function createAmendmentRequest(
  ctx: Ctx,
  clientId: string,
  input: NewAmendmentRequest,
): Promise<AmendmentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.create';
    await authorizeClientFor(tx, ctx, clientId, 'client.manageRecordRequests', {
      action,
      category: CATEGORY,
    });
    const today = await todayInPractice(tx, ctx);
    checkReceivedOn(input.receivedOn, today);
    const targetId = await checkTarget(tx, clientId, input.target.kind, input.target.id ?? null);
    const key = await clientDataKey(tx, ctx, clientId);
    const id = newId();
    await repo.insertAmendment(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId,
      receivedOn: input.receivedOn,
      targetKind: input.target.kind,
      targetId,
      requestEnc: encryptField(
        key,
        AMENDMENT_TABLE,
        id,
        'request',
        JSON.stringify({ change: input.change, reason: input.reason }),
      ),
      dueOn: firstDueDate('amendment', input.receivedOn),
      createdBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: ENTITY,
      entityId: id,
      details: { target: input.target.kind },
    });
    return reload(tx, id, key, today);
  });
}

const FILING = { category: CATEGORY, entityType: ENTITY } as const;

async function authorizeAmendment(tx: Tx, ctx: Ctx, id: string, action: string) {
  return authorizeRequestRow(tx, ctx, id, await repo.getAmendment(tx, id, true), action, FILING);
}

function facts(row: repo.AmendmentRow, action: string) {
  return requestFacts(row, action, FILING);
}

/** Loads, authorizes and checks the version the editor read (412 with the current request otherwise). */
async function open(tx: Tx, ctx: Ctx, id: string, action: string, expectedVersion: number) {
  const loaded = await authorizeAmendment(tx, ctx, id, action);
  const { row, key, today } = loaded;
  if (row.version !== expectedVersion)
    throw staleRequest(row, await viewOf(tx, row, key, today), facts(row, action));
  return loaded;
}

export async function extendAmendmentRequest(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { newDueOn: string; reason: string },
): Promise<AmendmentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.extend';
    const { row, key, today } = await open(tx, ctx, id, action, expectedVersion);
    checkExtension(
      {
        kind: 'amendment',
        receivedOn: row.received_on,
        dueOn: row.due_on,
        extendedDueOn: row.extended_due_on,
        status: row.status,
      },
      input.newDueOn,
      today,
    );
    await repo.extendRequest(tx, AMENDMENT_TABLE, {
      id,
      version: expectedVersion,
      newDueOn: input.newDueOn,
      reasonEnc: encryptField(key, AMENDMENT_TABLE, id, 'extension_reason', input.reason),
      by: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, { ...facts(row, action), details: { newDueOn: input.newDueOn } });
    return reload(tx, id, key, today);
  });
}

export type Acceptance =
  | { kind: 'addendum'; text: string }
  | { kind: 'correction'; text: string; correctionRef?: string | null | undefined };

/**
 * Accepts: on a note, a signed addendum (re-authentication, as any addendum) linked to the request;
 * on another record, the corrective change recorded and, optionally, the corrected row linked.
 */
export async function acceptAmendment(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: Acceptance,
): Promise<AmendmentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.accept';
    const { row, key, today } = await open(tx, ctx, id, action, expectedVersion);
    checkOpen(row, 'accepted');
    let addendumId: string | null = null;
    let correctionEnc: Buffer | null = null;
    let correctionRef: string | null = null;
    if (row.target_kind === 'note') {
      if (input.kind !== 'addendum' || !row.target_id)
        throw bad('kind', 'An amendment to a note is made as a signed addendum');
      const added = await appendAddendum(tx, ctx, row.target_id, {
        reason: `Amendment requested by the client (received ${row.received_on})`,
        text: input.text,
      });
      addendumId = added.addendumId;
    } else {
      if (input.kind !== 'correction') throw bad('kind', 'Describe the correction made to the record');
      correctionRef = await checkCorrectionRef(tx, row, input.correctionRef ?? null);
      correctionEnc = encryptField(key, AMENDMENT_TABLE, id, 'correction', input.text);
    }
    await repo.decideAmendment(tx, {
      id,
      version: expectedVersion,
      status: 'accepted',
      decidedOn: today,
      by: ctx.actor.userId,
      at: ctx.clock(),
      addendumId,
      correctionEnc,
      correctionRef,
    });
    await auditAs(tx, ctx, {
      ...facts(row, action),
      details: { target: row.target_kind, addendumId, correctionRef },
    });
    return reload(tx, id, key, today);
  });
}

/** The corrected row, when named, must be the client's: a version of its plan or one of its diagnoses. */
async function checkCorrectionRef(
  tx: Tx,
  row: repo.AmendmentRow,
  ref: string | null,
): Promise<string | null> {
  if (ref === null) return null;
  if (row.target_kind === 'diagnosis') {
    const d = await getDiagnosis(tx, ref);
    if (d?.client_id === row.client_id) return ref;
  }
  if (row.target_kind === 'plan') {
    const v = await getVersion(tx, ref);
    if (v?.client_id === row.client_id) return ref;
  }
  throw bad('correctionRef', 'Link a record of this client of the kind disputed');
}

/** Denies on one of the 164.526(a)(2) grounds, with the letter sent to the client. */
export async function denyAmendment(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { basis: DenialBasis; text: string },
): Promise<AmendmentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.deny';
    const { row, key, today } = await open(tx, ctx, id, action, expectedVersion);
    checkOpen(row, 'denied');
    await repo.decideAmendment(tx, {
      id,
      version: expectedVersion,
      status: 'denied',
      decidedOn: today,
      by: ctx.actor.userId,
      at: ctx.clock(),
      denialBasis: input.basis,
      denialEnc: encryptField(key, AMENDMENT_TABLE, id, 'denial', input.text),
    });
    await auditAs(tx, ctx, { ...facts(row, action), details: { basis: input.basis } });
    return reload(tx, id, key, today);
  });
}

/** The client's statement of disagreement with a denial, or the practice's rebuttal of it. */
export async function addAmendmentStatement(
  ctx: Ctx,
  id: string,
  input: { kind: StatementKind; receivedOn: string; text: string },
): Promise<AmendmentView> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.statement';
    const { row, key, today } = await authorizeAmendment(tx, ctx, id, action);
    const existing = await repo.statementsOf(tx, [id]);
    checkStatement(
      row,
      input.kind,
      existing.map((s) => s.kind),
    );
    checkReceivedOn(input.receivedOn, today);
    if (input.receivedOn < (row.decided_on ?? row.received_on))
      throw new Conflict('The statement cannot predate the denial');
    const sid = newId();
    await repo.insertStatement(tx, {
      id: sid,
      practiceId: ctx.actor.practiceId,
      clientId: row.client_id,
      amendmentId: id,
      kind: input.kind,
      receivedOn: input.receivedOn,
      textEnc: encryptField(key, STATEMENT_TABLE, sid, 'text', input.text),
      recordedBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, { ...facts(row, action), details: { kind: input.kind, statementId: sid } });
    return reload(tx, id, key, today);
  });
}

/**
 * Every amendment request of a client with its decision and statements, decrypted, for an
 * exporter that has already authorized and audited the export (45 CFR 164.526(d)(4): they travel
 * with later disclosures of the disputed record). Neither authorizes nor audits.
 */
export async function listAmendmentsForClient(tx: Tx, ctx: Ctx, clientId: string): Promise<AmendmentView[]> {
  const rows = await repo.amendmentsOfClient(tx, clientId);
  if (rows.length === 0) return [];
  const key = await clientDataKey(tx, ctx, clientId);
  const today = await todayInPractice(tx, ctx);
  const statements = await repo.statementsOf(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => amendmentView(r, statements, key, today));
}

/**
 * The amendment requests that must travel with an export (45 CFR 164.526(c)(3), (d)(4)): those
 * about a record the export carries. For the chart loader: `categories` is the export scope's,
 * `exportedNoteIds` the notes it carries. Neither authorizes nor audits (the exporter does).
 */
export async function amendmentsForExport(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  categories: ReadonlySet<string>,
  exportedNoteIds: ReadonlySet<string>,
): Promise<AmendmentView[]> {
  return (await listAmendmentsForClient(tx, ctx, clientId)).filter((a) =>
    amendmentTravelsWith(a.target, categories, exportedNoteIds),
  );
}
