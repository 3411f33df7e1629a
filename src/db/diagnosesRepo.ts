import type { Queryable } from './database.js';

// A client's diagnosis list. Every insert and update also writes a row of
// client_diagnosis_versions (a trigger in 0003), so the history cannot be skipped.

export type DiagnosisRank = 'primary' | 'secondary';
export type DiagnosisStatus = 'active' | 'resolved' | 'rule_out' | 'entered_in_error';

export interface DiagnosisRow {
  id: string;
  practice_id: string;
  client_id: string;
  code: string;
  description: string;
  rank: DiagnosisRank;
  status: DiagnosisStatus;
  onset_date: string | null;
  resolved_date: string | null;
  comment_enc: Buffer | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

export interface DiagnosisVersionRow {
  diagnosis_id: string;
  version: number;
  code: string;
  rank: DiagnosisRank;
  status: DiagnosisStatus;
  onset_date: string | null;
  resolved_date: string | null;
  changed_fields: string[];
  changed_by: string;
  changed_by_name: string;
  changed_at: Date;
}

const COLUMNS =
  'id, practice_id, client_id, code, description, rank, status, onset_date::text, resolved_date::text, comment_enc, version, created_by, created_at, updated_by, updated_at';

/** Every diagnosis of a client, in every status, in the order they were added. */
export async function diagnosesOfClient(tx: Queryable, clientId: string): Promise<DiagnosisRow[]> {
  const r = await tx.query<DiagnosisRow>(
    `SELECT ${COLUMNS} FROM client_diagnoses
      WHERE practice_id = current_practice_id() AND client_id = $1
      ORDER BY created_at, id`,
    [clientId],
  );
  return r.rows;
}

export async function getDiagnosis(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<DiagnosisRow | undefined> {
  const r = await tx.query<DiagnosisRow>(
    `SELECT ${COLUMNS} FROM client_diagnoses WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

/** The client's active primary diagnosis, locked, if there is one. */
export async function activePrimaryOf(tx: Queryable, clientId: string): Promise<DiagnosisRow | undefined> {
  const r = await tx.query<DiagnosisRow>(
    `SELECT ${COLUMNS} FROM client_diagnoses
      WHERE client_id = $1 AND rank = 'primary' AND status = 'active' FOR UPDATE`,
    [clientId],
  );
  return r.rows[0];
}

/** A diagnosis with this code already on the working list (active or rule-out), other than `exceptId`. */
export async function openDiagnosisWithCode(
  tx: Queryable,
  clientId: string,
  code: string,
  exceptId: string | null,
): Promise<DiagnosisRow | undefined> {
  const r = await tx.query<DiagnosisRow>(
    `SELECT ${COLUMNS} FROM client_diagnoses
      WHERE client_id = $1 AND code = $2 AND status IN ('active', 'rule_out') AND ($3::uuid IS NULL OR id <> $3)`,
    [clientId, code, exceptId],
  );
  return r.rows[0];
}

export async function insertDiagnosis(
  tx: Queryable,
  d: {
    id: string;
    practiceId: string;
    clientId: string;
    code: string;
    description: string;
    rank: DiagnosisRank;
    status: DiagnosisStatus;
    onsetDate: string | null;
    resolvedDate: string | null;
    commentEnc: Buffer | null;
    userId: string;
    at: Date;
  },
): Promise<DiagnosisRow> {
  const r = await tx.query<DiagnosisRow>(
    `INSERT INTO client_diagnoses (id, practice_id, client_id, code, description, rank, status, onset_date,
       resolved_date, comment_enc, created_by, created_at, updated_by, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$11,$12) RETURNING ${COLUMNS}`,
    [
      d.id,
      d.practiceId,
      d.clientId,
      d.code,
      d.description,
      d.rank,
      d.status,
      d.onsetDate,
      d.resolvedDate,
      d.commentEnc,
      d.userId,
      d.at,
    ],
  );
  const row = r.rows[0];
  if (!row) throw new Error('diagnosis insert returned no row');
  return row;
}

/** Writes the next version when `expectedVersion` is still current; undefined when it is not. */
export async function updateDiagnosis(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  p: {
    rank: DiagnosisRank;
    status: DiagnosisStatus;
    onsetDate: string | null;
    resolvedDate: string | null;
    commentEnc: Buffer | null;
    userId: string;
    at: Date;
  },
): Promise<DiagnosisRow | undefined> {
  const r = await tx.query<DiagnosisRow>(
    `UPDATE client_diagnoses
        SET rank = $3, status = $4, onset_date = $5, resolved_date = $6, comment_enc = $7,
            updated_by = $8, updated_at = $9, version = version + 1
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, p.rank, p.status, p.onsetDate, p.resolvedDate, p.commentEnc, p.userId, p.at],
  );
  return r.rows[0];
}

/** Every version of one diagnosis, oldest first, with the name of who made it. */
export async function diagnosisVersions(tx: Queryable, diagnosisId: string): Promise<DiagnosisVersionRow[]> {
  const r = await tx.query<DiagnosisVersionRow>(
    `SELECT v.diagnosis_id, v.version, v.code, v.rank, v.status, v.onset_date::text, v.resolved_date::text,
            v.changed_fields, v.changed_by, u.full_name AS changed_by_name, v.changed_at
       FROM client_diagnosis_versions v JOIN users u ON u.id = v.changed_by
      WHERE v.practice_id = current_practice_id() AND v.diagnosis_id = $1
      ORDER BY v.version`,
    [diagnosisId],
  );
  return r.rows;
}
