import type { Queryable } from './database.js';
import { timelineBoundParams, type TimelineBound } from './sessionsRepo.js';

// The treatment record's events on a client's chart timeline: diagnosis changes, signed plan
// versions, outcome measures, risk alerts and annotations. Each query reads one client's rows
// newest first from its own (practice_id, client_id, time) index, keyset-paged like sessions.

interface Window {
  practiceId: string;
  clientId: string;
  from: Date | null;
  to: Date | null;
  before: TimelineBound | null;
  limit: number;
}

/** The keyset condition on one time column and one id column ($3..$7, limit $8). */
function keyset(at: string, id: string): string {
  return `($3::timestamptz IS NULL OR ${at} >= $3)
        AND ($4::timestamptz IS NULL OR ${at} < $4)
        AND ($5::timestamptz IS NULL OR ${at} < $5 OR (${at} = $5 AND ($6::boolean OR ${id} < $7::uuid)))
      ORDER BY ${at} DESC, ${id} DESC
      LIMIT $8`;
}

function params(q: Window): unknown[] {
  return [q.practiceId, q.clientId, q.from, q.to, ...timelineBoundParams(q.before), q.limit];
}

export interface ChartDiagnosisRow {
  id: string;
  diagnosis_id: string;
  version: number;
  code: string;
  description: string;
  rank: string;
  status: string;
  changed_fields: string[];
  changed_at: Date;
  changed_by_name: string;
}

export async function chartDiagnosisVersions(tx: Queryable, q: Window): Promise<ChartDiagnosisRow[]> {
  const r = await tx.query<ChartDiagnosisRow>(
    `SELECT v.id, v.diagnosis_id, v.version, v.code, d.description, v.rank, v.status, v.changed_fields,
            v.changed_at, u.full_name AS changed_by_name
       FROM client_diagnosis_versions v
       JOIN client_diagnoses d ON d.id = v.diagnosis_id
       JOIN users u ON u.id = v.changed_by
      WHERE v.practice_id = $1 AND v.client_id = $2
        AND ${keyset('v.changed_at', 'v.id')}`,
    params(q),
  );
  return r.rows;
}

export interface ChartPlanRow {
  id: string;
  version_no: number;
  signed_at: Date;
  signer_name: string;
  review_due_date: string | null;
}

export async function chartPlanVersions(tx: Queryable, q: Window): Promise<ChartPlanRow[]> {
  const r = await tx.query<ChartPlanRow>(
    `SELECT v.id, v.version_no, v.signed_at, v.signer_name, v.review_due_date::text AS review_due_date
       FROM treatment_plan_versions v
      WHERE v.practice_id = $1 AND v.client_id = $2 AND v.status = 'signed'
        AND ${keyset('v.signed_at', 'v.id')}`,
    params(q),
  );
  return r.rows;
}

export interface ChartMeasureRow {
  id: string;
  instrument: string;
  administered_at: Date;
  total: number;
  band: string;
  source: string;
}

export async function chartMeasures(tx: Queryable, q: Window): Promise<ChartMeasureRow[]> {
  const r = await tx.query<ChartMeasureRow>(
    `SELECT m.id, m.instrument, m.administered_at, m.total, m.band, m.source
       FROM measure_administrations m
      WHERE m.practice_id = $1 AND m.client_id = $2
        AND ${keyset('m.administered_at', 'm.id')}`,
    params(q),
  );
  return r.rows;
}

export interface ChartAlertRow {
  id: string;
  kind: string;
  item_value: number;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_name: string | null;
}

export async function chartAlerts(tx: Queryable, q: Window): Promise<ChartAlertRow[]> {
  const r = await tx.query<ChartAlertRow>(
    `SELECT a.id, a.kind, a.item_value, a.raised_at, a.acknowledged_at, u.full_name AS acknowledged_by_name
       FROM risk_alerts a
       LEFT JOIN users u ON u.id = a.acknowledged_by
      WHERE a.practice_id = $1 AND a.client_id = $2
        AND ${keyset('a.raised_at', 'a.id')}`,
    params(q),
  );
  return r.rows;
}

export interface ChartAnnotationRow {
  id: string;
  date: string;
  text_enc: Buffer;
  author_name: string;
}

/** Annotations are dated, not timed: paged on (date, id) like notes, withdrawn ones left out. */
export async function chartAnnotations(
  tx: Queryable,
  q: Omit<Window, 'from' | 'to' | 'before'> & {
    from: string | null;
    to: string | null;
    before: TimelineBound<string> | null;
  },
): Promise<ChartAnnotationRow[]> {
  const r = await tx.query<ChartAnnotationRow>(
    `SELECT a.id, a.date::text AS date, a.text_enc, u.full_name AS author_name
       FROM chart_annotations a JOIN users u ON u.id = a.created_by
      WHERE a.practice_id = $1 AND a.client_id = $2 AND a.withdrawn_at IS NULL
        AND ($3::date IS NULL OR a.date >= $3)
        AND ($4::date IS NULL OR a.date <= $4)
        AND ($5::date IS NULL OR a.date < $5 OR (a.date = $5 AND ($6::boolean OR a.id < $7::uuid)))
      ORDER BY a.date DESC, a.id DESC
      LIMIT $8`,
    [q.practiceId, q.clientId, q.from, q.to, ...timelineBoundParams(q.before), q.limit],
  );
  return r.rows;
}
