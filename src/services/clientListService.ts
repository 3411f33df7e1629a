import * as clients from '../db/clientsRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import { supervisees } from '../db/usersRepo.js';
import { clientVisibility, decidePracticeAction } from '../security/accessPolicy.js';
import { NotFound } from '../domain/errors.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import { z } from 'zod';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

export interface ClientListItem {
  id: string;
  clientCode: string;
  displayName: string;
  legalName: string | null;
  dateOfBirth: string | null;
  status: clients.ClientRow['status'];
  primaryClinicianName: string | null;
  phone: string | null;
}

export interface ClientListQuery {
  search?: string | undefined;
  status?: clients.ClientRow['status'] | undefined;
  clinicianId?: string | undefined;
  sort: 'name' | 'created' | 'code' | 'dob';
  direction: 'asc' | 'desc';
  cursor?: string | undefined;
  limit: number;
}

// (sort value, id): PostgreSQL text cannot hold NUL, so a cursor carrying one is forged.
const LIST_POSITION = z.tuple([z.string().refine((v) => !v.includes('\u0000')), z.uuid()]);

/** The client list, narrowed to what the actor may see, with names hidden in privacy mode. */
export async function listClients(
  ctx: Ctx,
  q: ClientListQuery,
): Promise<{ items: ClientListItem[]; nextCursor: string | null; privacyMode: boolean }> {
  return inPractice(ctx, async (tx) => {
    const practice = await getPractice(tx, ctx.actor.practiceId);
    if (!practice) throw new NotFound('Practice');
    const d = decidePracticeAction(ctx.actor, 'clients.list');
    if (!d.allowed) throw new AccessDenied(d.reason, { action: 'client.list', category: 'demographics' });
    const vis = clientVisibility(ctx.actor, { adminsSeeAllClients: practice.admins_see_all_clients });
    if (vis.kind === 'none') {
      await auditAs(tx, ctx, {
        action: 'client.list',
        category: 'demographics',
        details: { results: 0, searched: Boolean(q.search) },
      });
      return { items: [], nextCursor: null, privacyMode: practice.privacy_mode };
    }
    const careTeamOf =
      vis.kind === 'all'
        ? null
        : [ctx.actor.userId, ...(vis.includeSupervisees ? await supervisees(tx, ctx.actor.userId) : [])];
    const rows = await clients.listClients(tx, {
      search: q.search,
      status: q.status,
      clinicianId: q.clinicianId,
      careTeamOf,
      practiceId: ctx.actor.practiceId,
      sort: q.sort,
      direction: q.direction,
      after: q.cursor ? toAfter(decodeCursor(q.cursor, LIST_POSITION)) : undefined,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const hidden = practice.privacy_mode;
    await auditAs(tx, ctx, {
      action: 'client.list',
      category: 'demographics',
      details: { results: page.length, searched: Boolean(q.search) },
    });
    return {
      privacyMode: hidden,
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.sort_value, last.id]) : null,
      items: page.map((c) => ({
        id: c.id,
        clientCode: c.client_code,
        displayName: hidden
          ? c.client_code
          : `${c.preferred_name ?? c.legal_first_name} ${c.legal_last_name}`,
        legalName: hidden ? null : `${c.legal_last_name}, ${c.legal_first_name}`,
        dateOfBirth: hidden ? null : c.date_of_birth,
        status: c.status,
        primaryClinicianName: c.primary_clinician_name,
        phone: hidden ? null : (c.phones[0]?.number ?? null),
      })),
    };
  });
}

function toAfter([value, id]: z.infer<typeof LIST_POSITION>): { value: string; id: string } {
  return { value, id };
}
