import { z } from 'zod';
import * as sessionsRepo from '../db/sessionsRepo.js';
import * as notesRepo from '../db/notesRepo.js';
import { accessFacts } from '../db/careTeamRepo.js';
import type { TimelineBound } from '../db/sessionsRepo.js';
import { decideClientAction } from '../security/accessPolicy.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import type { ServiceType } from '../domain/cptTimeRule.js';
import type { NoteKind, ProgressFormat } from '../domain/noteTemplates.js';
import type { NoteStatus } from '../db/notesRepo.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';
import { practiceOf } from './noteService.js';
import { documentedMinutes, type Attendance } from './sessionService.js';
import { RECORD_TYPES, recordItems, type ChartRecordItem, type RecordType } from './chartRecordItems.js';
import {
  localDayEnd,
  localDayStart,
  practiceDateOf,
  practiceInstant,
  type SessionNoteState,
} from './documentationService.js';

export const CHART_TYPES = ['session', 'note', 'addendum', ...RECORD_TYPES] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const CHART_PAGE_SIZE = 50;

export interface ChartSessionItem {
  kind: 'session';
  id: string;
  at: string;
  serviceType: ServiceType;
  attendance: Attendance;
  clinicianName: string;
  minutes: number | null;
  noteId: string | null;
  noteState: SessionNoteState;
}

export interface ChartNoteItem {
  kind: 'note';
  id: string;
  at: string;
  dateOfService: string;
  noteKind: NoteKind;
  format: ProgressFormat | null;
  status: NoteStatus;
  authorName: string;
  lateEntry: boolean;
  signedAt: string | null;
  cosignedAt: string | null;
  addenda: number;
}

export interface ChartAddendumItem {
  kind: 'addendum';
  id: string;
  noteId: string;
  at: string;
  signerName: string;
}

export type ChartItem = ChartSessionItem | ChartNoteItem | ChartAddendumItem | ChartRecordItem;

export interface ChartPage {
  items: ChartItem[];
  nextCursor: string | null;
  /** Types asked for that the caller's role may not read (clinical entries for front office). */
  withheld: ChartType[];
}

export interface ChartQuery {
  types: readonly ChartType[];
  from: string | undefined;
  to: string | undefined;
  cursor: string | undefined;
}

// The timeline's total order: newest first; at the same instant in the order of CHART_TYPES
// (sessions, notes, addenda, then the treatment record); then id, newest first. The cursor is
// the last item's place in that order.
const RANK = Object.fromEntries(CHART_TYPES.map((t, i) => [t, i])) as Record<ChartType, number>;
const POSITION = z.tuple([
  z.iso.datetime(),
  z
    .int()
    .min(0)
    .max(CHART_TYPES.length - 1),
  z.uuid(),
]);

function compare(a: ChartItem, b: ChartItem): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Where a kind's rows resume after the cursor item: before its instant, and which ties. */
function boundFor(kind: ChartType, pos: z.infer<typeof POSITION> | null): TimelineBound | null {
  if (!pos) return null;
  const [at, rank, id] = pos;
  const ties = RANK[kind] > rank ? 'all' : RANK[kind] < rank ? 'none' : { idBelow: id };
  return { at: new Date(at), ties };
}

/** The instant a note stands at on the timeline: noon of its date of service, practice time. */
function noteInstant(dateOfService: string, timeZone: string): Date {
  return practiceInstant(dateOfService, '12:00', timeZone);
}

/**
 * The same bound on the notes' own key. Noon rises with the date, so "noon before the bound"
 * is "a date before the bound's local date", plus that date itself when its noon qualifies.
 */
function noteBound(b: TimelineBound | null, timeZone: string): TimelineBound<string> | null {
  if (!b) return null;
  const date = practiceDateOf(b.at, timeZone);
  const noon = noteInstant(date, timeZone).getTime();
  if (noon < b.at.getTime()) return { at: date, ties: 'all' };
  if (noon > b.at.getTime()) return { at: date, ties: 'none' };
  return { at: date, ties: b.ties };
}

/**
 * A client's chart on one newest-first timeline, 50 at a time: sessions, notes, addenda,
 * diagnosis changes, signed plan versions, outcome measures, risk alerts and annotations.
 * Anyone who may see the client's schedule gets the sessions; diagnoses go to those who may read
 * them (billing too); everything else only to those who may read the client's notes (the rest
 * are told what was withheld). Another author's unsigned draft never shows; psychotherapy notes
 * live elsewhere and never do. The only narrative read is an annotation's text. One audit row
 * per page.
 */
export async function chartTimeline(ctx: Ctx, clientId: string, q: ChartQuery): Promise<ChartPage> {
  const position = q.cursor ? decodeCursor(q.cursor, POSITION) : null;
  return inPractice(ctx, async (tx) => {
    await authorizeClient(tx, ctx, clientId, 'client.readSchedule');
    const facts = await accessFacts(tx, clientId, ctx.actor.userId);
    const may = (action: 'client.readNotes' | 'client.readDiagnoses') =>
      decideClientAction(ctx.actor, action, facts.relation, facts.settings).allowed;
    const readsNotes = may('client.readNotes');
    const readsDiagnoses = may('client.readDiagnoses');
    const readable = (t: ChartType) => t === 'session' || (t === 'diagnosis' ? readsDiagnoses : readsNotes);
    const practice = await practiceOf(tx, ctx);
    const tz = practice.time_zone;
    const wanted = new Set(q.types);
    const withheld = CHART_TYPES.filter((t) => wanted.has(t) && !readable(t));
    const shown = CHART_TYPES.filter((t) => wanted.has(t) && !withheld.includes(t));
    const from = q.from ? localDayStart(q.from, tz) : null;
    const to = q.to ? localDayEnd(q.to, tz) : null;
    const practiceId = ctx.actor.practiceId;
    const me = ctx.actor.userId;
    const limit = CHART_PAGE_SIZE + 1;
    const items: ChartItem[] = [];

    if (shown.includes('session')) {
      const rows = await sessionsRepo.chartSessions(tx, {
        practiceId,
        clientId,
        from,
        to,
        before: boundFor('session', position),
        limit,
      });
      for (const r of rows) {
        const noteVisible =
          readsNotes &&
          r.note_id !== null &&
          (r.note_status === 'signed' || r.note_status === 'awaiting_cosign' || r.note_author_id === me);
        items.push({
          kind: 'session',
          id: r.session_id,
          at: r.starts_at.toISOString(),
          serviceType: r.service_type as ServiceType,
          attendance: r.attendance as Attendance,
          clinicianName: r.clinician_name,
          minutes: documentedMinutes(r.actual_start, r.actual_end),
          noteId: noteVisible ? r.note_id : null,
          noteState: r.note_state as SessionNoteState,
        });
      }
    }
    if (shown.includes('note')) {
      const rows = await notesRepo.chartNotes(tx, {
        practiceId,
        clientId,
        readerId: me,
        from: q.from ?? null,
        to: q.to ?? null,
        before: noteBound(boundFor('note', position), tz),
        limit,
      });
      for (const r of rows)
        items.push({
          kind: 'note',
          id: r.id,
          at: noteInstant(r.date_of_service, tz).toISOString(),
          dateOfService: r.date_of_service,
          noteKind: r.kind as NoteKind,
          format: r.format as ProgressFormat | null,
          status: r.status,
          authorName: r.author_name,
          lateEntry: r.late_entry,
          signedAt: r.signed_at?.toISOString() ?? null,
          cosignedAt: r.cosigned_at?.toISOString() ?? null,
          addenda: r.addenda,
        });
    }
    if (shown.includes('addendum')) {
      const rows = await notesRepo.chartAddenda(tx, {
        practiceId,
        clientId,
        from,
        to,
        before: boundFor('addendum', position),
        limit,
      });
      for (const r of rows)
        items.push({
          kind: 'addendum',
          id: r.id,
          noteId: r.note_id,
          at: r.signed_at.toISOString(),
          signerName: r.signer_name,
        });
    }

    const recordShown = shown.filter((t): t is RecordType => (RECORD_TYPES as readonly string[]).includes(t));
    if (recordShown.length > 0)
      items.push(
        ...(await recordItems(tx, ctx, recordShown, {
          clientId,
          from,
          to,
          fromDate: q.from ?? null,
          toDate: q.to ?? null,
          limit,
          bound: (kind) => boundFor(kind, position),
          dateBound: (kind) => noteBound(boundFor(kind, position), tz),
          instantOf: (date) => noteInstant(date, tz),
        })),
      );

    // Each kind brought at most one more than a page, so whatever lies beyond the merged page
    // sorts after its last item: that item is the next cursor.
    items.sort(compare);
    const page = items.slice(0, CHART_PAGE_SIZE);
    const last = page[page.length - 1];
    await auditAs(tx, ctx, {
      action: 'chart.view',
      category: shown.some((t) => t !== 'session' && t !== 'diagnosis')
        ? 'progress_note'
        : shown.includes('diagnosis')
          ? 'diagnosis'
          : 'session',
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { types: shown.join(','), withheld: withheld.join(','), results: page.length },
    });
    return {
      items: page,
      nextCursor:
        items.length > CHART_PAGE_SIZE && last ? encodeCursor([last.at, RANK[last.kind], last.id]) : null,
      withheld,
    };
  });
}
