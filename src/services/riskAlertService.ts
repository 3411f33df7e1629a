import * as repo from '../db/riskAlertsRepo.js';
import type { RiskAlertRow } from '../db/riskAlertsRepo.js';
import { Conflict } from '../domain/errors.js';
import { INSTRUMENTS, type InstrumentId } from '../domain/measures.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';
import { authorizeClientFor } from './clientService.js';

// Risk alerts raised by a measure (PHQ-9 item 9 above zero). Only a clinician's
// acknowledgement with a note closes one; a later score never does (standards.md §6).

const CATEGORY = 'risk_alert';
const TABLE = 'risk_alerts';

export interface RiskAlertView {
  id: string;
  clientId: string;
  kind: 'phq9_item9';
  title: string;
  administrationId: string;
  instrument: string;
  total: number;
  itemValue: number;
  raisedAt: string;
  open: boolean;
  acknowledgement: { by: { id: string; name: string }; at: string; note: string } | null;
  version: number;
}

const ITEM9_ANSWERS = INSTRUMENTS.phq9.options;

function view(row: RiskAlertRow, key: Buffer): RiskAlertView {
  const answer = ITEM9_ANSWERS.find((o) => o.value === row.item_value)?.label ?? String(row.item_value);
  return {
    id: row.id,
    clientId: row.client_id,
    kind: row.kind,
    title: `${INSTRUMENTS[row.instrument as InstrumentId].shortName} item 9 (thoughts of death or self-harm): “${answer}”`,
    administrationId: row.administration_id,
    instrument: row.instrument,
    total: row.total,
    itemValue: row.item_value,
    raisedAt: row.raised_at.toISOString(),
    open: row.acknowledged_at === null,
    acknowledgement:
      row.acknowledged_at && row.acknowledged_by && row.ack_note_enc
        ? {
            by: { id: row.acknowledged_by, name: row.acknowledged_by_name ?? '' },
            at: row.acknowledged_at.toISOString(),
            note: decryptField(key, TABLE, row.id, 'ack_note', row.ack_note_enc),
          }
        : null,
    version: row.version,
  };
}

/** A client's risk alerts, open ones first. */
export async function listRiskAlerts(
  ctx: Ctx,
  clientId: string,
): Promise<{ items: RiskAlertView[]; open: number }> {
  return inPractice(ctx, async (tx) => {
    const action = 'risk_alert.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const rows = await repo.listRiskAlerts(tx, clientId);
    const key = rows.some((r) => r.ack_note_enc) ? await clientDataKey(tx, ctx, clientId) : Buffer.alloc(0);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    const items = rows.map((r) => view(r, key));
    return { items, open: items.filter((i) => i.open).length };
  });
}

/** Closes an open alert with the clinician's note (encrypted); a second acknowledgement is refused. */
export async function acknowledgeRiskAlert(
  ctx: Ctx,
  id: string,
  input: { note: string },
): Promise<RiskAlertView> {
  return inPractice(ctx, async (tx) => {
    const action = 'risk_alert.acknowledge';
    const row = await repo.getRiskAlert(tx, id, true);
    if (!row)
      throw new AccessDenied(
        'Risk alert not found',
        { action, category: CATEGORY, entityType: 'risk_alert', entityId: id },
        404,
      );
    await authorizeClientFor(tx, ctx, row.client_id, 'client.writeNotes', { action, category: CATEGORY });
    if (row.acknowledged_at)
      throw new Conflict('This alert was already acknowledged', {
        acknowledgedAt: row.acknowledged_at.toISOString(),
      });
    const key = await clientDataKey(tx, ctx, row.client_id);
    await repo.acknowledgeRiskAlert(tx, {
      id,
      userId: ctx.actor.userId,
      at: ctx.clock(),
      noteEnc: encryptField(key, TABLE, id, 'ack_note', input.note),
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'risk_alert',
      entityId: id,
    });
    const updated = await repo.getRiskAlert(tx, id);
    if (!updated) throw new Error('risk alert vanished');
    return view(updated, key);
  });
}
