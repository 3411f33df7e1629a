import * as events from '../db/chartEventsRepo.js';
import type { Tx } from '../db/database.js';
import type { TimelineBound } from '../db/sessionsRepo.js';
import { decryptField } from '../security/fieldEncryption.js';
import type { Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';

// The treatment record on the chart timeline: diagnosis changes, signed plan versions, outcome
// measures, risk alerts and annotations. Only annotations carry narrative (decrypted with the
// client's key); the rest are codes, numbers and names.

export const RECORD_TYPES = ['diagnosis', 'plan', 'measure', 'alert', 'annotation'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface ChartDiagnosisItem {
  kind: 'diagnosis';
  id: string;
  at: string;
  diagnosisId: string;
  version: number;
  code: string;
  description: string;
  rank: string;
  status: string;
  changedFields: string[];
  changedByName: string;
}

export interface ChartPlanItem {
  kind: 'plan';
  id: string;
  at: string;
  versionNo: number;
  signerName: string;
  reviewDueDate: string | null;
}

export interface ChartMeasureItem {
  kind: 'measure';
  id: string;
  at: string;
  instrument: string;
  total: number;
  band: string;
  source: string;
}

export interface ChartAlertItem {
  kind: 'alert';
  id: string;
  at: string;
  alertKind: string;
  itemValue: number;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
}

export interface ChartAnnotationItem {
  kind: 'annotation';
  id: string;
  at: string;
  date: string;
  text: string;
  authorName: string;
}

export type ChartRecordItem =
  ChartDiagnosisItem | ChartPlanItem | ChartMeasureItem | ChartAlertItem | ChartAnnotationItem;

export interface RecordWindow {
  clientId: string;
  from: Date | null;
  to: Date | null;
  fromDate: string | null;
  toDate: string | null;
  limit: number;
  /** Where each kind resumes after the cursor (dated kinds take a date bound). */
  bound: (kind: RecordType) => TimelineBound | null;
  dateBound: (kind: RecordType) => TimelineBound<string> | null;
  /** The instant a dated entry stands at: noon of the date, practice time. */
  instantOf: (date: string) => Date;
}

/** The record's events of the kinds shown, each kind at most `limit` rows from the cursor. */
export async function recordItems(
  tx: Tx,
  ctx: Ctx,
  shown: readonly RecordType[],
  w: RecordWindow,
): Promise<ChartRecordItem[]> {
  const base = {
    practiceId: ctx.actor.practiceId,
    clientId: w.clientId,
    from: w.from,
    to: w.to,
    limit: w.limit,
  };
  const items: ChartRecordItem[] = [];
  if (shown.includes('diagnosis'))
    for (const r of await events.chartDiagnosisVersions(tx, { ...base, before: w.bound('diagnosis') }))
      items.push({
        kind: 'diagnosis',
        id: r.id,
        at: r.changed_at.toISOString(),
        diagnosisId: r.diagnosis_id,
        version: r.version,
        code: r.code,
        description: r.description,
        rank: r.rank,
        status: r.status,
        changedFields: r.changed_fields,
        changedByName: r.changed_by_name,
      });
  if (shown.includes('plan'))
    for (const r of await events.chartPlanVersions(tx, { ...base, before: w.bound('plan') }))
      items.push({
        kind: 'plan',
        id: r.id,
        at: r.signed_at.toISOString(),
        versionNo: r.version_no,
        signerName: r.signer_name,
        reviewDueDate: r.review_due_date,
      });
  if (shown.includes('measure'))
    for (const r of await events.chartMeasures(tx, { ...base, before: w.bound('measure') }))
      items.push({
        kind: 'measure',
        id: r.id,
        at: r.administered_at.toISOString(),
        instrument: r.instrument,
        total: r.total,
        band: r.band,
        source: r.source,
      });
  if (shown.includes('alert'))
    for (const r of await events.chartAlerts(tx, { ...base, before: w.bound('alert') }))
      items.push({
        kind: 'alert',
        id: r.id,
        at: r.raised_at.toISOString(),
        alertKind: r.kind,
        itemValue: r.item_value,
        acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
        acknowledgedByName: r.acknowledged_by_name,
      });
  if (shown.includes('annotation')) {
    const rows = await events.chartAnnotations(tx, {
      ...base,
      from: w.fromDate,
      to: w.toDate,
      before: w.dateBound('annotation'),
    });
    const key = rows.length > 0 ? await clientDataKey(tx, ctx, w.clientId) : null;
    for (const r of rows)
      items.push({
        kind: 'annotation',
        id: r.id,
        at: w.instantOf(r.date).toISOString(),
        date: r.date,
        text: decryptField(key as Buffer, 'chart_annotations', r.id, 'text', r.text_enc),
        authorName: r.author_name,
      });
  }
  return items;
}
