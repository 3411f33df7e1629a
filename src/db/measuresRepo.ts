import type { Queryable } from './database.js';

// Outcome-measure administrations (append-only) and each client's measure schedule.

export interface MeasureAdministrationRow {
  id: string;
  practice_id: string;
  client_id: string;
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
  recorded_by_name: string | null;
  created_at: Date;
}

/** The series rows: everything but the encrypted answers, which only the detail reads. */
export type MeasureSeriesRow = Omit<MeasureAdministrationRow, 'answers_enc'>;

const SERIES_COLUMNS = `a.id, a.practice_id, a.client_id, a.instrument, a.version, a.administered_at, a.source,
  a.session_id, a.total, a.band, a.item9_positive, a.recorded_by, a.created_at,
  u.full_name AS recorded_by_name`;

export async function insertAdministration(
  tx: Queryable,
  a: {
    id: string;
    practiceId: string;
    clientId: string;
    instrument: string;
    version: string;
    administeredAt: Date;
    source: 'clinician' | 'client_link';
    sessionId: string | null;
    answersEnc: Buffer;
    total: number;
    band: string;
    item9Positive: boolean;
    recordedBy: string | null;
    /** The one-time link that produced it (column added by migration 0006). */
    linkId?: string | null;
  },
): Promise<void> {
  // link_id is named only when given, so the insert does not depend on the link migration.
  const link = a.linkId ? ', link_id' : '';
  const linkParam = a.linkId ? ',$14' : '';
  await tx.query(
    `INSERT INTO measure_administrations (id, practice_id, client_id, instrument, version, administered_at, source,
       session_id, answers_enc, total, band, item9_positive, recorded_by${link})
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13${linkParam})`,
    [
      a.id,
      a.practiceId,
      a.clientId,
      a.instrument,
      a.version,
      a.administeredAt,
      a.source,
      a.sessionId,
      a.answersEnc,
      a.total,
      a.band,
      a.item9Positive,
      a.recordedBy,
      ...(a.linkId ? [a.linkId] : []),
    ],
  );
}

/** Every administration of a client, oldest first per instrument (index measure_administrations_client_idx). */
export async function listAdministrations(tx: Queryable, clientId: string): Promise<MeasureSeriesRow[]> {
  const r = await tx.query<MeasureSeriesRow>(
    `SELECT ${SERIES_COLUMNS} FROM measure_administrations a LEFT JOIN users u ON u.id = a.recorded_by
      WHERE a.client_id = $1 ORDER BY a.instrument, a.administered_at, a.id`,
    [clientId],
  );
  return r.rows;
}

export async function getAdministration(
  tx: Queryable,
  id: string,
): Promise<MeasureAdministrationRow | undefined> {
  const r = await tx.query<MeasureAdministrationRow>(
    `SELECT ${SERIES_COLUMNS}, a.answers_enc FROM measure_administrations a LEFT JOIN users u ON u.id = a.recorded_by
      WHERE a.id = $1`,
    [id],
  );
  return r.rows[0];
}

/** The latest administration per instrument for one client. */
export async function latestAdministrations(
  tx: Queryable,
  clientId: string,
): Promise<{ instrument: string; administered_at: Date }[]> {
  const r = await tx.query<{ instrument: string; administered_at: Date }>(
    `SELECT instrument, max(administered_at) AS administered_at FROM measure_administrations
      WHERE client_id = $1 GROUP BY instrument`,
    [clientId],
  );
  return r.rows;
}

/** Start times of the client's sessions that have begun and were not cancelled or missed, up to now. */
export async function sessionStartsBegun(tx: Queryable, clientId: string, now: Date): Promise<Date[]> {
  const r = await tx.query<{ starts_at: Date }>(
    `SELECT starts_at FROM session_clients
      WHERE client_id = $1 AND starts_at <= $2 AND attendance IN ('attended', 'scheduled')
      ORDER BY starts_at DESC LIMIT 500`,
    [clientId, now],
  );
  return r.rows.map((row) => row.starts_at);
}

// ---------------------------------------------------------------- schedules

export interface MeasureScheduleRow {
  client_id: string;
  items: unknown;
  updated_by: string;
  updated_at: Date;
  version: number;
}

export async function getSchedule(
  tx: Queryable,
  clientId: string,
  forUpdate = false,
): Promise<MeasureScheduleRow | undefined> {
  const r = await tx.query<MeasureScheduleRow>(
    `SELECT client_id, items, updated_by, updated_at, version FROM measure_schedules WHERE client_id = $1${
      forUpdate ? ' FOR UPDATE' : ''
    }`,
    [clientId],
  );
  return r.rows[0];
}

export async function insertSchedule(
  tx: Queryable,
  s: { practiceId: string; clientId: string; items: unknown; updatedBy: string; now: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO measure_schedules (practice_id, client_id, items, updated_by, updated_at) VALUES ($1,$2,$3,$4,$5)`,
    [s.practiceId, s.clientId, JSON.stringify(s.items), s.updatedBy, s.now],
  );
}

export async function updateSchedule(
  tx: Queryable,
  s: { clientId: string; items: unknown; updatedBy: string; now: Date },
): Promise<void> {
  await tx.query(
    `UPDATE measure_schedules SET items = $2, updated_by = $3, updated_at = $4, version = version + 1
      WHERE client_id = $1`,
    [s.clientId, JSON.stringify(s.items), s.updatedBy, s.now],
  );
}
