import * as notesRepo from '../db/notesRepo.js';
import type { NoteRow } from '../db/notesRepo.js';
import * as sessionsRepo from '../db/sessionsRepo.js';
import { getUser, type UserRow } from '../db/usersRepo.js';
import type { Tx } from '../db/database.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { Conflict, Invalid, StaleVersion, Unauthorized } from '../domain/errors.js';
import { completenessProblems } from '../domain/noteTemplates.js';
import { hashAddendum, hashNoteContent, type GoalRatingForHash } from '../domain/noteContentHash.js';
import { isLateEntry } from '../domain/noteDeadline.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClient } from './clientService.js';
import { resolveTemplate } from './noteTemplatesResolver.js';
import {
  assembleNote,
  authorizeNote,
  noteFacts,
  openContent,
  requireAuthor,
  type NoteView,
} from './noteService.js';
import { BILLABLE_KINDS, type SessionFacts } from './noteFacts.js';
import { applyPlanReviewOnSigning, goalRatingsForHash } from './goalProgressService.js';

/** How long a re-authentication stays good for signing (the same window as other sensitive acts). */
const REAUTH_WINDOW_MS = 5 * 60_000;

/** Signing is a legal act: the signer proves who they are again, moments before. */
function requireRecentReauth(ctx: Ctx, now: Date): void {
  const at = ctx.reauthenticatedAt;
  if (!at || now.getTime() - at.getTime() > REAUTH_WINDOW_MS)
    throw new Unauthorized('Confirm your password or authentication code to sign', { reauth: true });
}

async function signer(tx: Tx, userId: string): Promise<UserRow> {
  const u = await getUser(tx, userId);
  if (!u?.active) throw new Unauthorized();
  return u;
}

/**
 * The content the hash covers, exactly as stored, with the note's goal ratings (note_goal_ratings):
 * recomputing it later proves nothing changed.
 */
export function hashOf(
  row: NoteRow,
  content: unknown,
  signedAt: Date,
  who: { name: string; credentials: string | null; licenseNumber: string | null },
  goalRatings: readonly GoalRatingForHash[],
): string {
  return hashNoteContent({
    noteId: row.id,
    clientId: row.client_id,
    authorId: row.author_id,
    kind: row.kind,
    templateKey: row.template_key,
    templateVersion: row.template_version,
    sessionFacts: row.session_facts,
    diagnoses: row.diagnosis_codes,
    content,
    signedAt: signedAt.toISOString(),
    signer: who,
    goalRatings,
  });
}

/**
 * The note's hash recomputed from what is stored now, goal ratings included; null when it was
 * never signed or a rating's comment no longer opens (which cannot match any signature).
 */
async function recomputedHash(tx: Tx, row: NoteRow, key: Buffer): Promise<string | null> {
  if (!row.signed_at || !row.signer_name) return null;
  const ratings = await goalRatingsForHash(tx, row.id, key);
  if (!ratings) return null;
  return hashOf(
    row,
    openContent(key, row),
    row.signed_at,
    { name: row.signer_name, credentials: row.signer_credentials, licenseNumber: row.signer_license },
    ratings,
  );
}

/** What a note must hold before it can be signed, beyond its template's required fields. */
function factProblems(row: NoteRow): { path: string; message: string }[] {
  const facts = row.session_facts as unknown as SessionFacts;
  const problems: { path: string; message: string }[] = [];
  if (row.session_id && (!facts.start || !facts.end))
    problems.push({ path: 'sessionFacts.start', message: 'Enter when the session started and ended' });
  if (BILLABLE_KINDS.has(row.kind) && facts.cpt.length > 0 && row.diagnosis_codes.length === 0)
    problems.push({ path: 'diagnosisCodes', message: 'A billable session needs at least one diagnosis' });
  if (facts.cptOverrideReason !== null && facts.cptOverrideReason.trim().length < 3)
    problems.push({
      path: 'sessionFacts.cptOverride',
      message: 'Give the reason for overriding the CPT code',
    });
  return problems;
}

/**
 * Signs a draft after re-authentication: the signature (name, credentials, license, time) and
 * the SHA-256 of the content are stored, and from then on the database refuses any change. A
 * supervisee's note waits for the supervisor's co-signature.
 */
export async function signNote(ctx: Ctx, noteId: string, expectedVersion: number): Promise<NoteView> {
  const now = ctx.clock();
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.sign', true);
    await authorizeClient(tx, ctx, row.client_id, 'client.writeNotes');
    requireAuthor(ctx, row, 'note.sign');
    requireRecentReauth(ctx, now);
    if (row.status !== 'draft' && row.status !== 'returned')
      throw new Conflict('This note is already signed');
    if (row.version !== expectedVersion)
      throw new StaleVersion(row.version, await assembleNote(tx, ctx, row, key), noteFacts(row, 'note.sign'));
    const template = await resolveTemplate(tx, row.template_key, row.template_version);
    const content = openContent(key, row);
    const problems = [
      ...completenessProblems(template, content).map((p) => ({ ...p, path: `content.${p.path}` })),
      ...factProblems(row),
    ];
    if (problems.length > 0) throw new Invalid('Complete the note before signing', problems);
    const me = await signer(tx, ctx.actor.userId);
    const who = { name: me.full_name, credentials: me.credentials, licenseNumber: me.license_number };
    // The note is locked (authorizeNote), so its ratings cannot change between this read and the signature.
    const ratings = await goalRatingsForHash(tx, row.id, key);
    if (!ratings)
      throw new Conflict('A goal rating of this note cannot be read. Report this to the practice owner.');
    const contentHash = hashOf(row, content, now, who, ratings);
    const requiresCosign = me.supervisor_id !== null;
    const updated = await notesRepo.markSigned(tx, row.id, expectedVersion, {
      at: now,
      userId: me.id,
      ...who,
      contentHash,
      lateEntry: row.due_at !== null && isLateEntry(now, row.due_at),
      requiresCosign,
      cosignerId: me.supervisor_id,
      dueAt: row.due_at,
    });
    if (!updated) throw new StaleVersion(row.version, null, noteFacts(row, 'note.sign'));
    await notesRepo.insertSignatureEvent(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      note_id: row.id,
      user_id: me.id,
      act: requiresCosign ? 'submitted_for_cosign' : 'signed',
      name: me.full_name,
      credentials: me.credentials,
      license_number: me.license_number,
      content_hash: contentHash,
      comments_enc: null,
      at: now,
    });
    if (row.session_id) {
      await sessionsRepo.setNoteState(
        tx,
        row.session_id,
        row.client_id,
        requiresCosign ? 'awaiting_cosign' : 'signed',
      );
      // The documented times become the session's actual times: one truth for the calendar and billing.
      const facts = row.session_facts as unknown as SessionFacts;
      if (facts.start && facts.end)
        await notesRepo.setSessionActualTimes(tx, row.session_id, new Date(facts.start), new Date(facts.end));
    }
    await applyPlanReviewOnSigning(tx, ctx, updated);
    await auditAs(tx, ctx, {
      ...noteFacts(updated, 'note.sign'),
      details: { kind: row.kind, lateEntry: updated.late_entry, awaitingCosign: requiresCosign },
    });
    return assembleNote(tx, ctx, updated, key);
  });
}

async function authorizeCosigner(tx: Tx, ctx: Ctx, noteId: string, action: string) {
  const found = await authorizeNote(tx, ctx, noteId, action, true);
  if (found.row.status !== 'awaiting_cosign') throw new Conflict('This note is not waiting for co-signature');
  if (found.row.cosigner_id !== ctx.actor.userId)
    throw new AccessDenied("Only the author's supervisor co-signs this note", noteFacts(found.row, action));
  return found;
}

/** The supervisor co-signs after re-authentication, provided the content is still what was signed. */
export async function cosignNote(ctx: Ctx, noteId: string, expectedVersion: number): Promise<NoteView> {
  const now = ctx.clock();
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeCosigner(tx, ctx, noteId, 'note.cosign');
    requireRecentReauth(ctx, now);
    if (row.version !== expectedVersion)
      throw new StaleVersion(
        row.version,
        await assembleNote(tx, ctx, row, key),
        noteFacts(row, 'note.cosign'),
      );
    const computed = await recomputedHash(tx, row, key);
    if (computed === null || computed !== row.content_hash)
      throw new Conflict(
        'The note does not match its signature; it cannot be co-signed. Report this to the practice owner.',
      );
    const me = await signer(tx, ctx.actor.userId);
    const updated = await notesRepo.markCosigned(tx, row.id, expectedVersion, {
      at: now,
      userId: me.id,
      name: me.full_name,
      credentials: me.credentials,
      licenseNumber: me.license_number,
    });
    if (!updated) throw new StaleVersion(row.version, null, noteFacts(row, 'note.cosign'));
    await notesRepo.insertSignatureEvent(tx, {
      id: newId(),
      practiceId: ctx.actor.practiceId,
      note_id: row.id,
      user_id: me.id,
      act: 'cosigned',
      name: me.full_name,
      credentials: me.credentials,
      license_number: me.license_number,
      content_hash: row.content_hash,
      comments_enc: null,
      at: now,
    });
    if (row.session_id) await sessionsRepo.setNoteState(tx, row.session_id, row.client_id, 'signed');
    await auditAs(tx, ctx, noteFacts(updated, 'note.cosign'));
    return assembleNote(tx, ctx, updated, key);
  });
}

/**
 * The supervisor sends the note back with comments: the author's signature is withdrawn (it
 * stays in the history), and the author edits and signs again.
 */
export async function returnNote(
  ctx: Ctx,
  noteId: string,
  expectedVersion: number,
  comments: string,
): Promise<NoteView> {
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeCosigner(tx, ctx, noteId, 'note.return');
    if (row.version !== expectedVersion)
      throw new StaleVersion(
        row.version,
        await assembleNote(tx, ctx, row, key),
        noteFacts(row, 'note.return'),
      );
    const me = await signer(tx, ctx.actor.userId);
    const updated = await notesRepo.markReturned(
      tx,
      row.id,
      expectedVersion,
      me.id,
      encryptField(key, 'notes', row.id, 'return_comments', comments),
    );
    if (!updated) throw new StaleVersion(row.version, null, noteFacts(row, 'note.return'));
    const eventId = newId();
    await notesRepo.insertSignatureEvent(tx, {
      id: eventId,
      practiceId: ctx.actor.practiceId,
      note_id: row.id,
      user_id: me.id,
      act: 'returned',
      name: me.full_name,
      credentials: me.credentials,
      license_number: me.license_number,
      content_hash: row.content_hash,
      comments_enc: encryptField(key, 'note_signatures', eventId, 'comments', comments),
      at: ctx.clock(),
    });
    if (row.session_id) await sessionsRepo.setNoteState(tx, row.session_id, row.client_id, 'returned');
    await auditAs(tx, ctx, noteFacts(updated, 'note.return'));
    return assembleNote(tx, ctx, updated, key);
  });
}

/**
 * A correction or late addition to a signed note: its own signed, hashed, append-only row
 * under the note. The note itself stays exactly as it was signed.
 */
export async function addAddendum(
  ctx: Ctx,
  noteId: string,
  input: { reason: string; text: string },
): Promise<NoteView> {
  return inPractice(ctx, async (tx) => {
    const { row, key } = await appendAddendum(tx, ctx, noteId, input);
    return assembleNote(tx, ctx, row, key);
  });
}

/**
 * addAddendum inside the caller's transaction, for a use case that links the addendum to
 * something else (an accepted amendment request) atomically. Returns the new addendum's id.
 */
export async function appendAddendum(
  tx: Tx,
  ctx: Ctx,
  noteId: string,
  input: { reason: string; text: string },
): Promise<{ row: NoteRow; key: Buffer; addendumId: string }> {
  const now = ctx.clock();
  const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.addendum', true);
  await authorizeClient(tx, ctx, row.client_id, 'client.writeNotes');
  requireRecentReauth(ctx, now);
  if (row.status !== 'signed')
    throw new Conflict('Addenda are added to signed notes; edit the draft instead');
  const me = await signer(tx, ctx.actor.userId);
  const id = newId();
  const who = { name: me.full_name, credentials: me.credentials, licenseNumber: me.license_number };
  const contentHash = hashAddendum({
    addendumId: id,
    noteId: row.id,
    authorId: me.id,
    reason: input.reason,
    body: input.text,
    signedAt: now.toISOString(),
    signer: who,
  });
  await notesRepo.insertAddendum(tx, {
    id,
    practiceId: ctx.actor.practiceId,
    note_id: row.id,
    client_id: row.client_id,
    author_id: me.id,
    content_enc: encryptField(key, 'note_addenda', id, 'content', JSON.stringify(input)),
    signed_at: now,
    signer_name: me.full_name,
    signer_credentials: me.credentials,
    signer_license: me.license_number,
    content_hash: contentHash,
  });
  await auditAs(tx, ctx, {
    ...noteFacts(row, 'note.addendum'),
    details: { kind: row.kind, addendumId: id },
  });
  return { row, key, addendumId: id };
}

export interface IntegrityReport {
  noteId: string;
  signed: boolean;
  storedHash: string | null;
  computedHash: string | null;
  intact: boolean;
  addenda: { id: string; storedHash: string; computedHash: string; intact: boolean }[];
  checkedAt: string;
}

/** Recomputes the SHA-256 of the note and of each addendum from what is stored now. */
export async function verifyNoteIntegrity(ctx: Ctx, noteId: string): Promise<IntegrityReport> {
  return inPractice(ctx, async (tx) => {
    const { row, key } = await authorizeNote(tx, ctx, noteId, 'note.verify');
    const view = await assembleNote(tx, ctx, row, key);
    const computed = await recomputedHash(tx, row, key);
    const addenda = view.addenda.map((a) => {
      const c = hashAddendum({
        addendumId: a.id,
        noteId: row.id,
        authorId: a.authorId,
        reason: a.reason,
        body: a.text,
        signedAt: a.signature.signedAt,
        signer: {
          name: a.signature.name,
          credentials: a.signature.credentials,
          licenseNumber: a.signature.licenseNumber,
        },
      });
      return { id: a.id, storedHash: a.contentHash, computedHash: c, intact: c === a.contentHash };
    });
    const intact = computed !== null && computed === row.content_hash && addenda.every((a) => a.intact);
    await auditAs(tx, ctx, { ...noteFacts(row, 'note.verify'), details: { kind: row.kind, intact } });
    return {
      noteId: row.id,
      signed: row.signed_at !== null,
      storedHash: row.content_hash,
      computedHash: computed,
      intact,
      addenda,
      checkedAt: ctx.clock().toISOString(),
    };
  });
}
