import type { Queryable } from './database.js';

// Copy requests (164.524), amendment requests (164.526) and statements of disagreement. Free text
// arrives and leaves as ciphertext; triggers in 0010 refuse deletes and any change outside the
// state machine (extend once, then fulfil or decide once).

export interface CopyRequestRow {
  id: string;
  practice_id: string;
  client_id: string;
  received_on: string;
  received_via: string;
  format: string;
  delivery: string;
  requester: string;
  representative_enc: Buffer | null;
  due_on: string;
  extended_due_on: string | null;
  extension_reason_enc: Buffer | null;
  extended_by_name: string | null;
  status: 'open' | 'fulfilled';
  copy_produced_at: Date | null;
  disclosure_id: string | null;
  fulfilled_on: string | null;
  fulfilled_by_name: string | null;
  created_by_name: string;
  created_at: Date;
  version: number;
}

export interface AmendmentRow {
  id: string;
  practice_id: string;
  client_id: string;
  received_on: string;
  target_kind: 'note' | 'plan' | 'diagnosis' | 'demographics';
  target_id: string | null;
  request_enc: Buffer;
  due_on: string;
  extended_due_on: string | null;
  extension_reason_enc: Buffer | null;
  extended_by_name: string | null;
  status: 'open' | 'accepted' | 'denied';
  decided_on: string | null;
  decided_by_name: string | null;
  addendum_id: string | null;
  correction_enc: Buffer | null;
  correction_ref: string | null;
  denial_basis: string | null;
  denial_enc: Buffer | null;
  created_by_name: string;
  created_at: Date;
  version: number;
}

export interface StatementRow {
  id: string;
  amendment_id: string;
  kind: 'disagreement' | 'rebuttal';
  received_on: string;
  text_enc: Buffer;
  recorded_by_name: string;
  recorded_at: Date;
}

const COPY_SELECT = `SELECT r.id, r.practice_id, r.client_id, r.received_on::text AS received_on, r.received_via,
       r.format, r.delivery, r.requester, r.representative_enc, r.due_on::text AS due_on,
       r.extended_due_on::text AS extended_due_on, r.extension_reason_enc, eu.full_name AS extended_by_name,
       r.status, r.copy_produced_at, r.disclosure_id, r.fulfilled_on::text AS fulfilled_on,
       fu.full_name AS fulfilled_by_name, cu.full_name AS created_by_name, r.created_at, r.version
  FROM record_copy_requests r
  JOIN users cu ON cu.id = r.created_by
  LEFT JOIN users eu ON eu.id = r.extended_by
  LEFT JOIN users fu ON fu.id = r.fulfilled_by`;

const AMENDMENT_SELECT = `SELECT a.id, a.practice_id, a.client_id, a.received_on::text AS received_on, a.target_kind,
       a.target_id, a.request_enc, a.due_on::text AS due_on, a.extended_due_on::text AS extended_due_on,
       a.extension_reason_enc, eu.full_name AS extended_by_name, a.status, a.decided_on::text AS decided_on,
       du.full_name AS decided_by_name, a.addendum_id, a.correction_enc, a.correction_ref, a.denial_basis,
       a.denial_enc, cu.full_name AS created_by_name, a.created_at, a.version
  FROM amendment_requests a
  JOIN users cu ON cu.id = a.created_by
  LEFT JOIN users eu ON eu.id = a.extended_by
  LEFT JOIN users du ON du.id = a.decided_by`;

export async function insertCopyRequest(
  tx: Queryable,
  r: {
    id: string;
    practiceId: string;
    clientId: string;
    receivedOn: string;
    receivedVia: string;
    format: string;
    delivery: string;
    requester: string;
    representativeEnc: Buffer | null;
    dueOn: string;
    createdBy: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO record_copy_requests (id, practice_id, client_id, received_on, received_via, format, delivery,
       requester, representative_enc, due_on, created_by, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [
      r.id,
      r.practiceId,
      r.clientId,
      r.receivedOn,
      r.receivedVia,
      r.format,
      r.delivery,
      r.requester,
      r.representativeEnc,
      r.dueOn,
      r.createdBy,
      r.at,
    ],
  );
}

export async function getCopyRequest(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<CopyRequestRow | undefined> {
  const r = await tx.query<CopyRequestRow>(
    `${COPY_SELECT} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function copyRequestsOfClient(tx: Queryable, clientId: string): Promise<CopyRequestRow[]> {
  const r = await tx.query<CopyRequestRow>(
    `${COPY_SELECT} WHERE r.practice_id = current_practice_id() AND r.client_id = $1
      ORDER BY r.received_on DESC, r.id DESC LIMIT 500`,
    [clientId],
  );
  return r.rows;
}

/** Sets the one extension; false when the version moved on. */
export async function extendRequest(
  tx: Queryable,
  table: 'record_copy_requests' | 'amendment_requests',
  u: { id: string; version: number; newDueOn: string; reasonEnc: Buffer; by: string; at: Date },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE ${table} SET extended_due_on = $3, extension_reason_enc = $4, extended_by = $5, extended_at = $6,
            version = version + 1
      WHERE id = $1 AND version = $2`,
    [u.id, u.version, u.newDueOn, u.reasonEnc, u.by, u.at],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Notes that Casebook produced the copy (while the request is open) and the disclosure it made. */
export async function markCopyProduced(
  tx: Queryable,
  id: string,
  at: Date,
  disclosureId: string | null,
): Promise<void> {
  await tx.query(
    `UPDATE record_copy_requests SET copy_produced_at = $2, disclosure_id = coalesce($3, disclosure_id)
      WHERE id = $1 AND status = 'open'`,
    [id, at, disclosureId],
  );
}

export async function fulfilCopyRequest(
  tx: Queryable,
  u: { id: string; version: number; fulfilledOn: string; by: string; at: Date },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE record_copy_requests SET status = 'fulfilled', fulfilled_on = $3, fulfilled_by = $4, fulfilled_at = $5,
            version = version + 1
      WHERE id = $1 AND version = $2 AND status = 'open'`,
    [u.id, u.version, u.fulfilledOn, u.by, u.at],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function insertAmendment(
  tx: Queryable,
  a: {
    id: string;
    practiceId: string;
    clientId: string;
    receivedOn: string;
    targetKind: string;
    targetId: string | null;
    requestEnc: Buffer;
    dueOn: string;
    createdBy: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO amendment_requests (id, practice_id, client_id, received_on, target_kind, target_id, request_enc,
       due_on, created_by, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [
      a.id,
      a.practiceId,
      a.clientId,
      a.receivedOn,
      a.targetKind,
      a.targetId,
      a.requestEnc,
      a.dueOn,
      a.createdBy,
      a.at,
    ],
  );
}

export async function getAmendment(
  tx: Queryable,
  id: string,
  forUpdate = false,
): Promise<AmendmentRow | undefined> {
  const r = await tx.query<AmendmentRow>(
    `${AMENDMENT_SELECT} WHERE a.id = $1${forUpdate ? ' FOR UPDATE OF a' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function amendmentsOfClient(tx: Queryable, clientId: string): Promise<AmendmentRow[]> {
  const r = await tx.query<AmendmentRow>(
    `${AMENDMENT_SELECT} WHERE a.practice_id = current_practice_id() AND a.client_id = $1
      ORDER BY a.received_on DESC, a.id DESC LIMIT 500`,
    [clientId],
  );
  return r.rows;
}

/** The amendment requests about one record (a note, plan or diagnosis). */
export async function amendmentsOfTarget(
  tx: Queryable,
  targetKind: string,
  targetId: string,
): Promise<AmendmentRow[]> {
  const r = await tx.query<AmendmentRow>(
    `${AMENDMENT_SELECT} WHERE a.practice_id = current_practice_id() AND a.target_kind = $1 AND a.target_id = $2
      ORDER BY a.received_on, a.id`,
    [targetKind, targetId],
  );
  return r.rows;
}

export async function decideAmendment(
  tx: Queryable,
  u: {
    id: string;
    version: number;
    status: 'accepted' | 'denied';
    decidedOn: string;
    by: string;
    at: Date;
    addendumId?: string | null;
    correctionEnc?: Buffer | null;
    correctionRef?: string | null;
    denialBasis?: string | null;
    denialEnc?: Buffer | null;
  },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE amendment_requests SET status = $3, decided_on = $4, decided_by = $5, decided_at = $6,
            addendum_id = $7, correction_enc = $8, correction_ref = $9, denial_basis = $10, denial_enc = $11,
            version = version + 1
      WHERE id = $1 AND version = $2 AND status = 'open'`,
    [
      u.id,
      u.version,
      u.status,
      u.decidedOn,
      u.by,
      u.at,
      u.addendumId ?? null,
      u.correctionEnc ?? null,
      u.correctionRef ?? null,
      u.denialBasis ?? null,
      u.denialEnc ?? null,
    ],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function insertStatement(
  tx: Queryable,
  s: {
    id: string;
    practiceId: string;
    clientId: string;
    amendmentId: string;
    kind: string;
    receivedOn: string;
    textEnc: Buffer;
    recordedBy: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO amendment_statements (id, practice_id, client_id, amendment_id, kind, received_on, text_enc,
       recorded_by, recorded_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [s.id, s.practiceId, s.clientId, s.amendmentId, s.kind, s.receivedOn, s.textEnc, s.recordedBy, s.at],
  );
}

export async function statementsOf(tx: Queryable, amendmentIds: string[]): Promise<StatementRow[]> {
  if (amendmentIds.length === 0) return [];
  const r = await tx.query<StatementRow>(
    `SELECT s.id, s.amendment_id, s.kind, s.received_on::text AS received_on, s.text_enc,
            u.full_name AS recorded_by_name, s.recorded_at
       FROM amendment_statements s JOIN users u ON u.id = s.recorded_by
      WHERE s.practice_id = current_practice_id() AND s.amendment_id = ANY($1::uuid[])
      ORDER BY s.recorded_at, s.id`,
    [amendmentIds],
  );
  return r.rows;
}

export interface DueRow {
  kind: 'copy' | 'amendment';
  id: string;
  client_id: string;
  client_code: string;
  display_name: string;
  received_on: string;
  due_on: string;
  extended_due_on: string | null;
}

/**
 * Open requests of either kind whose deadline falls on or before `until`, soonest first; only the
 * clients on `careTeamOf`'s care team when given (a clinician's own clients).
 */
export async function openRequestsDue(
  tx: Queryable,
  q: { until: string; careTeamOf: string | null; limit: number },
): Promise<DueRow[]> {
  const r = await tx.query<DueRow>(
    `WITH due AS (
       SELECT 'copy' AS kind, id, client_id, received_on, due_on, extended_due_on
         FROM record_copy_requests
        WHERE practice_id = current_practice_id() AND status = 'open' AND coalesce(extended_due_on, due_on) <= $1::date
       UNION ALL
       SELECT 'amendment', id, client_id, received_on, due_on, extended_due_on
         FROM amendment_requests
        WHERE practice_id = current_practice_id() AND status = 'open' AND coalesce(extended_due_on, due_on) <= $1::date)
     SELECT d.kind, d.id, d.client_id, c.client_code,
            coalesce(c.preferred_name, c.legal_first_name) || ' ' || c.legal_last_name AS display_name,
            d.received_on::text AS received_on, d.due_on::text AS due_on, d.extended_due_on::text AS extended_due_on
       FROM due d JOIN clients c ON c.id = d.client_id
      WHERE $2::uuid IS NULL OR EXISTS (
              SELECT 1 FROM care_team_members m WHERE m.client_id = d.client_id AND m.user_id = $2::uuid)
      ORDER BY coalesce(d.extended_due_on, d.due_on), d.id
      LIMIT $3`,
    [q.until, q.careTeamOf, q.limit],
  );
  return r.rows;
}
