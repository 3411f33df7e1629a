import * as repo from '../db/measuresRepo.js';
import * as sessionsRepo from '../db/sessionsRepo.js';
import type { Tx } from '../db/database.js';
import { decryptField } from '../security/fieldEncryption.js';
import { Invalid } from '../domain/errors.js';
import {
  INSTRUMENTS,
  INSTRUMENT_IDS,
  isInstrumentId,
  scoreMeasure,
  type InstrumentDefinition,
  type InstrumentId,
  type MeasureAnswers,
  type Pcl5Result,
  type SeverityBand,
} from '../domain/measures.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';
import { authorizeClientFor } from './clientService.js';
import { clientDataKey } from './clientKeys.js';
import { recordAdministration } from './measureRecording.js';

// Outcome measures given in session by the clinician, the client's series per instrument and
// one administration's item answers. Links for self-report live in the questionnaire-link service.

const CATEGORY = 'outcome_measure';

export function listInstruments(): { items: InstrumentDefinition[] } {
  return { items: INSTRUMENT_IDS.map((id) => INSTRUMENTS[id]) };
}

export interface MeasurePoint {
  id: string;
  administeredAt: string;
  total: number;
  band: SeverityBand;
  item9Positive: boolean;
  source: 'clinician' | 'client_link';
  sessionId: string | null;
}

export interface MeasureSeries {
  instrument: InstrumentId;
  name: string;
  maxTotal: number;
  bands: SeverityBand[];
  bandNote: string;
  points: MeasurePoint[];
}

export interface MeasureDetail extends MeasurePoint {
  clientId: string;
  instrument: InstrumentId;
  version: string;
  answers: MeasureAnswers;
  pcl5: Pcl5Result | null;
  recordedBy: { id: string; name: string } | null;
  createdAt: string;
}

function bandOf(def: InstrumentDefinition, key: string, total: number): SeverityBand {
  return def.bands.find((b) => b.key === key) ?? { key, label: key, min: total, max: total };
}

function point(row: repo.MeasureSeriesRow): MeasurePoint {
  const def = INSTRUMENTS[row.instrument as InstrumentId];
  return {
    id: row.id,
    administeredAt: row.administered_at.toISOString(),
    total: row.total,
    band: bandOf(def, row.band, row.total),
    item9Positive: row.item9_positive,
    source: row.source,
    sessionId: row.session_id,
  };
}

/** A measure given in session may hang on a session only if this client was in it. */
async function checkSession(tx: Tx, sessionId: string, clientId: string): Promise<void> {
  const members = await sessionsRepo.sessionClients(tx, [sessionId]);
  if (!members.some((m) => m.client_id === clientId))
    throw new Invalid('Choose a session with this client', [
      { path: 'sessionId', message: 'Not a session with this client' },
    ]);
}

export interface GiveMeasureInput {
  instrument: InstrumentId;
  answers: Record<string, number>;
  sessionId: string | null;
  administeredAt: string | null;
}

/** The clinician records a questionnaire the client completed in session; scored and stored at once. */
export async function giveMeasure(
  ctx: Ctx,
  clientId: string,
  input: GiveMeasureInput,
): Promise<MeasureDetail> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure.record';
    // Authorize first, so a refused user is audited as denied even when the form is also wrong;
    // the checks below throw before anything is written, and the transaction rolls back.
    await authorizeClientFor(tx, ctx, clientId, 'client.writeNotes', { action, category: CATEGORY });
    const now = ctx.clock();
    const administeredAt = input.administeredAt ? new Date(input.administeredAt) : now;
    if (administeredAt.getTime() > now.getTime() + 5 * 60_000)
      throw new Invalid('A questionnaire cannot be given in the future', [
        { path: 'administeredAt', message: 'Enter a time that has passed' },
      ]);
    scoreMeasure(input.instrument, input.answers);
    if (input.sessionId) await checkSession(tx, input.sessionId, clientId);
    const key = await clientDataKey(tx, ctx, clientId);
    const recorded = await recordAdministration(tx, {
      practiceId: ctx.actor.practiceId,
      clientId,
      instrument: input.instrument,
      answers: input.answers,
      administeredAt,
      source: 'clinician',
      sessionId: input.sessionId,
      recordedBy: ctx.actor.userId,
      key,
    });
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'measure_administration',
      entityId: recorded.id,
      details: { instrument: input.instrument, source: 'clinician' },
    });
    if (recorded.riskAlertId)
      await auditAs(tx, ctx, {
        action: 'risk_alert.raise',
        category: 'risk_alert',
        clientId,
        entityType: 'risk_alert',
        entityId: recorded.riskAlertId,
        details: { kind: 'phq9_item9' },
      });
    return detailOf(tx, recorded.id, key);
  });
}

async function detailOf(tx: Tx, id: string, key: Buffer): Promise<MeasureDetail> {
  const row = await repo.getAdministration(tx, id);
  if (!row) throw new Error('administration vanished');
  return detail(row, key);
}

function detail(row: repo.MeasureAdministrationRow, key: Buffer): MeasureDetail {
  const answers = JSON.parse(
    decryptField(key, 'measure_administrations', row.id, 'answers', row.answers_enc),
  ) as MeasureAnswers;
  const instrument = row.instrument as InstrumentId;
  return {
    ...point(row),
    clientId: row.client_id,
    instrument,
    version: row.version,
    answers,
    pcl5: instrument === 'pcl5' ? scoreMeasure(instrument, answers).pcl5 : null,
    recordedBy: row.recorded_by ? { id: row.recorded_by, name: row.recorded_by_name ?? '' } : null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Totals and bands over time, one series per instrument; item answers only on the detail. */
export async function listMeasures(ctx: Ctx, clientId: string): Promise<{ series: MeasureSeries[] }> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure.list';
    await authorizeClientFor(tx, ctx, clientId, 'client.readNotes', { action, category: CATEGORY });
    const rows = await repo.listAdministrations(tx, clientId);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId,
      entityType: 'client',
      entityId: clientId,
      details: { count: rows.length },
    });
    return {
      series: INSTRUMENT_IDS.map((id) => {
        const def = INSTRUMENTS[id];
        return {
          instrument: id,
          name: def.shortName,
          maxTotal: def.maxTotal,
          bands: def.bands,
          bandNote: def.bandNote,
          points: rows.filter((r) => r.instrument === id).map(point),
        };
      }),
    };
  });
}

/** One administration with its item answers (decrypted); audited as a view. */
export async function getMeasure(ctx: Ctx, id: string): Promise<MeasureDetail> {
  return inPractice(ctx, async (tx) => {
    const action = 'measure.view';
    const row = await repo.getAdministration(tx, id);
    if (!row)
      throw new AccessDenied(
        'Measure not found',
        { action, category: CATEGORY, entityType: 'measure_administration', entityId: id },
        404,
      );
    await authorizeClientFor(tx, ctx, row.client_id, 'client.readNotes', { action, category: CATEGORY });
    const key = await clientDataKey(tx, ctx, row.client_id);
    await auditAs(tx, ctx, {
      action,
      category: CATEGORY,
      clientId: row.client_id,
      entityType: 'measure_administration',
      entityId: row.id,
    });
    return detail(row, key);
  });
}

export { isInstrumentId };
