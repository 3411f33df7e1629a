import * as repo from '../db/consentsRepo.js';
import type { ConsentRow } from '../db/consentsRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import {
  CONSENT_KIND_LABELS,
  consentStatus,
  type ConsentFacts,
  type ConsentKind,
  type ConsentStatus,
} from '../domain/consents.js';
import type { Recipient } from '../domain/consentInput.js';
import type { ReleaseCategory } from '../domain/releaseScope.js';
import type { ChartConsent } from './chartExport/chartExportTypes.js';
import type { Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';

// How a stored consent is read back: decrypted with the client's key, with its status today.

export const TABLE = 'consents';

export interface ConsentView {
  id: string;
  kind: ConsentKind;
  kindLabel: string;
  status: ConsentStatus;
  categories: ReleaseCategory[];
  part2: boolean;
  recipient: Recipient | null;
  purpose: string | null;
  notes: string | null;
  recordsFrom: string | null;
  recordsTo: string | null;
  effectiveOn: string;
  expiresOn: string | null;
  expiryEvent: string | null;
  signedOn: string;
  signer: 'client' | 'guardian';
  signerName: string;
  signerRelationship: string | null;
  signatureMethod: 'typed' | 'drawn' | 'paper';
  recordedBy: { id: string; name: string };
  recordedAt: string;
  revokedOn: string | null;
  revokedBy: string | null;
  revocationNote: string | null;
  scanCount: number;
  version: number;
}

export function seal(key: Buffer, id: string, field: string, text: string): Buffer {
  return encryptField(key, TABLE, id, field, text);
}
function open(key: Buffer, id: string, field: string, blob: Buffer | null): string | null {
  return blob ? decryptField(key, TABLE, id, field, blob) : null;
}

export function consentFacts(row: ConsentRow): ConsentFacts {
  return {
    id: row.id,
    kind: row.kind,
    categories: row.categories,
    part2: row.part2,
    effectiveOn: row.effective_on,
    expiresOn: row.expires_on,
    revokedOn: row.revoked_on,
    recordsFrom: row.records_from,
    recordsTo: row.records_to,
  };
}

export function consentRecipient(row: ConsentRow, key: Buffer): Recipient | null {
  const text = open(key, row.id, 'recipient', row.recipient_enc);
  return text ? (JSON.parse(text) as Recipient) : null;
}

export function consentView(row: ConsentRow, key: Buffer, today: string): ConsentView {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: CONSENT_KIND_LABELS[row.kind],
    status: consentStatus(consentFacts(row), today),
    categories: row.categories,
    part2: row.part2,
    recipient: consentRecipient(row, key),
    purpose: open(key, row.id, 'purpose', row.purpose_enc),
    notes: open(key, row.id, 'notes', row.notes_enc),
    recordsFrom: row.records_from,
    recordsTo: row.records_to,
    effectiveOn: row.effective_on,
    expiresOn: row.expires_on,
    expiryEvent: open(key, row.id, 'expiry_event', row.expiry_event_enc),
    signedOn: row.signed_on,
    signer: row.signer,
    signerName: open(key, row.id, 'signer_name', row.signer_name_enc) ?? '',
    signerRelationship: open(key, row.id, 'signer_relationship', row.signer_relationship_enc),
    signatureMethod: row.signature_method,
    recordedBy: { id: row.recorded_by, name: row.recorded_by_name },
    recordedAt: row.recorded_at.toISOString(),
    revokedOn: row.revoked_on,
    revokedBy: row.revoked_by_name,
    revocationNote: open(key, row.id, 'revocation_note', row.revocation_note_enc),
    scanCount: row.scan_count,
    version: row.version,
  };
}

/** The drawn signature as PNG bytes, or null. */
export function drawnSignature(row: ConsentRow, key: Buffer): Buffer | null {
  const b64 = open(key, row.id, 'signature_png', row.signature_png_enc);
  return b64 ? Buffer.from(b64, 'base64') : null;
}

/**
 * A client's consents as a chart export carries them (for loadChartForExport / the FHIR Consent
 * resource). Neither authorizes nor audits: the exporter has done both in `tx`.
 */
export async function chartConsents(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  today: string,
): Promise<ChartConsent[]> {
  const rows = await repo.consentsOfClient(tx, clientId);
  if (rows.length === 0) return [];
  const key = await clientDataKey(tx, ctx, clientId);
  return rows.map((row) => {
    const v = consentView(row, key, today);
    return {
      id: v.id,
      kind: v.kind,
      status: v.status,
      title: v.kindLabel,
      recipient: v.recipient ? `${v.recipient.name} (${v.recipient.contact})` : null,
      purpose: v.purpose,
      categories: v.categories,
      signedOn: v.signedOn,
      effectiveFrom: v.effectiveOn,
      expiresOn: v.expiresOn,
      revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
      recordedBy: v.recordedBy.id,
      recordedAt: v.recordedAt,
      hasScan: v.scanCount > 0,
    };
  });
}
