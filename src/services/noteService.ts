import * as notesRepo from '../db/notesRepo.js';
import type { NoteRow } from '../db/notesRepo.js';
import * as sessionsRepo from '../db/sessionsRepo.js';
import { getPractice, type PracticeRow } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Conflict, Forbidden, Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import {
  contentSchemaFor,
  copyForward,
  defaultTemplateKey,
  emptyContent,
  type NoteContent,
  type NoteKind,
  type ProgressFormat,
  type TemplateDefinition,
} from '../domain/noteTemplates.js';
import { blindTokens, searchWords } from '../domain/searchTokens.js';
import { localDateOf } from '../domain/recurrence.js';
import type { Icd10Catalog } from '../domain/icd10.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { resolveTemplate } from './noteTemplatesResolver.js';
import { saveNoteGoalRatings } from './goalProgressService.js';
import type { GoalProgressSave } from '../domain/goalProgress.js';
import {
  BILLABLE_KINDS,
  computeFacts,
  editFacts,
  factsFromSession,
  type FactsInput,
  type SessionFacts,
} from './noteFacts.js';

export interface SignatureView {
  userId: string;
  name: string;
  credentials: string | null;
  licenseNumber: string | null;
  signedAt: string;
}

export interface AddendumView {
  id: string;
  authorId: string;
  reason: string;
  text: string;
  signature: SignatureView;
  contentHash: string;
}

export interface NoteView {
  id: string;
  clientId: string;
  sessionId: string | null;
  authorId: string;
  authorName: string;
  kind: NoteKind;
  format: ProgressFormat | null;
  templateKey: string;
  templateVersion: number;
  template: TemplateDefinition;
  status: NoteRow['status'];
  dateOfService: string;
  sessionFacts: SessionFacts;
  diagnoses: { code: string; title: string }[];
  content: NoteContent;
  copiedFields: string[];
  dueAt: string | null;
  lateEntry: boolean;
  requiresCosign: boolean;
  cosignerId: string | null;
  signature: SignatureView | null;
  cosignature: SignatureView | null;
  returned: { at: string; byUserId: string; comments: string } | null;
  contentHash: string | null;
  history: { act: string; name: string; credentials: string | null; at: string; comments: string | null }[];
  addenda: AddendumView[];
  version: number;
  createdAt: string;
  updatedAt: string;
  can: { edit: boolean; sign: boolean; cosign: boolean; returnToAuthor: boolean; addAddendum: boolean };
}

const TABLE = 'notes';

export function sealContent(key: Buffer, noteId: string, content: NoteContent): Buffer {
  return encryptField(key, TABLE, noteId, 'content', JSON.stringify(content));
}

export function openContent(key: Buffer, row: Pick<NoteRow, 'id' | 'content_enc'>): NoteContent {
  if (!row.content_enc) return {};
  return JSON.parse(decryptField(key, TABLE, row.id, 'content', row.content_enc)) as NoteContent;
}

/** Every string the clinician wrote or chose, skipping labels and filler the template adds. */
function typedText(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value.replace(/_/g, ' '));
  else if (Array.isArray(value)) for (const v of value) typedText(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) typedText(v, out);
  return out;
}

/** The words of a note as blind-index tokens: the database can match them but never read them. */
export function noteTokens(ctx: Ctx, content: NoteContent): string[] {
  return blindTokens(
    ctx.keys.searchKey(ctx.actor.practiceId),
    searchWords(typedText(content, []).join('\n')),
  );
}

export async function practiceOf(tx: Tx, ctx: Ctx): Promise<PracticeRow> {
  const p = await getPractice(tx, ctx.actor.practiceId);
  if (!p) throw new NotFound('Practice');
  return p;
}

/** Codes are stored as the catalog spells them; only billable (complete) codes go on a note. */
export function checkDiagnoses(catalog: Icd10Catalog, codes: string[]): string[] {
  const out: string[] = [];
  const errors: { path: string; message: string }[] = [];
  codes.forEach((c, i) => {
    const found = catalog.get(c);
    if (!found) errors.push({ path: `diagnosisCodes.${i}`, message: `${c} is not an ICD-10-CM code` });
    else if (!found.billable)
      errors.push({
        path: `diagnosisCodes.${i}`,
        message: `${found.code} is a category heading; choose a complete code under it`,
      });
    else if (!out.includes(found.code)) out.push(found.code);
  });
  if (errors.length > 0) throw new Invalid('Some diagnosis codes cannot be used', errors);
  return out;
}

function signatureOf(
  userId: string | null,
  name: string | null,
  credentials: string | null,
  license: string | null,
  at: Date | null,
): SignatureView | null {
  if (!userId || !name || !at) return null;
  return { userId, name, credentials, licenseNumber: license, signedAt: at.toISOString() };
}

/** Assembles what a reader sees; the caller has authorized the read and decrypts with the client key. */
export async function assembleNote(tx: Tx, ctx: Ctx, row: NoteRow, key: Buffer): Promise<NoteView> {
  // One transaction is one connection: its queries run one after another.
  const catalog = await ctx.icd10();
  const template = await resolveTemplate(tx, row.template_key, row.template_version);
  const history = await notesRepo.signatureEvents(tx, row.id);
  const addenda = await notesRepo.addendaOf(tx, [row.id]);
  const me = ctx.actor.userId;
  const isAuthor = row.author_id === me;
  const editable = row.status === 'draft' || row.status === 'returned';
  return {
    id: row.id,
    clientId: row.client_id,
    sessionId: row.session_id,
    authorId: row.author_id,
    authorName: row.author_name,
    kind: row.kind as NoteKind,
    format: row.format as ProgressFormat | null,
    templateKey: row.template_key,
    templateVersion: row.template_version,
    template,
    status: row.status,
    dateOfService: row.date_of_service,
    sessionFacts: row.session_facts as unknown as SessionFacts,
    diagnoses: row.diagnosis_codes.map((code) => ({ code, title: catalog.get(code)?.title ?? '' })),
    content: openContent(key, row),
    copiedFields: row.copied_fields,
    dueAt: row.due_at?.toISOString() ?? null,
    lateEntry: row.late_entry,
    requiresCosign: row.requires_cosign,
    cosignerId: row.cosigner_id,
    signature: signatureOf(
      row.signed_by,
      row.signer_name,
      row.signer_credentials,
      row.signer_license,
      row.signed_at,
    ),
    cosignature: signatureOf(
      row.cosigned_by,
      row.cosigner_name,
      row.cosigner_credentials,
      row.cosigner_license,
      row.cosigned_at,
    ),
    returned:
      row.status === 'returned' && row.returned_at && row.returned_by
        ? {
            at: row.returned_at.toISOString(),
            byUserId: row.returned_by,
            comments: row.return_comments_enc
              ? decryptField(key, TABLE, row.id, 'return_comments', row.return_comments_enc)
              : '',
          }
        : null,
    contentHash: row.content_hash,
    history: history.map((h) => ({
      act: h.act,
      name: h.name,
      credentials: h.credentials,
      at: h.at.toISOString(),
      comments: h.comments_enc
        ? decryptField(key, 'note_signatures', h.id, 'comments', h.comments_enc)
        : null,
    })),
    addenda: addenda.map((a) => {
      const body = JSON.parse(decryptField(key, 'note_addenda', a.id, 'content', a.content_enc)) as {
        reason: string;
        text: string;
      };
      return {
        id: a.id,
        authorId: a.author_id,
        reason: body.reason,
        text: body.text,
        signature: {
          userId: a.author_id,
          name: a.signer_name,
          credentials: a.signer_credentials,
          licenseNumber: a.signer_license,
          signedAt: a.signed_at.toISOString(),
        },
        contentHash: a.content_hash,
      };
    }),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    can: {
      edit: isAuthor && editable,
      sign: isAuthor && editable,
      cosign: row.status === 'awaiting_cosign' && row.cosigner_id === me,
      returnToAuthor: row.status === 'awaiting_cosign' && row.cosigner_id === me,
      addAddendum: row.status === 'signed',
    },
  };
}

function noteFacts(row: NoteRow, action: string, outcome?: 'failure') {
  return {
    action,
    category: 'progress_note' as const,
    clientId: row.client_id,
    entityType: 'note',
    entityId: row.id,
    details: { kind: row.kind, status: row.status },
    ...(outcome && { outcome }),
  };
}

export type NoteAction = 'read' | 'write';

/**
 * Loads a note and checks the actor may read (or write) the client's notes. Unsigned drafts
 * belong to their author alone; a note awaiting co-signature is also its co-signer's.
 */
export async function authorizeNote(
  tx: Tx,
  ctx: Ctx,
  noteId: string,
  action: string,
  forUpdate = false,
): Promise<{ row: NoteRow; key: Buffer }> {
  const row = await notesRepo.getNote(tx, noteId, forUpdate);
  if (!row)
    throw new AccessDenied(
      'Note not found',
      { action, category: 'progress_note', entityType: 'note', entityId: noteId },
      404,
    );
  await authorizeClient(tx, ctx, row.client_id, 'client.readNotes');
  if ((row.status === 'draft' || row.status === 'returned') && row.author_id !== ctx.actor.userId)
    throw new AccessDenied('An unsigned draft is visible to its author only', noteFacts(row, action));
  return { row, key: await clientDataKey(tx, ctx, row.client_id) };
}

export interface NewNoteInput {
  clientId: string;
  sessionId: string | null;
  kind: NoteKind;
  format: ProgressFormat | null;
  templateKey: string | null;
  dateOfService: string | null;
  startFromLast: boolean;
}

/**
 * Starts a draft: from a session (its facts copied onto the note) or standalone (a contact,
 * discharge or intake written without one). "Start from last note" copies the client's previous
 * note of the same template, and the copied fields stay marked until edited.
 */
export async function createNote(ctx: Ctx, input: NewNoteInput): Promise<NoteView> {
  return inPractice(ctx, async (tx) => {
    const { client } = await authorizeClient(tx, ctx, input.clientId, 'client.writeNotes');
    const practice = await practiceOf(tx, ctx);
    const templateKey = input.templateKey ?? defaultTemplateKey(input.kind, input.format);
    const template = await resolveTemplate(tx, templateKey, null);
    if (template.kind !== input.kind)
      throw new Invalid('This template is for another kind of note', [
        { path: 'templateKey', message: `A ${template.kind} template` },
      ]);
    let facts: SessionFacts;
    let dateOfService: string;
    let dueAt: Date | null = null;
    if (input.sessionId) {
      const session = await sessionsRepo.getSession(tx, input.sessionId);
      const members = session ? await sessionsRepo.sessionClients(tx, [session.id]) : [];
      const member = members.find((m) => m.client_id === client.id);
      if (!session || !member) throw new NotFound('This client in that session');
      if (session.clinician_id !== ctx.actor.userId)
        throw new AccessDenied('Only the clinician who held the session documents it', {
          action: 'note.create',
          category: 'progress_note',
          clientId: client.id,
          entityType: 'session',
          entityId: session.id,
        });
      const existing = await notesRepo.noteForSession(tx, session.id, client.id);
      if (existing) throw new Conflict('This session already has a note', { noteId: existing.id });
      facts = factsFromSession(session, members.length, practice, BILLABLE_KINDS.has(input.kind));
      dateOfService = localDateOf(session.actual_start ?? session.scheduled_start, practice.time_zone);
      dueAt = member.note_due_at;
    } else {
      if (!input.dateOfService)
        throw new Invalid('Give the date of service', [
          { path: 'dateOfService', message: 'Required without a session' },
        ]);
      facts = computeFacts(
        {
          serviceType: null,
          start: null,
          end: null,
          modality: null,
          location: null,
          clientAtHome: false,
          participants: ['Client'],
          interactiveComplexity: false,
          cptOverride: null,
        },
        practice,
        BILLABLE_KINDS.has(input.kind),
      );
      dateOfService = input.dateOfService;
    }
    const key = await clientDataKey(tx, ctx, client.id);
    let content = emptyContent(template);
    let copied: string[] = [];
    let copiedFrom: string | null = null;
    if (input.startFromLast) {
      const previous = await notesRepo.lastSignedNote(tx, client.id, templateKey);
      if (previous) {
        const fwd = copyForward(template, openContent(key, previous));
        content = fwd.content;
        copied = fwd.copiedFieldIds;
        copiedFrom = previous.id;
      }
    }
    const id = newId();
    const row = await notesRepo.insertNote(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId: client.id,
      sessionId: input.sessionId,
      authorId: ctx.actor.userId,
      caseloadId: client.primary_clinician_id ?? ctx.actor.userId,
      kind: input.kind,
      format: template.format,
      templateKey,
      templateVersion: template.version,
      dateOfService,
      sessionFacts: facts,
      diagnosisCodes: [],
      contentEnc: sealContent(key, id, content),
      copiedFields: copied,
      searchTokens: noteTokens(ctx, content),
      dueAt,
    });
    if (input.sessionId) await sessionsRepo.setNoteState(tx, input.sessionId, client.id, 'draft');
    await auditAs(tx, ctx, {
      ...noteFacts(row, 'note.create'),
      details: { kind: row.kind, template: templateKey, copiedFrom },
    });
    return assembleNote(tx, ctx, row, key);
  });
}

export async function getNote(ctx: Ctx, noteId: string): Promise<NoteView> {
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.view');
    await auditAs(tx, ctx, noteFacts(row, 'note.view'));
    return assembleNote(tx, ctx, row, key);
  });
}

export interface DraftSave {
  content?: unknown;
  sessionFacts?: FactsInput;
  diagnosisCodes?: string[];
  dateOfService?: string;
  copiedFields?: string[];
  /** Goal ratings (progress and plan-review notes): replace the note's ratings, same version check. */
  goalProgress?: GoalProgressSave;
}

/**
 * Autosave: writes the draft only when the version the editor read is still current, so a
 * second tab's older copy is refused with the current one returned, never merged.
 */
export async function saveDraft(
  ctx: Ctx,
  noteId: string,
  expectedVersion: number,
  save: DraftSave,
): Promise<NoteView> {
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.update', true);
    await authorizeClient(tx, ctx, row.client_id, 'client.writeNotes');
    if (row.author_id !== ctx.actor.userId)
      throw new AccessDenied('Only the author edits a note', noteFacts(row, 'note.update'));
    if (row.status !== 'draft' && row.status !== 'returned')
      throw new Conflict('This note is signed. Add an addendum to correct or add to it.');
    if (row.version !== expectedVersion)
      throw new StaleVersion(row.version, await assembleNote(tx, ctx, row, key), {
        ...noteFacts(row, 'note.update'),
      });
    const template = await resolveTemplate(tx, row.template_key, row.template_version);
    const patch: notesRepo.DraftPatch = {};
    if (save.content !== undefined) {
      const parsed = contentSchemaFor(template).safeParse(save.content);
      if (!parsed.success)
        throw new Invalid(
          'Some fields are not valid',
          parsed.error.issues.map((i) => ({
            path: ['content', ...i.path.map(String)].join('.'),
            message: i.message,
          })),
        );
      patch.content_enc = sealContent(key, row.id, parsed.data);
      patch.search_tokens = noteTokens(ctx, parsed.data);
    }
    if (save.sessionFacts !== undefined) {
      const practice = await practiceOf(tx, ctx);
      const facts = editFacts(
        row.session_facts as unknown as SessionFacts,
        save.sessionFacts,
        practice,
        BILLABLE_KINDS.has(row.kind),
      );
      if (facts.start && facts.end && facts.end <= facts.start)
        throw new Invalid('The end must be after the start', [
          { path: 'sessionFacts.end', message: 'Before start' },
        ]);
      patch.session_facts = JSON.stringify(facts);
    }
    if (save.diagnosisCodes !== undefined)
      patch.diagnosis_codes = checkDiagnoses(await ctx.icd10(), save.diagnosisCodes);
    if (save.dateOfService !== undefined && !row.session_id) patch.date_of_service = save.dateOfService;
    // The marks can only be cleared by the editor (a field edited), never added.
    if (save.copiedFields !== undefined)
      patch.copied_fields = row.copied_fields.filter((f) => save.copiedFields?.includes(f));
    if (save.goalProgress !== undefined) await saveNoteGoalRatings(tx, ctx, row, key, save.goalProgress);
    const updated = await notesRepo.updateDraft(tx, row.id, expectedVersion, patch);
    if (!updated)
      throw new StaleVersion(
        row.version,
        await assembleNote(tx, ctx, row, key),
        noteFacts(row, 'note.update'),
      );
    await auditAs(tx, ctx, {
      ...noteFacts(updated, 'note.update'),
      details: { kind: row.kind, fields: Object.keys(patch).join(',') },
    });
    return assembleNote(tx, ctx, updated, key);
  });
}

/** A draft nobody signed can be discarded by its author; anything signed stays for ever. */
export async function discardDraft(ctx: Ctx, noteId: string, expectedVersion: number): Promise<void> {
  return inPractice(ctx, async (tx) => {
    const { row } = await authorizeNote(tx, ctx, noteId, 'note.discard', true);
    if (row.author_id !== ctx.actor.userId)
      throw new AccessDenied('Only the author can discard a draft', noteFacts(row, 'note.discard'));
    if (row.status !== 'draft' || row.returned_at)
      throw new Conflict('Only a draft that was never signed can be discarded');
    if (!(await notesRepo.deleteDraft(tx, row.id, expectedVersion)))
      throw new StaleVersion(row.version, null, noteFacts(row, 'note.discard'));
    if (row.session_id) await sessionsRepo.setNoteState(tx, row.session_id, row.client_id, 'none');
    await auditAs(tx, ctx, noteFacts(row, 'note.discard'));
  });
}

/** Refuses a request that is not from the note's author with a 403 that is audited. */
export function requireAuthor(ctx: Ctx, row: NoteRow, action: string): void {
  if (row.author_id !== ctx.actor.userId)
    throw new AccessDenied('Only the author can do this', noteFacts(row, action));
}

export { noteFacts };
export { Forbidden };
