import * as clients from '../db/clientsRepo.js';
import * as careTeamRepo from '../db/careTeamRepo.js';
import * as repo from '../db/handoversRepo.js';
import type { Tx } from '../db/database.js';
import { getUser } from '../db/usersRepo.js';
import { Conflict, Invalid, StaleVersion } from '../domain/errors.js';
import { isClinical } from '../domain/roles.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import type { HandoverSummary } from '../domain/handoverSummary.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { movePrimary } from './careTeamService.js';
import { openHandover } from './handoverSnapshot.js';
import { practiceOf } from './noteService.js';
import { clientLabel } from './documentationService.js';
import { z } from 'zod';

// Hand-over within the practice (issue 5 §7). Who may do what:
// - hand over: the client's primary clinician, or an owner/admin where the practice lets them see
//   every client: the care-team rule (client.manageCareTeam), since a hand-over is a care-team change;
// - read a hand-over (its summary and note) and the client's hand-over history: whoever may read the
//   client's progress notes (client.readNotes): the care team, supervisors, break-glass;
// - acknowledge: only the receiving clinician, while still able to read the client.
// Every read and write is audited under 'handover'; refusals are audited as denied.

const CATEGORY = 'handover';

export interface HandoverMeta {
  id: string;
  clientId: string;
  from: { id: string; name: string } | null;
  to: { id: string; name: string };
  createdBy: { id: string; name: string };
  createdAt: string;
  acknowledgedAt: string | null;
  superseded: boolean;
  hasNote: boolean;
}

export interface HandoverView extends HandoverMeta {
  client: { code: string; displayName: string };
  note: string | null;
  summary: HandoverSummary;
  canAcknowledge: boolean;
}

function meta(row: repo.HandoverListRow): HandoverMeta {
  return {
    id: row.id,
    clientId: row.client_id,
    from: row.from_clinician_id && row.from_name ? { id: row.from_clinician_id, name: row.from_name } : null,
    to: { id: row.to_clinician_id, name: row.to_name },
    createdBy: { id: row.created_by, name: row.created_by_name },
    createdAt: row.created_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    superseded: row.superseded_by !== null,
    hasNote: row.has_note,
  };
}
const metaOf = (row: repo.HandoverRow): HandoverMeta => meta({ ...row, has_note: row.note_enc !== null });

export interface NewHandover {
  toClinicianId: string;
  note?: string | null | undefined;
  /** Take the previous primary clinician off the care team too (default: they stay as a member). */
  removePrevious?: boolean | undefined;
}

/**
 * Hands the client to another clinician in one transaction: the primary clinician changes, the new
 * one joins the care team, the hand-over and its snapshot are stored, and each step is audited.
 */
export async function createHandover(
  ctx: Ctx,
  clientId: string,
  expectedVersion: number,
  input: NewHandover,
): Promise<HandoverMeta> {
  return inPractice(ctx, async (tx) => {
    const action = 'handover.create';
    const { client } = await authorizeClientFor(tx, ctx, clientId, 'client.manageCareTeam', {
      action,
      category: CATEGORY,
    });
    const to = await getUser(tx, input.toClinicianId);
    if (!to || !to.active || !isClinical(to.roles))
      throw new Invalid('Hand a client over to an active clinician of this practice', [
        { path: 'toClinicianId', message: 'Not an active clinician of this practice' },
      ]);
    const previous = client.primary_clinician_id;
    if (previous === to.id)
      throw new Invalid('This clinician is already the primary clinician', [
        { path: 'toClinicianId', message: 'Already the primary clinician' },
      ]);
    const row = await clients.updateClient(tx, clientId, expectedVersion, { primary_clinician_id: to.id });
    if (!row)
      throw new StaleVersion(
        client.version,
        { version: client.version },
        {
          action,
          category: CATEGORY,
          clientId,
          entityType: 'client',
          entityId: clientId,
        },
      );
    const team = new Set((await careTeamRepo.careTeam(tx, clientId)).map((m) => m.user_id));
    if (!team.has(to.id)) {
      await careTeamRepo.addCareTeamMember(tx, ctx.actor.practiceId, clientId, to.id);
      await auditAs(tx, ctx, {
        action: 'care_team.add',
        category: 'care_team',
        clientId,
        entityType: 'user',
        entityId: to.id,
      });
    }
    if (input.removePrevious && previous && team.has(previous)) {
      await careTeamRepo.removeCareTeamMember(tx, clientId, previous);
      await auditAs(tx, ctx, {
        action: 'care_team.remove',
        category: 'care_team',
        clientId,
        entityType: 'user',
        entityId: previous,
      });
    }
    const note = input.note?.trim() ? input.note.trim() : null;
    const made = await movePrimary(tx, ctx, clientId, previous, to.id, note);
    const stored = await repo.getHandover(tx, made.id);
    if (!stored) throw new Error('hand-over vanished in its own transaction');
    return metaOf(stored);
  });
}

async function loadForClientAction(tx: Tx, ctx: Ctx, id: string, action: string, forUpdate = false) {
  const row = await repo.getHandover(tx, id, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Hand-over not found',
      { action, category: CATEGORY, entityType: 'handover', entityId: id },
      404,
    );
  const { client } = await authorizeClientFor(tx, ctx, row.client_id, 'client.readNotes', {
    action,
    category: CATEGORY,
  });
  return { row, client };
}

const displayName = (c: clients.ClientRow) =>
  `${c.preferred_name ?? c.legal_first_name} ${c.legal_last_name}`;

/** One hand-over with its snapshot summary and note; opening it is audited as a view. */
export async function getHandover(ctx: Ctx, id: string): Promise<HandoverView> {
  return inPractice(ctx, async (tx) => {
    const action = 'handover.view';
    const { row, client } = await loadForClientAction(tx, ctx, id, action);
    const opened = await openHandover(tx, ctx, row);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'handover',
      entityId: id,
    });
    const m = metaOf(row);
    return {
      ...m,
      client: { code: client.client_code, displayName: displayName(client) },
      note: opened.note,
      summary: opened.summary,
      canAcknowledge: row.to_clinician_id === ctx.actor.userId && !m.acknowledgedAt && !m.superseded,
    };
  });
}

/**
 * "I have read this hand-over". Only the receiving clinician may; acknowledging again changes and
 * records nothing and answers with the first acknowledgement (idempotent). A hand-over superseded
 * by a newer one is no longer theirs to acknowledge (409).
 */
export async function acknowledgeHandover(ctx: Ctx, id: string): Promise<HandoverMeta> {
  return inPractice(ctx, async (tx) => {
    const action = 'handover.acknowledge';
    const { row } = await loadForClientAction(tx, ctx, id, action, true);
    // Reading the client (client.readNotes) is the gate above; acknowledging is a write, which a
    // read-only API token may not do.
    if (ctx.actor.tokenScope === 'read')
      throw new AccessDenied('This API token is read-only', {
        action,
        category: CATEGORY,
        clientId: row.client_id,
        entityType: 'handover',
        entityId: id,
      });
    if (row.to_clinician_id !== ctx.actor.userId)
      throw new AccessDenied('Only the clinician receiving this hand-over can acknowledge it', {
        action,
        category: CATEGORY,
        clientId: row.client_id,
        entityType: 'handover',
        entityId: id,
      });
    if (row.acknowledged_at) return metaOf(row);
    if (row.superseded_by)
      throw new Conflict('A newer hand-over of this client replaced this one; read that one instead');
    const at = ctx.clock();
    await repo.acknowledgeHandover(tx, id, at);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'handover',
      entityId: id,
    });
    return { ...metaOf(row), acknowledgedAt: at.toISOString() };
  });
}

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);
const PAGE = 50;

/** A client's hand-over history, newest first, paged by cursor; audited as one view. */
export async function listClientHandovers(
  ctx: Ctx,
  clientId: string,
  cursor: string | undefined,
): Promise<{ items: HandoverMeta[]; nextCursor: string | null }> {
  const before = cursor ? decodeCursor(cursor, cursorShape) : null;
  return inPractice(ctx, async (tx) => {
    const action = 'handover.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const rows = await repo.handoversOfClient(tx, {
      clientId,
      before: before ? { at: new Date(before[0]), id: before[1] } : null,
      limit: PAGE + 1,
    });
    const page = rows.slice(0, PAGE);
    const last = page.at(-1);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: page.length },
    });
    return {
      items: page.map(meta),
      nextCursor: rows.length > PAGE && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  });
}

export interface PendingHandover extends HandoverMeta {
  clientCode: string;
  displayName: string;
}

/** The signed-in clinician's hand-overs still to read (dashboard and profile banner); audited. */
export async function pendingHandovers(ctx: Ctx): Promise<{ items: PendingHandover[] }> {
  return inPractice(ctx, async (tx) => {
    const practice = await practiceOf(tx, ctx);
    const rows = await repo.pendingHandoversFor(tx, ctx.actor.userId, 100);
    await auditAs(tx, ctx, {
      action: 'handover.pending',
      category: CATEGORY,
      details: { count: rows.length },
    });
    return {
      items: rows.map((r) => ({
        ...meta(r),
        clientCode: r.client_code,
        displayName: clientLabel(practice, r.client_code, r.display_name),
      })),
    };
  });
}
