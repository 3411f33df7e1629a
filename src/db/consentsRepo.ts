import type { Queryable } from './database.js';
import type { ConsentKind } from '../domain/consents.js';
import type { ReleaseCategory } from '../domain/releaseScope.js';

// Consents and authorizations (0009). Rows are never updated except the one revocation, never
// deleted (trigger). Narrative columns (*_enc) are ciphertext made by the service.

export interface ConsentRow {
  id: string;
  practice_id: string;
  client_id: string;
  kind: ConsentKind;
  categories: ReleaseCategory[];
  part2: boolean;
  recipient_enc: Buffer | null;
  purpose_enc: Buffer | null;
  notes_enc: Buffer | null;
  records_from: string | null;
  records_to: string | null;
  effective_on: string;
  expires_on: string | null;
  expiry_event_enc: Buffer | null;
  signed_on: string;
  signer: 'client' | 'guardian';
  signer_name_enc: Buffer;
  signer_relationship_enc: Buffer | null;
  signature_method: 'typed' | 'drawn' | 'paper';
  signature_png_enc: Buffer | null;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: Date;
  revoked_on: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_by_name: string | null;
  revocation_note_enc: Buffer | null;
  version: number;
  scan_count: number;
}

const SELECT = `SELECT c.id, c.practice_id, c.client_id, c.kind, c.categories, c.part2, c.recipient_enc,
       c.purpose_enc, c.notes_enc, c.records_from::text AS records_from, c.records_to::text AS records_to,
       c.effective_on::text AS effective_on, c.expires_on::text AS expires_on, c.expiry_event_enc,
       c.signed_on::text AS signed_on, c.signer, c.signer_name_enc, c.signer_relationship_enc,
       c.signature_method, c.signature_png_enc, c.recorded_by, u.full_name AS recorded_by_name, c.recorded_at,
       c.revoked_on::text AS revoked_on, c.revoked_at, c.revoked_by, rv.full_name AS revoked_by_name,
       c.revocation_note_enc, c.version,
       (SELECT count(*)::int FROM consent_scans s WHERE s.practice_id = c.practice_id AND s.consent_id = c.id) AS scan_count
  FROM consents c
  JOIN users u ON u.id = c.recorded_by
  LEFT JOIN users rv ON rv.id = c.revoked_by`;

/** A client's consents, newest first (consents_client_idx). */
export async function consentsOfClient(tx: Queryable, clientId: string): Promise<ConsentRow[]> {
  const r = await tx.query<ConsentRow>(
    `${SELECT} WHERE c.practice_id = current_practice_id() AND c.client_id = $1
      ORDER BY c.recorded_at DESC, c.id DESC`,
    [clientId],
  );
  return r.rows;
}

export async function getConsent(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<ConsentRow | undefined> {
  const r = await tx.query<ConsentRow>(
    `${SELECT} WHERE c.practice_id = current_practice_id() AND c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  return r.rows[0];
}

export interface NewConsent {
  id: string;
  practiceId: string;
  clientId: string;
  kind: ConsentKind;
  categories: ReleaseCategory[];
  part2: boolean;
  recipientEnc: Buffer | null;
  purposeEnc: Buffer | null;
  notesEnc: Buffer | null;
  recordsFrom: string | null;
  recordsTo: string | null;
  effectiveOn: string;
  expiresOn: string | null;
  expiryEventEnc: Buffer | null;
  signedOn: string;
  signer: 'client' | 'guardian';
  signerNameEnc: Buffer;
  signerRelationshipEnc: Buffer | null;
  signatureMethod: 'typed' | 'drawn' | 'paper';
  signaturePngEnc: Buffer | null;
  recordedBy: string;
  at: Date;
}

export async function insertConsent(tx: Queryable, c: NewConsent): Promise<void> {
  await tx.query(
    `INSERT INTO consents (id, practice_id, client_id, kind, categories, part2, recipient_enc, purpose_enc, notes_enc,
       records_from, records_to, effective_on, expires_on, expiry_event_enc, signed_on, signer, signer_name_enc,
       signer_relationship_enc, signature_method, signature_png_enc, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22)`,
    [
      c.id,
      c.practiceId,
      c.clientId,
      c.kind,
      c.categories,
      c.part2,
      c.recipientEnc,
      c.purposeEnc,
      c.notesEnc,
      c.recordsFrom,
      c.recordsTo,
      c.effectiveOn,
      c.expiresOn,
      c.expiryEventEnc,
      c.signedOn,
      c.signer,
      c.signerNameEnc,
      c.signerRelationshipEnc,
      c.signatureMethod,
      c.signaturePngEnc,
      c.recordedBy,
      c.at,
    ],
  );
}

/** Sets the revocation once, if the version still matches; false when stale or already revoked. */
export async function revokeConsent(
  tx: Queryable,
  r: { id: string; version: number; revokedOn: string; by: string; at: Date; noteEnc: Buffer | null },
): Promise<boolean> {
  const res = await tx.query(
    `UPDATE consents SET revoked_on = $3, revoked_at = $4, revoked_by = $5, revocation_note_enc = $6,
            version = version + 1
      WHERE practice_id = current_practice_id() AND id = $1 AND version = $2 AND revoked_on IS NULL`,
    [r.id, r.version, r.revokedOn, r.at, r.by, r.noteEnc],
  );
  return res.rowCount === 1;
}

// ---------------------------------------------------------------- scans

export interface ScanRow {
  id: string;
  consent_id: string;
  client_id: string;
  media_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  byte_size: number;
  sha256: string;
  uploaded_by_name: string;
  uploaded_at: Date;
}

export async function scansOfConsent(tx: Queryable, consentId: string): Promise<ScanRow[]> {
  const r = await tx.query<ScanRow>(
    `SELECT s.id, s.consent_id, s.client_id, s.media_type, s.byte_size, s.sha256, u.full_name AS uploaded_by_name,
            s.uploaded_at
       FROM consent_scans s JOIN users u ON u.id = s.uploaded_by
      WHERE s.practice_id = current_practice_id() AND s.consent_id = $1
      ORDER BY s.uploaded_at DESC, s.id DESC`,
    [consentId],
  );
  return r.rows;
}

export async function getScanContent(
  tx: Queryable,
  id: string,
): Promise<(ScanRow & { content_enc: Buffer }) | undefined> {
  const r = await tx.query<ScanRow & { content_enc: Buffer }>(
    `SELECT s.id, s.consent_id, s.client_id, s.media_type, s.byte_size, s.sha256, u.full_name AS uploaded_by_name,
            s.uploaded_at, s.content_enc
       FROM consent_scans s JOIN users u ON u.id = s.uploaded_by
      WHERE s.practice_id = current_practice_id() AND s.id = $1`,
    [id],
  );
  return r.rows[0];
}

export async function insertScan(
  tx: Queryable,
  s: {
    id: string;
    practiceId: string;
    clientId: string;
    consentId: string;
    mediaType: string;
    byteSize: number;
    sha256: string;
    contentEnc: Buffer;
    uploadedBy: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO consent_scans (id, practice_id, client_id, consent_id, media_type, byte_size, sha256, content_enc,
       uploaded_by, uploaded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      s.id,
      s.practiceId,
      s.clientId,
      s.consentId,
      s.mediaType,
      s.byteSize,
      s.sha256,
      s.contentEnc,
      s.uploadedBy,
      s.at,
    ],
  );
}

// ---------------------------------------------------------------- Part 2 flag and notice

export async function clientHoldsPart2(tx: Queryable, clientId: string): Promise<boolean> {
  const r = await tx.query<{ v: boolean }>(
    'SELECT holds_part2_records AS v FROM clients WHERE practice_id = current_practice_id() AND id = $1',
    [clientId],
  );
  return r.rows[0]?.v ?? false;
}

/** Sets the client's Part 2 flag; returns the new client version, or undefined when the version is stale. */
export async function setClientPart2(
  tx: Queryable,
  clientId: string,
  expectedVersion: number,
  value: boolean,
): Promise<number | undefined> {
  const r = await tx.query<{ version: number }>(
    `UPDATE clients SET holds_part2_records = $3, version = version + 1, updated_at = now()
      WHERE practice_id = current_practice_id() AND id = $1 AND version = $2 RETURNING version`,
    [clientId, expectedVersion, value],
  );
  return r.rows[0]?.version;
}

export async function practicePart2Notice(
  tx: Queryable,
): Promise<{ notice: string | null; version: number }> {
  const r = await tx.query<{ notice: string | null; version: number }>(
    'SELECT part2_redisclosure_notice AS notice, version FROM practices WHERE id = current_practice_id()',
  );
  const row = r.rows[0];
  if (!row) throw new Error('practice not visible');
  return row;
}

export async function setPracticePart2Notice(
  tx: Queryable,
  expectedVersion: number,
  notice: string | null,
): Promise<number | undefined> {
  const r = await tx.query<{ version: number }>(
    `UPDATE practices SET part2_redisclosure_notice = $2, version = version + 1
      WHERE id = current_practice_id() AND version = $1 RETURNING version`,
    [expectedVersion, notice],
  );
  return r.rows[0]?.version;
}
