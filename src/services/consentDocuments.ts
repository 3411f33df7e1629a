import { createHash } from 'node:crypto';
import * as repo from '../db/consentsRepo.js';
import type { ClientRow } from '../db/clientsRepo.js';
import { getClient } from '../db/clientsRepo.js';
import { getUser } from '../db/usersRepo.js';
import type { Tx } from '../db/database.js';
import { open, seal } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { renderAuthorizationPdf } from '../documents/authorizationPdf.js';
import { part2Notice, DEFAULT_PART2_NOTICE } from '../domain/consents.js';
import { Invalid, NotFound, StaleVersion } from '../domain/errors.js';
import { RELEASE_CATEGORY_LABELS } from '../domain/releaseScope.js';
import { auditAs, inPractice, type Ctx } from './context.js';
import { authorizeConsent, practiceToday } from './consentService.js';
import { consentView, drawnSignature } from './consentViews.js';
import { practiceOf } from './noteService.js';
import { printedTime } from './notePrintService.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { AccessDenied } from './context.js';

// The printable authorization form, signed scans, and the practice's Part 2 notice setting.

const CATEGORY = 'consent';
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;
const SCAN_TYPES = {
  'application/pdf': { magic: Buffer.from('%PDF-'), ext: 'pdf' },
  'image/png': { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ext: 'png' },
  'image/jpeg': { magic: Buffer.from([0xff, 0xd8, 0xff]), ext: 'jpg' },
} as const;
export type ScanType = keyof typeof SCAN_TYPES;

/** The client as printed on a legal form: always the legal name (the form identifies the person). */
export function formClient(client: ClientRow) {
  return {
    displayName: `${client.legal_first_name} ${client.legal_last_name}`,
    clientCode: client.client_code,
    dateOfBirth: client.date_of_birth,
  };
}

async function clientOf(tx: Tx, clientId: string): Promise<ClientRow> {
  const c = await getClient(tx, clientId);
  if (!c) throw new NotFound('Client');
  return c;
}

/** The consent or authorization as a PDF: blank signature lines until signed, else the recorded signature. */
export async function printAuthorization(
  ctx: Ctx,
  consentId: string,
  opts: { blank?: boolean } = {},
): Promise<{ filename: string; stream: NodeJS.ReadableStream }> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.print';
    const { row, key } = await authorizeConsent(tx, ctx, consentId, 'client.readConsents', action);
    const practice = await practiceOf(tx, ctx);
    const client = await clientOf(tx, row.client_id);
    const today = await practiceToday(tx, ctx);
    const v = consentView(row, key, today);
    const me = await getUser(tx, ctx.actor.userId);
    const period =
      v.recordsFrom || v.recordsTo
        ? `${v.recordsFrom ?? 'the start of treatment'} to ${v.recordsTo ?? 'the date of release'}`
        : null;
    const notice = v.part2 ? part2Notice((await repo.practicePart2Notice(tx)).notice) : null;
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'consent',
      entityId: row.id,
      details: { kind: row.kind, blank: opts.blank ?? false },
    });
    const title =
      v.kind === 'release_of_information'
        ? 'Authorization to release health information'
        : v.kind === 'psychotherapy_note_authorization'
          ? 'Authorization to release psychotherapy notes'
          : v.kindLabel;
    const stream = renderAuthorizationPdf({
      practice: { name: practice.name },
      client: formClient(client),
      kind: v.kind,
      title,
      recipient: v.recipient,
      purpose: v.purpose,
      categories: v.categories.map((c) => RELEASE_CATEGORY_LABELS[c]),
      recordsPeriod: period,
      effectiveOn: v.effectiveOn,
      expires: v.expiresOn ? `on ${v.expiresOn}` : v.expiryEvent ? `upon: ${v.expiryEvent}` : null,
      part2: v.part2,
      part2Notice: notice,
      notes: v.notes,
      signed: opts.blank
        ? null
        : {
            on: v.signedOn,
            name: v.signerName,
            signer: v.signer,
            relationship: v.signerRelationship,
            method: v.signatureMethod,
            png: drawnSignature(row, key),
          },
      revokedOn: v.revokedOn,
      generated: { at: printedTime(ctx.clock(), practice.time_zone), by: me?.full_name ?? ctx.actorLabel },
    });
    return { filename: `authorization-${client.client_code}-${v.signedOn}.pdf`, stream };
  });
}

export interface ScanView {
  id: string;
  mediaType: ScanType;
  byteSize: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** Checks the bytes are what they claim (magic bytes) and within the size limit. */
export function checkScan(mediaType: string, bytes: Buffer): ScanType {
  const t = SCAN_TYPES[mediaType as ScanType] as (typeof SCAN_TYPES)[ScanType] | undefined;
  if (!t)
    throw new Invalid('Upload a PDF, PNG or JPEG file', [{ path: 'file', message: 'Only PDF, PNG or JPEG' }]);
  if (bytes.length === 0 || bytes.length > MAX_SCAN_BYTES)
    throw new Invalid('The file must be at most 10 MB', [
      { path: 'file', message: 'Empty or larger than 10 MB' },
    ]);
  if (!bytes.subarray(0, t.magic.length).equals(t.magic))
    throw new Invalid(`The file is not a ${t.ext.toUpperCase()} file`, [
      { path: 'file', message: 'The content does not match its type' },
    ]);
  return mediaType as ScanType;
}

const scanAad = (id: string) => `consent_scans:${id}:content`;

/** Attaches a signed scan to a consent, encrypted with the client's key (append-only). */
export async function uploadScan(
  ctx: Ctx,
  consentId: string,
  mediaType: string,
  bytes: Buffer,
): Promise<ScanView> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.scan_upload';
    const { row, key } = await authorizeConsent(tx, ctx, consentId, 'client.recordConsent', action);
    const type = checkScan(mediaType, bytes);
    const id = newId();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await repo.insertScan(tx, {
      id,
      practiceId: ctx.actor.practiceId,
      clientId: row.client_id,
      consentId: row.id,
      mediaType: type,
      byteSize: bytes.length,
      sha256,
      contentEnc: seal(key, scanAad(id), bytes),
      uploadedBy: ctx.actor.userId,
      at: ctx.clock(),
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'consent_scan',
      entityId: id,
      details: { consentId: row.id, mediaType: type, bytes: bytes.length },
    });
    const scans = await repo.scansOfConsent(tx, row.id);
    const s = scans.find((x) => x.id === id);
    if (!s) throw new Error('scan insert not visible');
    return scanView(s);
  });
}

function scanView(s: repo.ScanRow): ScanView {
  return {
    id: s.id,
    mediaType: s.media_type,
    byteSize: s.byte_size,
    sha256: s.sha256,
    uploadedBy: s.uploaded_by_name,
    uploadedAt: s.uploaded_at.toISOString(),
  };
}

export async function listScans(ctx: Ctx, consentId: string): Promise<{ items: ScanView[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.scan_list';
    const { row } = await authorizeConsent(tx, ctx, consentId, 'client.readConsents', action);
    const scans = await repo.scansOfConsent(tx, row.id);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'consent',
      entityId: row.id,
      details: { count: scans.length },
    });
    return { items: scans.map(scanView) };
  });
}

/** A scan's bytes, decrypted; audited as a view. */
export async function downloadScan(
  ctx: Ctx,
  consentId: string,
  scanId: string,
): Promise<{ mediaType: ScanType; bytes: Buffer; filename: string }> {
  return inPractice(ctx, async (tx) => {
    const action = 'consent.scan_download';
    const { row, key } = await authorizeConsent(tx, ctx, consentId, 'client.readConsents', action);
    const scan = await repo.getScanContent(tx, scanId);
    if (!scan || scan.consent_id !== row.id) throw new NotFound('Scan');
    const bytes = open(key, scanAad(scan.id), scan.content_enc);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'consent_scan',
      entityId: scan.id,
      details: { consentId: row.id },
    });
    return {
      mediaType: scan.media_type,
      bytes,
      filename: `consent-scan-${scan.uploaded_at.toISOString().slice(0, 10)}.${SCAN_TYPES[scan.media_type].ext}`,
    };
  });
}

export interface Part2NoticeSetting {
  notice: string;
  isDefault: boolean;
  defaultNotice: string;
  version: number;
}

/** The practice's 42 CFR Part 2 redisclosure notice (or the default). Anyone signed in may read it. */
export async function getPart2Notice(ctx: Ctx): Promise<Part2NoticeSetting> {
  return inPractice(ctx, async (tx) => {
    const s = await repo.practicePart2Notice(tx);
    return {
      notice: part2Notice(s.notice),
      isDefault: s.notice === null,
      defaultNotice: DEFAULT_PART2_NOTICE,
      version: s.version,
    };
  });
}

/** Sets (or, with null, resets to the default) the practice's Part 2 notice; owners and admins; If-Match. */
export async function setPart2NoticeSetting(
  ctx: Ctx,
  version: number,
  notice: string | null,
): Promise<Part2NoticeSetting> {
  return inPractice(ctx, async (tx) => {
    const action = 'settings.part2_notice';
    const d = decidePracticeAction(ctx.actor, 'settings.manage');
    if (!d.allowed)
      throw new AccessDenied(d.reason, {
        action,
        category: 'settings',
        entityType: 'practice',
        entityId: ctx.actor.practiceId,
      });
    const value = notice?.trim() ? notice.trim() : null;
    const next = await repo.setPracticePart2Notice(tx, version, value);
    if (next === undefined) {
      const cur = await repo.practicePart2Notice(tx);
      throw new StaleVersion(cur.version, {
        notice: part2Notice(cur.notice),
        isDefault: cur.notice === null,
      });
    }
    await auditAs(tx, ctx, {
      action,
      category: 'settings',
      entityType: 'practice',
      entityId: ctx.actor.practiceId,
      details: { isDefault: value === null },
    });
    return {
      notice: part2Notice(value),
      isDefault: value === null,
      defaultNotice: DEFAULT_PART2_NOTICE,
      version: next,
    };
  });
}
