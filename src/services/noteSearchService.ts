import { z } from 'zod';
import * as notesRepo from '../db/notesRepo.js';
import { clientLabels } from '../db/documentationRepo.js';
import { queryTokens } from '../domain/searchTokens.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import { hasAnyRole, isClinical } from '../domain/roles.js';
import type { NoteKind, ProgressFormat } from '../domain/noteTemplates.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';
import { practiceOf } from './noteService.js';
import { clientLabel } from './documentationService.js';

export const NOTE_SEARCH_PAGE_SIZE = 50;

export interface NoteSearchInput {
  clientId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  kinds?: NoteKind[] | undefined;
  text?: string | undefined;
  cursor?: string | undefined;
}

export interface NoteSearchHit {
  id: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  authorName: string;
  kind: NoteKind;
  format: ProgressFormat | null;
  status: notesRepo.NoteStatus;
  dateOfService: string;
  signedAt: string | null;
  lateEntry: boolean;
  addenda: number;
}

export interface NoteSearchPage {
  items: NoteSearchHit[];
  nextCursor: string | null;
}

const POSITION = z.tuple([z.iso.date(), z.uuid()]);

/**
 * Searches the notes the actor may read, newest first. Words are turned into blind-index tokens
 * with the practice's search key, so the database matches them without ever seeing a word.
 * Clinicians and supervisors search their care teams' clients (and supervisees', and any under
 * emergency access); owners and admins every client only when the practice lets them see all
 * clients; front office and auditors never search notes. One audit row per search, which
 * records whether words were given but never the words.
 */
export async function searchNotes(ctx: Ctx, input: NoteSearchInput): Promise<NoteSearchPage> {
  const after = input.cursor ? decodeCursor(input.cursor, POSITION) : null;
  const tokens = input.text ? queryTokens(ctx.keys.searchKey(ctx.actor.practiceId), input.text) : [];
  return inPractice(ctx, async (tx) => {
    const practice = await practiceOf(tx, ctx);
    const roles = ctx.actor.roles;
    const seesAll = hasAnyRole(roles, ['owner', 'admin']) && practice.admins_see_all_clients;
    if (!seesAll && !isClinical(roles))
      throw new AccessDenied('Your role cannot search clinical notes', {
        action: 'note.search',
        category: 'progress_note',
        ...(input.clientId && { clientId: input.clientId }),
      });
    let scope: notesRepo.NoteScope = { kind: 'practice' };
    if (input.clientId) {
      await authorizeClient(tx, ctx, input.clientId, 'client.readNotes');
      scope = { kind: 'clients', clientIds: [input.clientId] };
    } else if (!seesAll) {
      scope = {
        kind: 'caseload',
        clinicianId: ctx.actor.userId,
        otherClientIds: await notesRepo.otherReadableClientIds(
          tx,
          ctx.actor.userId,
          hasAnyRole(roles, ['supervisor']),
        ),
      };
    }
    const rows = await notesRepo.searchNotes(tx, {
      readerId: ctx.actor.userId,
      scope,
      from: input.from ?? null,
      to: input.to ?? null,
      kinds: input.kinds && input.kinds.length > 0 ? input.kinds : null,
      tokens,
      after: after ? { date: after[0], id: after[1] } : null,
      limit: NOTE_SEARCH_PAGE_SIZE + 1,
    });
    const page = rows.slice(0, NOTE_SEARCH_PAGE_SIZE);
    const labels = new Map(
      (await clientLabels(tx, [...new Set(page.map((r) => r.client_id))])).map((c) => [c.id, c]),
    );
    await auditAs(tx, ctx, {
      action: 'note.search',
      category: 'progress_note',
      ...(input.clientId && { clientId: input.clientId }),
      details: {
        results: page.length,
        words: tokens.length > 0,
        kinds: input.kinds?.join(',') ?? null,
        from: input.from ?? null,
        to: input.to ?? null,
      },
    });
    const last = page[page.length - 1];
    return {
      nextCursor: rows.length > page.length && last ? encodeCursor([last.date_of_service, last.id]) : null,
      items: page.map((r) => {
        const label = labels.get(r.client_id);
        return {
          id: r.id,
          clientId: r.client_id,
          clientCode: r.client_code,
          displayName: clientLabel(practice, r.client_code, label?.display_name ?? r.client_code),
          authorName: r.author_name,
          kind: r.kind as NoteKind,
          format: r.format as ProgressFormat | null,
          status: r.status,
          dateOfService: r.date_of_service,
          signedAt: r.signed_at?.toISOString() ?? null,
          lateEntry: r.late_entry,
          addenda: r.addenda,
        };
      }),
    };
  });
}
