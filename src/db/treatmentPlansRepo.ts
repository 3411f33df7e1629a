import type { Queryable } from './database.js';

// Treatment plans and their versions. A signed version is frozen by a trigger (0004); the
// plan row carries the current signed version and its review date for the dashboard.

export interface PlanRow {
  id: string;
  practice_id: string;
  client_id: string;
  current_version_id: string | null;
  review_due_date: string | null;
  created_by: string;
  created_at: Date;
}

export interface PlanVersionRow {
  id: string;
  practice_id: string;
  plan_id: string;
  client_id: string;
  version_no: number;
  status: 'draft' | 'signed';
  based_on: string | null;
  based_on_no: number | null;
  content_enc: Buffer;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
  version: number;
  signed_at: Date | null;
  signed_by: string | null;
  signer_name: string | null;
  signer_credentials: string | null;
  signer_license: string | null;
  content_hash: string | null;
  review_due_date: string | null;
}

export interface AcknowledgementRow {
  id: string;
  practice_id: string;
  client_id: string;
  version_id: string;
  typed_name_enc: Buffer;
  acknowledged_on: string;
  method: 'in_person' | 'remote';
  has_signature: boolean;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: Date;
}

const PLAN_COLUMNS =
  'id, practice_id, client_id, current_version_id, review_due_date::text AS review_due_date, created_by, created_at';

const VERSION_SELECT = `SELECT v.id, v.practice_id, v.plan_id, v.client_id, v.version_no, v.status, v.based_on,
    b.version_no AS based_on_no, v.content_enc, v.created_by, cu.full_name AS created_by_name, v.created_at,
    v.updated_at, v.version, v.signed_at, v.signed_by, v.signer_name, v.signer_credentials, v.signer_license,
    v.content_hash, v.review_due_date::text AS review_due_date
  FROM treatment_plan_versions v
  JOIN users cu ON cu.id = v.created_by
  LEFT JOIN treatment_plan_versions b ON b.id = v.based_on`;

export async function getPlanOfClient(
  tx: Queryable,
  clientId: string,
  forUpdate = false,
): Promise<PlanRow | undefined> {
  const r = await tx.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM treatment_plans WHERE client_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [clientId],
  );
  return r.rows[0];
}

export async function insertPlan(
  tx: Queryable,
  p: { id: string; practiceId: string; clientId: string; createdBy: string },
): Promise<PlanRow> {
  const r = await tx.query<PlanRow>(
    `INSERT INTO treatment_plans (id, practice_id, client_id, created_by) VALUES ($1,$2,$3,$4)
     RETURNING ${PLAN_COLUMNS}`,
    [p.id, p.practiceId, p.clientId, p.createdBy],
  );
  const row = r.rows[0];
  if (!row) throw new Error('treatment plan insert returned no row');
  return row;
}

export async function setCurrentVersion(
  tx: Queryable,
  planId: string,
  versionId: string,
  reviewDueDate: string,
): Promise<void> {
  await tx.query('UPDATE treatment_plans SET current_version_id = $2, review_due_date = $3 WHERE id = $1', [
    planId,
    versionId,
    reviewDueDate,
  ]);
}

export async function getVersion(tx: Queryable, id: string): Promise<PlanVersionRow | undefined> {
  const r = await tx.query<PlanVersionRow>(`${VERSION_SELECT} WHERE v.id = $1`, [id]);
  return r.rows[0];
}

/** Locks the version row (a draft being saved or signed) until the transaction ends. */
export async function lockVersion(tx: Queryable, id: string): Promise<void> {
  await tx.query('SELECT 1 FROM treatment_plan_versions WHERE id = $1 FOR UPDATE', [id]);
}

/** The latest signed version and the open draft of a plan (at most one each). */
export async function currentAndDraft(
  tx: Queryable,
  planId: string,
): Promise<{ current: PlanVersionRow | undefined; draft: PlanVersionRow | undefined }> {
  const r = await tx.query<PlanVersionRow>(
    `${VERSION_SELECT}
      WHERE v.id = (SELECT current_version_id FROM treatment_plans WHERE id = $1)
         OR (v.plan_id = $1 AND v.status = 'draft')`,
    [planId],
  );
  return {
    current: r.rows.find((x) => x.status === 'signed'),
    draft: r.rows.find((x) => x.status === 'draft'),
  };
}

export async function nextVersionNo(tx: Queryable, planId: string): Promise<number> {
  const r = await tx.query<{ n: number }>(
    'SELECT coalesce(max(version_no), 0)::int + 1 AS n FROM treatment_plan_versions WHERE plan_id = $1',
    [planId],
  );
  return r.rows[0]?.n ?? 1;
}

export async function insertDraft(
  tx: Queryable,
  v: {
    id: string;
    practiceId: string;
    planId: string;
    clientId: string;
    versionNo: number;
    basedOn: string | null;
    contentEnc: Buffer;
    createdBy: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO treatment_plan_versions (id, practice_id, plan_id, client_id, version_no, based_on, content_enc, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [v.id, v.practiceId, v.planId, v.clientId, v.versionNo, v.basedOn, v.contentEnc, v.createdBy],
  );
}

/** Saves a draft if it is still at the expected version; false when stale or no longer a draft. */
export async function updateDraft(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  contentEnc: Buffer,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE treatment_plan_versions SET content_enc = $3, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND status = 'draft'`,
    [id, expectedVersion, contentEnc],
  );
  return r.rowCount === 1;
}

export async function deleteDraft(tx: Queryable, id: string, expectedVersion: number): Promise<boolean> {
  const r = await tx.query(
    "DELETE FROM treatment_plan_versions WHERE id = $1 AND version = $2 AND status = 'draft'",
    [id, expectedVersion],
  );
  return r.rowCount === 1;
}

export async function markSigned(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  s: {
    contentEnc: Buffer;
    at: Date;
    userId: string;
    name: string;
    credentials: string | null;
    licenseNumber: string | null;
    contentHash: string;
    reviewDueDate: string;
  },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE treatment_plan_versions
        SET status = 'signed', content_enc = $3, signed_at = $4, signed_by = $5, signer_name = $6,
            signer_credentials = $7, signer_license = $8, content_hash = $9, review_due_date = $10,
            version = version + 1, updated_at = $4
      WHERE id = $1 AND version = $2 AND status = 'draft'`,
    [
      id,
      expectedVersion,
      s.contentEnc,
      s.at,
      s.userId,
      s.name,
      s.credentials,
      s.licenseNumber,
      s.contentHash,
      s.reviewDueDate,
    ],
  );
  return r.rowCount === 1;
}

export interface VersionSummaryRow {
  id: string;
  version_no: number;
  status: 'draft' | 'signed';
  created_at: Date;
  signed_at: Date | null;
  signer_name: string | null;
  review_due_date: string | null;
  acknowledged: boolean;
}

/** Every version of a plan, newest first, with whether the client acknowledged it. */
export async function listVersions(tx: Queryable, planId: string): Promise<VersionSummaryRow[]> {
  const r = await tx.query<VersionSummaryRow>(
    `SELECT v.id, v.version_no, v.status, v.created_at, v.signed_at, v.signer_name,
            v.review_due_date::text AS review_due_date,
            EXISTS (SELECT 1 FROM plan_acknowledgements a
                     WHERE a.practice_id = v.practice_id AND a.version_id = v.id) AS acknowledged
       FROM treatment_plan_versions v
      WHERE v.practice_id = current_practice_id() AND v.plan_id = $1
      ORDER BY v.version_no DESC`,
    [planId],
  );
  return r.rows;
}

/** The signed version a version is compared with: the one it was based on, else the signed one before it. */
export async function previousVersion(
  tx: Queryable,
  v: { plan_id: string; version_no: number; based_on: string | null },
): Promise<PlanVersionRow | undefined> {
  if (v.based_on) return getVersion(tx, v.based_on);
  const r = await tx.query<PlanVersionRow>(
    `${VERSION_SELECT} WHERE v.plan_id = $1 AND v.version_no < $2 AND v.status = 'signed'
      ORDER BY v.version_no DESC LIMIT 1`,
    [v.plan_id, v.version_no],
  );
  return r.rows[0];
}

const ACK_SELECT = `SELECT a.id, a.practice_id, a.client_id, a.version_id, a.typed_name_enc,
    a.acknowledged_on::text AS acknowledged_on, a.method, a.signature_png_enc IS NOT NULL AS has_signature,
    a.recorded_by, u.full_name AS recorded_by_name, a.recorded_at
  FROM plan_acknowledgements a JOIN users u ON u.id = a.recorded_by`;

export async function acknowledgementsOf(tx: Queryable, versionIds: string[]): Promise<AcknowledgementRow[]> {
  if (versionIds.length === 0) return [];
  const r = await tx.query<AcknowledgementRow>(
    `${ACK_SELECT} WHERE a.practice_id = current_practice_id() AND a.version_id = ANY($1::uuid[])
      ORDER BY a.recorded_at, a.id`,
    [versionIds],
  );
  return r.rows;
}

export async function getAcknowledgement(tx: Queryable, id: string): Promise<AcknowledgementRow | undefined> {
  const r = await tx.query<AcknowledgementRow>(`${ACK_SELECT} WHERE a.id = $1`, [id]);
  return r.rows[0];
}

export async function acknowledgementSignature(tx: Queryable, id: string): Promise<Buffer | null> {
  const r = await tx.query<{ signature_png_enc: Buffer | null }>(
    'SELECT signature_png_enc FROM plan_acknowledgements WHERE id = $1',
    [id],
  );
  return r.rows[0]?.signature_png_enc ?? null;
}

export async function insertAcknowledgement(
  tx: Queryable,
  a: {
    id: string;
    practiceId: string;
    clientId: string;
    versionId: string;
    typedNameEnc: Buffer;
    acknowledgedOn: string;
    method: 'in_person' | 'remote';
    signaturePngEnc: Buffer | null;
    recordedBy: string;
    recordedAt: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO plan_acknowledgements (id, practice_id, client_id, version_id, typed_name_enc, acknowledged_on,
       method, signature_png_enc, recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      a.id,
      a.practiceId,
      a.clientId,
      a.versionId,
      a.typedNameEnc,
      a.acknowledgedOn,
      a.method,
      a.signaturePngEnc,
      a.recordedBy,
      a.recordedAt,
    ],
  );
}

export interface ReviewDueRow {
  plan_id: string;
  client_id: string;
  client_code: string;
  display_name: string;
  version_id: string;
  version_no: number;
  review_due_date: string;
}

/** Signed plans of a clinician's caseload (primary clinician) whose review falls on or before `until`. */
export async function reviewsDueFor(
  tx: Queryable,
  clinicianId: string,
  until: string,
  limit: number,
): Promise<ReviewDueRow[]> {
  const r = await tx.query<ReviewDueRow>(
    `SELECT p.id AS plan_id, c.id AS client_id, c.client_code,
            coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS display_name,
            v.id AS version_id, v.version_no, p.review_due_date::text AS review_due_date
       FROM clients c
       JOIN treatment_plans p ON p.client_id = c.id
       JOIN treatment_plan_versions v ON v.id = p.current_version_id
      WHERE c.practice_id = current_practice_id() AND c.primary_clinician_id = $1
        AND p.review_due_date <= $2::date
      ORDER BY p.review_due_date, c.id
      LIMIT $3`,
    [clinicianId, until, limit],
  );
  return r.rows;
}

/** A version that is signed from the start (a goal-status revision made when a plan-review note is signed). */
export async function insertSigned(
  tx: Queryable,
  v: {
    id: string;
    practiceId: string;
    planId: string;
    clientId: string;
    versionNo: number;
    basedOn: string;
    contentEnc: Buffer;
    at: Date;
    userId: string;
    name: string;
    credentials: string | null;
    licenseNumber: string | null;
    contentHash: string;
    reviewDueDate: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO treatment_plan_versions (id, practice_id, plan_id, client_id, version_no, status, based_on,
       content_enc, created_by, created_at, updated_at, signed_at, signed_by, signer_name, signer_credentials,
       signer_license, content_hash, review_due_date)
     VALUES ($1,$2,$3,$4,$5,'signed',$6,$7,$8,$9,$9,$9,$8,$10,$11,$12,$13,$14)`,
    [
      v.id,
      v.practiceId,
      v.planId,
      v.clientId,
      v.versionNo,
      v.basedOn,
      v.contentEnc,
      v.userId,
      v.at,
      v.name,
      v.credentials,
      v.licenseNumber,
      v.contentHash,
      v.reviewDueDate,
    ],
  );
}
