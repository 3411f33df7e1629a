import * as repo from '../db/recordRequestsRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import { decidePracticeAction, clientVisibility } from '../security/accessPolicy.js';
import { addDays } from '../domain/progressReport.js';
import { DUE_SOON_DAYS, dueState, type DueState, type RequestKind } from '../domain/recordRequests.js';
import { NotFound } from '../domain/errors.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { authorizeNote } from './noteService.js';
import { clientDataKey } from './clientKeys.js';
import { listAmendmentsForClient } from './amendmentService.js';
import {
  amendmentView,
  copyView,
  todayInPractice,
  type AmendmentView,
  type CopyRequestView,
} from './recordRequestViews.js';

// What the trackers read: one client's copy and amendment requests, the amendments shown with a
// note, and the practice-wide list of requests that are due soon or overdue.

export interface ClientRequests {
  today: string;
  copies: CopyRequestView[];
  amendments: AmendmentView[];
}

/** A client's copy and amendment requests, newest first: two audited views (one per category). */
export async function listClientRequests(ctx: Ctx, clientId: string): Promise<ClientRequests> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readRecordRequests', {
      action,
      category: 'record_request',
    });
    const today = await todayInPractice(tx, ctx);
    const key = await clientDataKey(tx, ctx, clientId);
    const copies = (await repo.copyRequestsOfClient(tx, clientId)).map((r) => copyView(r, key, today));
    const amendments = await listAmendmentsForClient(tx, ctx, clientId);
    const at = { clientId, entityType: 'client', entityId: clientId };
    await auditAs(tx, ctx, { action, category: 'record_request', ...at, details: { count: copies.length } });
    await auditAs(tx, ctx, {
      action: 'amendment.list',
      category: 'amendment',
      ...at,
      details: { count: amendments.length },
    });
    return { today, copies, amendments };
  });
}

/** The amendment requests about one note, shown with it to whoever may read the note. */
export async function amendmentsOfNote(ctx: Ctx, noteId: string): Promise<{ items: AmendmentView[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'amendment.list_for_note';
    const { row, key } = await authorizeNote(tx, ctx, noteId, action);
    const today = await todayInPractice(tx, ctx);
    const rows = await repo.amendmentsOfTarget(tx, 'note', noteId);
    const statements = await repo.statementsOf(
      tx,
      rows.map((r) => r.id),
    );
    await auditAs(tx, ctx, {
      action,
      category: 'amendment',
      clientId: row.client_id,
      entityType: 'note',
      entityId: noteId,
      details: { count: rows.length },
    });
    return { items: rows.map((r) => amendmentView(r, statements, key, today)) };
  });
}

export interface DueRequest {
  kind: RequestKind;
  id: string;
  client: { id: string; clientCode: string; name: string };
  receivedOn: string;
  effectiveDueOn: string;
  extended: boolean;
  dueState: DueState;
}

/**
 * Open requests due within the next week or overdue, soonest first: all clients for an
 * owner/admin who sees clients, a clinician's own (care-team) clients otherwise.
 */
export async function requestsDue(ctx: Ctx): Promise<{ today: string; items: DueRequest[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'record_request.due_list';
    const d = decidePracticeAction(ctx.actor, 'recordRequests.due');
    if (!d.allowed) throw new AccessDenied(d.reason, { action, category: 'record_request' });
    const practice = await getPractice(tx, ctx.actor.practiceId);
    if (!practice) throw new NotFound('Practice');
    const vis = clientVisibility(ctx.actor, { adminsSeeAllClients: practice.admins_see_all_clients });
    const today = await todayInPractice(tx, ctx);
    const rows =
      vis.kind === 'none'
        ? []
        : await repo.openRequestsDue(tx, {
            until: addDays(today, DUE_SOON_DAYS),
            careTeamOf: vis.kind === 'all' ? null : ctx.actor.userId,
            limit: 200,
          });
    await auditAs(tx, ctx, { action, category: 'record_request', details: { count: rows.length } });
    return {
      today,
      items: rows.map((r) => {
        const clock = {
          kind: r.kind,
          receivedOn: r.received_on,
          dueOn: r.due_on,
          extendedDueOn: r.extended_due_on,
          status: 'open' as const,
        };
        return {
          kind: r.kind,
          id: r.id,
          client: { id: r.client_id, clientCode: r.client_code, name: r.display_name },
          receivedOn: r.received_on,
          effectiveDueOn: r.extended_due_on ?? r.due_on,
          extended: r.extended_due_on !== null,
          dueState: dueState(clock, today),
        };
      }),
    };
  });
}
