import * as repo from '../db/treatmentPlansRepo.js';
import type { AcknowledgementRow, PlanVersionRow } from '../db/treatmentPlansRepo.js';
import type { Tx } from '../db/database.js';
import type { ClientAction } from '../security/accessPolicy.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { planContentSchema, type AcknowledgementMethod, type PlanContent } from '../domain/treatmentPlan.js';
import { AccessDenied, type AuditFacts, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';

// Treatment plan versions as the API shows them, sealed content, and the access checks every
// plan use case starts with.

export const PLAN_CATEGORY = 'treatment_plan' as const;
const VERSION_TABLE = 'treatment_plan_versions';
const ACK_TABLE = 'plan_acknowledgements';

export interface AcknowledgementView {
  id: string;
  versionId: string;
  typedName: string;
  acknowledgedOn: string;
  method: AcknowledgementMethod;
  hasDrawnSignature: boolean;
  recordedBy: string;
  recordedByName: string;
  recordedAt: string;
}

export interface PlanVersionView {
  id: string;
  planId: string;
  clientId: string;
  versionNo: number;
  status: 'draft' | 'signed';
  basedOnVersionId: string | null;
  basedOnVersionNo: number | null;
  content: PlanContent;
  version: number;
  createdBy: string;
  createdByName: string;
  createdAt: string;
  updatedAt: string;
  signature: {
    signedBy: string;
    name: string;
    credentials: string | null;
    licenseNumber: string | null;
    signedAt: string;
  } | null;
  contentHash: string | null;
  reviewDueDate: string | null;
  acknowledgements: AcknowledgementView[];
}

export function versionFacts(action: string, row: { id: string; client_id: string }): AuditFacts {
  return {
    action,
    category: PLAN_CATEGORY,
    clientId: row.client_id,
    entityType: 'treatment_plan_version',
    entityId: row.id,
  };
}

export function sealContent(key: Buffer, versionId: string, content: PlanContent): Buffer {
  return encryptField(key, VERSION_TABLE, versionId, 'content', JSON.stringify(content));
}

export function openContent(key: Buffer, row: Pick<PlanVersionRow, 'id' | 'content_enc'>): PlanContent {
  return planContentSchema.parse(
    JSON.parse(decryptField(key, VERSION_TABLE, row.id, 'content', row.content_enc)) as unknown,
  );
}

export function sealAck(
  key: Buffer,
  id: string,
  field: 'typed_name' | 'signature_png',
  data: string,
): Buffer {
  return encryptField(key, ACK_TABLE, id, field, data);
}

export function openAck(
  key: Buffer,
  id: string,
  field: 'typed_name' | 'signature_png',
  data: Buffer,
): string {
  return decryptField(key, ACK_TABLE, id, field, data);
}

function ackView(key: Buffer, a: AcknowledgementRow): AcknowledgementView {
  return {
    id: a.id,
    versionId: a.version_id,
    typedName: openAck(key, a.id, 'typed_name', a.typed_name_enc),
    acknowledgedOn: a.acknowledged_on,
    method: a.method,
    hasDrawnSignature: a.has_signature,
    recordedBy: a.recorded_by,
    recordedByName: a.recorded_by_name,
    recordedAt: a.recorded_at.toISOString(),
  };
}

/** The full view of versions, acknowledgements fetched in one query for all of them. */
export async function versionViews(tx: Tx, key: Buffer, rows: PlanVersionRow[]): Promise<PlanVersionView[]> {
  const acks = await repo.acknowledgementsOf(
    tx,
    rows.filter((r) => r.status === 'signed').map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    planId: row.plan_id,
    clientId: row.client_id,
    versionNo: row.version_no,
    status: row.status,
    basedOnVersionId: row.based_on,
    basedOnVersionNo: row.based_on_no,
    content: openContent(key, row),
    version: row.version,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    signature:
      row.signed_at && row.signed_by && row.signer_name
        ? {
            signedBy: row.signed_by,
            name: row.signer_name,
            credentials: row.signer_credentials,
            licenseNumber: row.signer_license,
            signedAt: row.signed_at.toISOString(),
          }
        : null,
    contentHash: row.content_hash,
    reviewDueDate: row.review_due_date,
    acknowledgements: acks.filter((a) => a.version_id === row.id).map((a) => ackView(key, a)),
  }));
}

export async function versionView(tx: Tx, key: Buffer, row: PlanVersionRow): Promise<PlanVersionView> {
  const [v] = await versionViews(tx, key, [row]);
  if (!v) throw new Error('version view missing');
  return v;
}

/**
 * A version and its client's key, after the client-level check. A version of another practice
 * is invisible (row-level security), so it is "not found" like one that never existed.
 * forUpdate locks the plan row, then the version row, and returns the version as locked.
 */
export async function authorizeVersion(
  tx: Tx,
  ctx: Ctx,
  versionId: string,
  clientAction: ClientAction,
  action: string,
  forUpdate = false,
): Promise<{ row: PlanVersionRow; key: Buffer }> {
  const found = await repo.getVersion(tx, versionId);
  const denied = () =>
    new AccessDenied(
      'Treatment plan version not found',
      { action, category: PLAN_CATEGORY, entityType: 'treatment_plan_version', entityId: versionId },
      404,
    );
  if (!found) throw denied();
  await authorizeClientFor(tx, ctx, found.client_id, clientAction, { action, category: PLAN_CATEGORY });
  let row = found;
  if (forUpdate) {
    // Lock order for every plan write: the plan row first, then the version row. Signing a
    // plan-review note (reviseGoalStatuses) takes them in the same order, so the two never deadlock.
    await repo.getPlanOfClient(tx, found.client_id, true);
    await repo.lockVersion(tx, versionId);
    const again = await repo.getVersion(tx, versionId);
    if (!again) throw denied();
    row = again;
  }
  return { row, key: await clientDataKey(tx, ctx, row.client_id) };
}
