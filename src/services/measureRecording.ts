import type { Tx } from '../db/database.js';
import { insertAdministration } from '../db/measuresRepo.js';
import { insertRiskAlert } from '../db/riskAlertsRepo.js';
import {
  INSTRUMENTS,
  scoreMeasure,
  type InstrumentId,
  type MeasureAnswers,
  type SeverityBand,
} from '../domain/measures.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';

export interface RecordAdministrationInput {
  practiceId: string;
  clientId: string;
  instrument: InstrumentId;
  answers: unknown;
  administeredAt: Date;
  source: 'clinician' | 'client_link';
  sessionId: string | null;
  recordedBy: string | null;
  /** The one-time link the client answered through (source 'client_link'); sets link_id. */
  linkId?: string | null;
  /** The client's data key (clientDataKey); item answers are encrypted with it. */
  key: Buffer;
}

export interface RecordedAdministration {
  id: string;
  total: number;
  band: SeverityBand;
  riskAlertId: string | null;
}

/**
 * Validates and scores a completed form, stores it with its answers encrypted, and raises a
 * risk alert when PHQ-9 item 9 is above zero — all in the caller's transaction. Throws
 * IncompleteMeasure (an Invalid, 422 with item paths) before anything is written. Callers
 * authorize and audit.
 */
export async function recordAdministration(
  tx: Tx,
  input: RecordAdministrationInput,
): Promise<RecordedAdministration> {
  const def = INSTRUMENTS[input.instrument];
  const score = scoreMeasure(def, input.answers);
  const answers = input.answers as MeasureAnswers;
  // Keep only the known keys, in form order, so the stored JSON is canonical.
  const stored: MeasureAnswers = {};
  for (const item of def.items) stored[item.id] = answers[item.id] ?? 0;
  if (def.difficulty && typeof answers.difficulty === 'number') stored.difficulty = answers.difficulty;
  const id = newId();
  await insertAdministration(tx, {
    id,
    practiceId: input.practiceId,
    clientId: input.clientId,
    instrument: def.id,
    version: def.version,
    administeredAt: input.administeredAt,
    source: input.source,
    sessionId: input.sessionId,
    answersEnc: encryptField(input.key, 'measure_administrations', id, 'answers', JSON.stringify(stored)),
    total: score.total,
    band: score.band.key,
    item9Positive: score.item9Positive,
    recordedBy: input.recordedBy,
    linkId: input.linkId ?? null,
  });
  let riskAlertId: string | null = null;
  if (score.item9Positive) {
    riskAlertId = newId();
    await insertRiskAlert(tx, {
      id: riskAlertId,
      practiceId: input.practiceId,
      clientId: input.clientId,
      kind: 'phq9_item9',
      administrationId: id,
      itemValue: stored.q9 ?? 0,
      raisedAt: input.administeredAt,
    });
  }
  return { id, total: score.total, band: score.band, riskAlertId };
}
