import type { Queryable } from './database.js';

// Risk alerts raised by a measure; closed only by an acknowledgement (enforced by a trigger).

export interface RiskAlertRow {
  id: string;
  client_id: string;
  kind: 'phq9_item9';
  administration_id: string;
  item_value: number;
  raised_at: Date;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  acknowledged_at: Date | null;
  ack_note_enc: Buffer | null;
  version: number;
  instrument: string;
  total: number;
}

const COLUMNS = `r.id, r.client_id, r.kind, r.administration_id, r.item_value, r.raised_at, r.acknowledged_by,
  u.full_name AS acknowledged_by_name, r.acknowledged_at, r.ack_note_enc, r.version, a.instrument, a.total`;
const FROM = `risk_alerts r JOIN measure_administrations a ON a.id = r.administration_id
  LEFT JOIN users u ON u.id = r.acknowledged_by`;

export async function insertRiskAlert(
  tx: Queryable,
  a: {
    id: string;
    practiceId: string;
    clientId: string;
    kind: 'phq9_item9';
    administrationId: string;
    itemValue: number;
    raisedAt: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO risk_alerts (id, practice_id, client_id, kind, administration_id, item_value, raised_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [a.id, a.practiceId, a.clientId, a.kind, a.administrationId, a.itemValue, a.raisedAt],
  );
}

/** A client's alerts, open ones first, then newest (index risk_alerts_client_idx). */
export async function listRiskAlerts(tx: Queryable, clientId: string): Promise<RiskAlertRow[]> {
  const r = await tx.query<RiskAlertRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE r.client_id = $1
      ORDER BY (r.acknowledged_at IS NULL) DESC, r.raised_at DESC LIMIT 200`,
    [clientId],
  );
  return r.rows;
}

export async function getRiskAlert(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<RiskAlertRow | undefined> {
  const r = await tx.query<RiskAlertRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function acknowledgeRiskAlert(
  tx: Queryable,
  a: { id: string; userId: string; at: Date; noteEnc: Buffer },
): Promise<void> {
  await tx.query(
    `UPDATE risk_alerts SET acknowledged_by = $2, acknowledged_at = $3, ack_note_enc = $4, version = version + 1
      WHERE id = $1 AND acknowledged_at IS NULL`,
    [a.id, a.userId, a.at, a.noteEnc],
  );
}

export interface OpenRiskAlertRow {
  id: string;
  client_id: string;
  client_code: string;
  display_name: string;
  kind: 'phq9_item9';
  item_value: number;
  raised_at: Date;
}

/**
 * Unacknowledged alerts of the clients whose primary clinician this is, oldest first
 * (clients_primary_idx, then risk_alerts_open_idx per client).
 */
export async function openRiskAlertsFor(
  tx: Queryable,
  clinicianId: string,
  limit: number,
): Promise<OpenRiskAlertRow[]> {
  const r = await tx.query<OpenRiskAlertRow>(
    `SELECT r.id, c.id AS client_id, c.client_code,
            coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS display_name,
            r.kind, r.item_value, r.raised_at
       FROM clients c
       JOIN risk_alerts r ON r.practice_id = c.practice_id AND r.client_id = c.id AND r.acknowledged_at IS NULL
      WHERE c.practice_id = current_practice_id() AND c.primary_clinician_id = $1
      ORDER BY r.raised_at, r.id
      LIMIT $2`,
    [clinicianId, limit],
  );
  return r.rows;
}

/** How many unacknowledged alerts a clinician's caseload has (the navigation badge). */
export async function countOpenRiskAlertsFor(tx: Queryable, clinicianId: string): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM clients c
       JOIN risk_alerts r ON r.practice_id = c.practice_id AND r.client_id = c.id AND r.acknowledged_at IS NULL
      WHERE c.practice_id = current_practice_id() AND c.primary_clinician_id = $1`,
    [clinicianId],
  );
  return r.rows[0]?.n ?? 0;
}
