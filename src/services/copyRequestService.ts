import * as repo from '../db/recordRequestsRepo.js';
import type { Tx } from '../db/database.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Invalid } from '../domain/errors.js';
import {
  checkExtension,
  checkOpen,
  checkReceivedOn,
  firstDueDate,
  type CopyFormat,
  type DeliveryMethod,
  type ReceivedVia,
  type Requester,
} from '../domain/recordRequests.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { authorizeRequestRow, requestFacts } from './recordRequestAccess.js';
import {
  COPY_TABLE,
  copyView,
  staleRequest,
  todayInPractice,
  type CopyRequestView,
} from './recordRequestViews.js';

// Requests for a copy of the client's own record (45 CFR 164.524): logged (the front desk may),
// tracked against the 30-day deadline, extended once, produced (clientCopyService) and fulfilled.

const CATEGORY = 'record_request';
const ENTITY = 'record_copy_request';
const FILING = { category: CATEGORY, entityType: ENTITY } as const;

export interface NewCopyRequest {
  receivedOn: string;
  receivedVia: ReceivedVia;
  format: CopyFormat;
  delivery: DeliveryMethod;
  requester: Requester;
  representative?: { name: string; relationship: string } | null | undefined;
}

/** Records a copy request; due 30 calendar days after receipt. */
export async function createCopyRequest(
  ctx: Ctx,
  clientId: string,
  input: NewCopyRequest,
): Promise<CopyRequestView> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.create';
    await authorizeClientFor(tx, ctx, clientId, 'client.logCopyRequest', { action, category: CATEGORY });
    const today = await todayInPractice(tx, ctx);
    checkReceivedOn(input.receivedOn, today);
    const rep = input.requester === 'personal_representative' ? input.representative : null;
    if (input.requester === 'personal_representative' && !rep)
      throw new Invalid('Name the personal representative', [
        { path: 'representative.name', message: 'Enter the representative’s name' },
      ]);
    const key = await clientDataKey(tx, ctx, clientId);
    const id = newId();
    await repo.insertCopyRequest(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId,
      receivedOn: input.receivedOn,
      receivedVia: input.receivedVia,
      format: input.format,
      delivery: input.delivery,
      requester: input.requester,
      representativeEnc: rep
        ? encryptField(key, COPY_TABLE, id, 'representative', JSON.stringify(rep))
        : null,
      dueOn: firstDueDate('copy', input.receivedOn),
      createdBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: ENTITY,
      entityId: id,
      details: { format: input.format, requester: input.requester },
    });
    const row = await repo.getCopyRequest(tx, id);
    if (!row) throw new Error('copy request insert not visible');
    return copyView(row, key, today);
  });
}

/**
 * Loads a copy request for a use case and authorizes it under `clientAction`; a request of
 * another practice (invisible under row-level security) is a 404 like a missing one.
 */
export async function authorizeCopyRequest(
  tx: Tx,
  ctx: Ctx,
  id: string,
  action: string,
  forUpdate = false,
): Promise<{ row: repo.CopyRequestRow; key: Buffer; today: string }> {
  return authorizeRequestRow(tx, ctx, id, await repo.getCopyRequest(tx, id, forUpdate), action, FILING);
}

function facts(row: repo.CopyRequestRow, action: string) {
  return requestFacts(row, action, FILING);
}

/** The one extension: a new date at most 30 days past the first deadline, given before it passes. */
export async function extendCopyRequest(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  input: { newDueOn: string; reason: string },
): Promise<CopyRequestView> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.extend';
    const { row, key, today } = await authorizeCopyRequest(tx, ctx, id, action, true);
    if (row.version !== expectedVersion)
      throw staleRequest(row, copyView(row, key, today), facts(row, action));
    checkExtension(
      {
        kind: 'copy',
        receivedOn: row.received_on,
        dueOn: row.due_on,
        extendedDueOn: row.extended_due_on,
        status: row.status,
      },
      input.newDueOn,
      today,
    );
    await repo.extendRequest(tx, COPY_TABLE, {
      id,
      version: expectedVersion,
      newDueOn: input.newDueOn,
      reasonEnc: encryptField(key, COPY_TABLE, id, 'extension_reason', input.reason),
      by: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, { ...facts(row, action), details: { newDueOn: input.newDueOn } });
    const updated = await repo.getCopyRequest(tx, id);
    if (!updated) throw new Error('copy request vanished');
    return copyView(updated, key, today);
  });
}

/** Marks the request done today (practice-local); the copy must have been produced first. */
export async function fulfilCopyRequest(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
): Promise<CopyRequestView> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.fulfil';
    const { row, key, today } = await authorizeCopyRequest(tx, ctx, id, action, true);
    if (row.version !== expectedVersion)
      throw staleRequest(row, copyView(row, key, today), facts(row, action));
    checkOpen(row, 'fulfilled again');
    if (!row.copy_produced_at)
      throw new Invalid('Produce the copy before marking the request fulfilled', [
        { path: 'copy', message: 'Download the copy first' },
      ]);
    await repo.fulfilCopyRequest(tx, {
      id,
      version: expectedVersion,
      fulfilledOn: today,
      by: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, { ...facts(row, action), details: { fulfilledOn: today } });
    const updated = await repo.getCopyRequest(tx, id);
    if (!updated) throw new Error('copy request vanished');
    return copyView(updated, key, today);
  });
}
