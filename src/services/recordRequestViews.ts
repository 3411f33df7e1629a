import type { AmendmentRow, CopyRequestRow, StatementRow } from '../db/recordRequestsRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField } from '../security/fieldEncryption.js';
import { StaleVersion } from '../domain/errors.js';
import {
  dueState,
  effectiveDueDate,
  type AmendmentTarget,
  type CopyFormat,
  type DeliveryMethod,
  type DenialBasis,
  type DueState,
  type ReceivedVia,
  type Requester,
  type StatementKind,
} from '../domain/recordRequests.js';
import { getPractice } from '../db/practicesRepo.js';
import { practiceToday } from '../domain/recordRequests.js';
import { NotFound } from '../domain/errors.js';
import type { Ctx } from './context.js';

// How copy and amendment requests leave the services: decrypted with the client's key, with
// their deadline state worked out against today in the practice's time zone.

export const COPY_TABLE = 'record_copy_requests';
export const AMENDMENT_TABLE = 'amendment_requests';
export const STATEMENT_TABLE = 'amendment_statements';

export interface CopyRequestView {
  id: string;
  clientId: string;
  receivedOn: string;
  receivedVia: ReceivedVia;
  format: CopyFormat;
  delivery: DeliveryMethod;
  requester: Requester;
  representative: { name: string; relationship: string } | null;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  extendedBy: string | null;
  effectiveDueOn: string;
  dueState: DueState;
  status: 'open' | 'fulfilled';
  copyProducedAt: string | null;
  fulfilledOn: string | null;
  fulfilledBy: string | null;
  createdBy: string;
  createdAt: string;
  version: number;
}

export interface StatementView {
  id: string;
  kind: StatementKind;
  receivedOn: string;
  text: string;
  recordedBy: string;
  recordedAt: string;
}

export interface AmendmentView {
  id: string;
  clientId: string;
  receivedOn: string;
  target: { kind: AmendmentTarget; id: string | null };
  change: string;
  reason: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  extendedBy: string | null;
  effectiveDueOn: string;
  dueState: DueState;
  status: 'open' | 'accepted' | 'denied';
  decidedOn: string | null;
  decidedBy: string | null;
  addendumId: string | null;
  correction: string | null;
  correctionRef: string | null;
  denialBasis: DenialBasis | null;
  denialText: string | null;
  statements: StatementView[];
  version: number;
}

/** Today's date where the practice is. */
export async function todayInPractice(tx: Tx, ctx: Ctx): Promise<string> {
  const p = await getPractice(tx, ctx.actor.practiceId);
  if (!p) throw new NotFound('Practice');
  return practiceToday(ctx.clock(), p.time_zone);
}

const open = (key: Buffer, table: string, id: string, field: string, blob: Buffer | null) =>
  blob ? decryptField(key, table, id, field, blob) : null;

export function copyView(row: CopyRequestRow, key: Buffer, today: string): CopyRequestView {
  const rep = open(key, COPY_TABLE, row.id, 'representative', row.representative_enc);
  const clock = {
    kind: 'copy' as const,
    receivedOn: row.received_on,
    dueOn: row.due_on,
    extendedDueOn: row.extended_due_on,
    status: row.status,
  };
  return {
    id: row.id,
    clientId: row.client_id,
    receivedOn: row.received_on,
    receivedVia: row.received_via as ReceivedVia,
    format: row.format as CopyFormat,
    delivery: row.delivery as DeliveryMethod,
    requester: row.requester as Requester,
    representative: rep ? (JSON.parse(rep) as { name: string; relationship: string }) : null,
    dueOn: row.due_on,
    extendedDueOn: row.extended_due_on,
    extensionReason: open(key, COPY_TABLE, row.id, 'extension_reason', row.extension_reason_enc),
    extendedBy: row.extended_by_name,
    effectiveDueOn: effectiveDueDate(clock),
    dueState: dueState(clock, today),
    status: row.status,
    copyProducedAt: row.copy_produced_at?.toISOString() ?? null,
    fulfilledOn: row.fulfilled_on,
    fulfilledBy: row.fulfilled_by_name,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

export function amendmentView(
  row: AmendmentRow,
  statements: StatementRow[],
  key: Buffer,
  today: string,
): AmendmentView {
  const req = JSON.parse(decryptField(key, AMENDMENT_TABLE, row.id, 'request', row.request_enc)) as {
    change: string;
    reason: string;
  };
  const clock = {
    kind: 'amendment' as const,
    receivedOn: row.received_on,
    dueOn: row.due_on,
    extendedDueOn: row.extended_due_on,
    status: row.status,
  };
  return {
    id: row.id,
    clientId: row.client_id,
    receivedOn: row.received_on,
    target: { kind: row.target_kind, id: row.target_id },
    change: req.change,
    reason: req.reason,
    dueOn: row.due_on,
    extendedDueOn: row.extended_due_on,
    extensionReason: open(key, AMENDMENT_TABLE, row.id, 'extension_reason', row.extension_reason_enc),
    extendedBy: row.extended_by_name,
    effectiveDueOn: effectiveDueDate(clock),
    dueState: dueState(clock, today),
    status: row.status,
    decidedOn: row.decided_on,
    decidedBy: row.decided_by_name,
    addendumId: row.addendum_id,
    correction: open(key, AMENDMENT_TABLE, row.id, 'correction', row.correction_enc),
    correctionRef: row.correction_ref,
    denialBasis: row.denial_basis as DenialBasis | null,
    denialText: open(key, AMENDMENT_TABLE, row.id, 'denial', row.denial_enc),
    statements: statements
      .filter((s) => s.amendment_id === row.id)
      .map((s) => ({
        id: s.id,
        kind: s.kind,
        receivedOn: s.received_on,
        text: decryptField(key, STATEMENT_TABLE, s.id, 'text', s.text_enc),
        recordedBy: s.recorded_by_name,
        recordedAt: s.recorded_at.toISOString(),
      })),
    version: row.version,
  };
}

/** A write on a version the editor no longer holds: 412 with the current request. */
export function staleRequest(
  current: { version: number },
  view: unknown,
  audit: {
    action: string;
    category: 'record_request' | 'amendment';
    clientId: string;
    entityType: string;
    entityId: string;
  },
): StaleVersion {
  return new StaleVersion(current.version, view, audit);
}
