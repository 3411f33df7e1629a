import * as repo from '../db/psychotherapyNotesRepo.js';
import type { PsychotherapyNoteRow } from '../db/psychotherapyNotesRepo.js';
import * as sessionsRepo from '../db/sessionsRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Invalid, StaleVersion } from '../domain/errors.js';
import {
  contentSchemaFor,
  PSYCHOTHERAPY_TEMPLATE,
  type NoteContent,
  type PsychotherapyTemplate,
} from '../domain/noteTemplates.js';
import { decodeCursor, encodeCursor } from '../domain/keysetCursor.js';
import { z } from 'zod';
import { AccessDenied, auditAs, inPractice, type AuditFacts, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';

// Psychotherapy (process) notes under 45 CFR 164.501: only the author ever reads or changes
// one. Anyone else is told the note does not exist, and the attempt is audited as denied.

export interface PsychotherapyNoteView {
  id: string;
  clientId: string;
  sessionId: string | null;
  authorId: string;
  category: 'psychotherapy_note';
  template: PsychotherapyTemplate;
  dateOfService: string;
  content: NoteContent;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const TABLE = 'psychotherapy_notes';
const CATEGORY = 'psychotherapy_note';
const ENTITY = 'psychotherapy_note';

function noteFacts(action: string, row: Pick<PsychotherapyNoteRow, 'id' | 'client_id'>): AuditFacts {
  return { action, category: CATEGORY, clientId: row.client_id, entityType: ENTITY, entityId: row.id };
}

function seal(key: Buffer, id: string, content: NoteContent): Buffer {
  return encryptField(key, TABLE, id, 'content', JSON.stringify(content));
}

function view(row: PsychotherapyNoteRow, key: Buffer): PsychotherapyNoteView {
  return {
    id: row.id,
    clientId: row.client_id,
    sessionId: row.session_id,
    authorId: row.author_id,
    category: CATEGORY,
    template: PSYCHOTHERAPY_TEMPLATE,
    dateOfService: row.date_of_service,
    content: JSON.parse(decryptField(key, TABLE, row.id, 'content', row.content_enc)) as NoteContent,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The caller's own note, or a 404 that is audited as denied. Row-level security hides other
 * authors' rows, so "not yours" and "no such note" look the same, and so do their answers.
 */
async function ownNote(
  tx: Tx,
  ctx: Ctx,
  id: string,
  action: string,
  forUpdate = false,
): Promise<PsychotherapyNoteRow> {
  await repo.actAsUser(tx, ctx.actor.userId);
  const row = await repo.getPsychotherapyNote(tx, id, ctx.actor.userId, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Psychotherapy notes are visible to their author only',
      { action, category: CATEGORY, entityType: ENTITY, entityId: id },
      404,
    );
  return row;
}

function parseContent(content: unknown): NoteContent {
  const parsed = contentSchemaFor(PSYCHOTHERAPY_TEMPLATE).safeParse(content);
  if (parsed.success) return parsed.data;
  // An unknown field is reported at its own path, so the form can point at it.
  throw new Invalid(
    'Some fields are not valid',
    parsed.error.issues.flatMap((i) => {
      const base = ['content', ...i.path.map(String)];
      return i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...base, k].join('.'), message: i.message }))
        : [{ path: base.join('.'), message: i.message }];
    }),
  );
}

/** A note may hang on a session only if it is the author's own session with this client. */
async function checkSession(tx: Tx, ctx: Ctx, sessionId: string, clientId: string): Promise<void> {
  const session = await sessionsRepo.getSession(tx, sessionId);
  const members = session ? await sessionsRepo.sessionClients(tx, [session.id]) : [];
  if (!session || session.clinician_id !== ctx.actor.userId || !members.some((m) => m.client_id === clientId))
    throw new Invalid('Choose one of your own sessions with this client', [
      { path: 'sessionId', message: 'Not your session with this client' },
    ]);
}

export interface NewPsychotherapyNote {
  clientId: string;
  sessionId: string | null;
  dateOfService: string;
  content: unknown;
}

export async function createPsychotherapyNote(
  ctx: Ctx,
  input: NewPsychotherapyNote,
): Promise<PsychotherapyNoteView> {
  return inPractice(ctx, async (tx) => {
    const action = 'psychotherapy_note.create';
    await authorizeClientFor(tx, ctx, input.clientId, 'client.writePsychotherapyNotes', {
      action,
      category: CATEGORY,
    });
    await repo.actAsUser(tx, ctx.actor.userId);
    if (input.sessionId) await checkSession(tx, ctx, input.sessionId, input.clientId);
    const content = parseContent(input.content);
    const key = await clientDataKey(tx, ctx, input.clientId);
    const id = newId();
    const row = await repo.insertPsychotherapyNote(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId: input.clientId,
      authorId: ctx.actor.userId,
      sessionId: input.sessionId,
      dateOfService: input.dateOfService,
      contentEnc: seal(key, id, content),
    });
    await auditAs(tx, ctx, noteFacts(action, row));
    return view(row, key);
  });
}

const cursorShape = z.tuple([z.iso.date(), z.uuid()]);

export interface PsychotherapyNotePage {
  items: PsychotherapyNoteView[];
  nextCursor: string | null;
}

/** The caller's own notes about a client; other authors' notes are never listed, not even counted. */
export async function listPsychotherapyNotes(
  ctx: Ctx,
  q: { clientId: string; cursor?: string | undefined; limit: number },
): Promise<PsychotherapyNotePage> {
  const after = q.cursor ? decodeCursor(q.cursor, cursorShape) : null;
  return inPractice(ctx, async (tx) => {
    const action = 'psychotherapy_note.list';
    await authorizeClientFor(tx, ctx, q.clientId, 'client.readNotes', { action, category: CATEGORY });
    await repo.actAsUser(tx, ctx.actor.userId);
    const rows = await repo.listPsychotherapyNotes(tx, {
      clientId: q.clientId,
      authorId: ctx.actor.userId,
      after: after ? { dateOfService: after[0], id: after[1] } : null,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const key = await clientDataKey(tx, ctx, q.clientId);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: q.clientId,
      entityType: 'client',
      entityId: q.clientId,
      details: { count: page.length },
    });
    return {
      items: page.map((r) => view(r, key)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.date_of_service, last.id]) : null,
    };
  });
}

export async function getPsychotherapyNote(ctx: Ctx, id: string): Promise<PsychotherapyNoteView> {
  return inPractice(ctx, async (tx) => {
    const action = 'psychotherapy_note.view';
    const row = await ownNote(tx, ctx, id, action);
    await authorizeClientFor(tx, ctx, row.client_id, 'client.readNotes', { action, category: CATEGORY });
    const key = await clientDataKey(tx, ctx, row.client_id);
    await auditAs(tx, ctx, noteFacts(action, row));
    return view(row, key);
  });
}

export interface PsychotherapyNoteUpdate {
  content?: unknown;
  dateOfService?: string;
  sessionId?: string | null;
}

/** Saves the author's change when the version they read is still current; a stale copy is refused. */
export async function updatePsychotherapyNote(
  ctx: Ctx,
  id: string,
  expectedVersion: number,
  u: PsychotherapyNoteUpdate,
): Promise<PsychotherapyNoteView> {
  return inPractice(ctx, async (tx) => {
    const action = 'psychotherapy_note.update';
    const row = await ownNote(tx, ctx, id, action, true);
    await authorizeClientFor(tx, ctx, row.client_id, 'client.writePsychotherapyNotes', {
      action,
      category: CATEGORY,
    });
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
    const sessionId = u.sessionId === undefined ? row.session_id : u.sessionId;
    if (sessionId && sessionId !== row.session_id) await checkSession(tx, ctx, sessionId, row.client_id);
    const content = u.content === undefined ? view(row, key).content : parseContent(u.content);
    const updated = await repo.updatePsychotherapyNote(tx, row.id, expectedVersion, {
      contentEnc: seal(key, row.id, content),
      dateOfService: u.dateOfService ?? row.date_of_service,
      sessionId,
    });
    if (!updated) throw stale();
    await auditAs(tx, ctx, {
      ...noteFacts(action, updated),
      details: { fields: Object.keys(u).sort().join(',') },
    });
    return view(updated, key);
  });
}
