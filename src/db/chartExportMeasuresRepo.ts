import type { Queryable } from './database.js';
import type { DateRange, InstantRange } from './chartExportRepo.js';

// The chart export's reads of outcome measures, risk alerts, chart annotations and (for a
// psychotherapy-note authorization only) the author's own psychotherapy notes: one query per
// table for one client. See chartExportRepo.ts.

export interface MeasureExportRow {
  id: string;
  instrument: string;
  version: string;
  administered_at: Date;
  source: 'clinician' | 'client_link';
  session_id: string | null;
  answers_enc: Buffer;
  total: number;
  band: string;
  item9_positive: boolean;
  recorded_by: string | null;
}

export async function measuresOf(
  tx: Queryable,
  clientId: string,
  range: InstantRange,
): Promise<MeasureExportRow[]> {
  const r = await tx.query<MeasureExportRow>(
    `SELECT id, instrument, version, administered_at, source, session_id, answers_enc, total, band,
            item9_positive, recorded_by
       FROM measure_administrations
      WHERE client_id = $1
        AND ($2::timestamptz IS NULL OR administered_at >= $2)
        AND ($3::timestamptz IS NULL OR administered_at < $3)
      ORDER BY administered_at, id`,
    [clientId, range.from, range.before],
  );
  return r.rows;
}

export interface RiskAlertExportRow {
  id: string;
  kind: string;
  administration_id: string;
  item_value: number;
  raised_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  ack_note_enc: Buffer | null;
}

export async function riskAlertsOf(
  tx: Queryable,
  clientId: string,
  range: InstantRange,
): Promise<RiskAlertExportRow[]> {
  const r = await tx.query<RiskAlertExportRow>(
    `SELECT id, kind, administration_id, item_value, raised_at, acknowledged_by, acknowledged_at, ack_note_enc
       FROM risk_alerts
      WHERE client_id = $1
        AND ($2::timestamptz IS NULL OR raised_at >= $2)
        AND ($3::timestamptz IS NULL OR raised_at < $3)
      ORDER BY raised_at, id`,
    [clientId, range.from, range.before],
  );
  return r.rows;
}

export interface AnnotationExportRow {
  id: string;
  date: string;
  text_enc: Buffer;
  created_by: string;
  created_at: Date;
}

export async function annotationsOf(
  tx: Queryable,
  clientId: string,
  range: DateRange,
): Promise<AnnotationExportRow[]> {
  const r = await tx.query<AnnotationExportRow>(
    `SELECT id, date::text, text_enc, created_by, created_at
       FROM chart_annotations
      WHERE client_id = $1 AND withdrawn_at IS NULL
        AND ($2::date IS NULL OR date >= $2) AND ($3::date IS NULL OR date <= $3)
      ORDER BY date, id`,
    [clientId, range.from, range.to],
  );
  return r.rows;
}

export interface PsychotherapyNoteExportRow {
  id: string;
  author_id: string;
  session_id: string | null;
  date_of_service: string;
  content_enc: Buffer;
  created_at: Date;
  updated_at: Date;
}

/**
 * The author's own psychotherapy notes about the client. The author is a parameter AND the
 * row-level policy compares it with the transaction's user (the caller binds it first).
 */
export async function ownPsychotherapyNotesOf(
  tx: Queryable,
  clientId: string,
  authorId: string,
  range: DateRange,
): Promise<PsychotherapyNoteExportRow[]> {
  const r = await tx.query<PsychotherapyNoteExportRow>(
    `SELECT id, author_id, session_id, date_of_service::text, content_enc, created_at, updated_at
       FROM psychotherapy_notes
      WHERE client_id = $1 AND author_id = $2
        AND ($3::date IS NULL OR date_of_service >= $3) AND ($4::date IS NULL OR date_of_service <= $4)
      ORDER BY date_of_service, id`,
    [clientId, authorId, range.from, range.to],
  );
  return r.rows;
}
