import type { Tx } from '../db/database.js';
import { diagnosesOfClient } from '../db/diagnosesRepo.js';
import { currentAndDraft, getPlanOfClient } from '../db/treatmentPlansRepo.js';
import { listAdministrations } from '../db/measuresRepo.js';
import { listRiskAlerts } from '../db/riskAlertsRepo.js';
import { annotationsOfClient } from '../db/annotationsRepo.js';
import { signedRatingsOfClient } from '../db/goalProgressRepo.js';
import { chartSessions } from '../db/sessionsRepo.js';
import * as repo from '../db/handoversRepo.js';
import { decryptField, encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import {
  assembleHandoverSummary,
  RECENT_ANNOTATIONS,
  RECENT_SESSIONS,
  UPCOMING_SESSIONS,
  type HandoverFacts,
  type HandoverSummary,
} from '../domain/handoverSummary.js';
import { auditAs, type Ctx } from './context.js';
import { clientDataKey } from './clientKeys.js';
import { openContent } from './treatmentPlanService.js';
import { practiceOf } from './noteService.js';

// Takes the hand-over snapshot: loads the facts through the repositories the progress report,
// chart and dashboard already use (a fixed number of queries, none per row), assembles the summary
// by the pure rules in domain/handoverSummary.ts, and stores it encrypted with the client's key.
// Nothing here reads a note body, a rating comment or a psychotherapy note.

export const TABLE = 'handovers';

async function loadFacts(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  key: Buffer,
  now: Date,
  timeZone: string,
): Promise<HandoverFacts> {
  const diagnoses = await diagnosesOfClient(tx, clientId);
  const planRow = await getPlanOfClient(tx, clientId);
  const versions = planRow ? await currentAndDraft(tx, planRow.id) : { current: undefined, draft: undefined };
  const current = versions.current?.signed_at ? versions.current : undefined;
  const content = current ? openContent(key, current) : null;
  const scores = await listAdministrations(tx, clientId);
  const alerts = (await listRiskAlerts(tx, clientId)).filter((a) => a.acknowledged_at === null);
  const annotations = await annotationsOfClient(tx, clientId);
  const ratings = await signedRatingsOfClient(tx, clientId);
  const sessions = await chartSessions(tx, {
    practiceId: ctx.actor.practiceId,
    clientId,
    from: null,
    to: now,
    before: null,
    limit: RECENT_SESSIONS,
  });
  const upcoming = await repo.upcomingSessionsOfClient(tx, { clientId, now, limit: UPCOMING_SESSIONS });
  const needsNote = await repo.needsNoteOfClient(tx, clientId);
  const unfinished = await repo.unfinishedNotesOfClient(tx, clientId);
  const requests = await repo.openRecordRequestsOfClient(tx, clientId);
  const recentAnnotations = annotations.slice(-RECENT_ANNOTATIONS);
  return {
    now,
    timeZone,
    diagnoses: diagnoses.map((d) => ({
      code: d.code,
      description: d.description,
      rank: d.rank,
      status: d.status,
      onsetDate: d.onset_date,
    })),
    plan:
      current && content
        ? {
            versionNo: current.version_no,
            signedAt: current.signed_at,
            signedBy: [current.signer_name, current.signer_credentials].filter((s) => s).join(', '),
            reviewDueDate: current.review_due_date,
            goals: content.goals.map((g) => ({ id: g.id, statement: g.statement, status: g.status })),
          }
        : null,
    draftPlanPending: versions.draft !== undefined,
    ratings: ratings.map((r) => ({
      goalId: r.goal_id,
      date: r.date_of_service,
      scale: r.scale,
      rating: r.rating,
      newStatus: r.new_status,
    })),
    sessions: sessions.map((s) => ({
      startsAt: s.starts_at,
      serviceType: s.service_type,
      attendance: s.attendance,
      clinician: s.clinician_name,
      noteState: s.note_state,
    })),
    upcoming: upcoming.map((s) => ({
      startsAt: s.starts_at,
      serviceType: s.service_type,
      attendance: 'scheduled',
      clinician: s.clinician_name,
      noteState: 'none',
    })),
    scores: scores.map((s) => ({
      instrument: s.instrument,
      administeredAt: s.administered_at,
      total: s.total,
      band: s.band,
    })),
    openAlerts: alerts.map((a) => ({
      raisedAt: a.raised_at,
      itemValue: a.item_value,
      instrumentTotal: a.total,
    })),
    annotations: recentAnnotations.map((a) => ({
      date: a.date,
      text: decryptField(key, 'chart_annotations', a.id, 'text', a.text_enc),
    })),
    needsNote: needsNote.map((n) => ({
      startsAt: n.starts_at,
      dueAt: n.note_due_at,
      noteState: n.note_state,
      clinician: n.clinician_name,
    })),
    unfinishedNotes: unfinished.map((n) => ({
      date: n.date_of_service,
      status: n.status,
      author: n.author_name,
      cosigner: n.cosigner_name,
      hasSession: n.has_session,
    })),
    recordRequests: requests.map((r) => ({ kind: r.kind, receivedOn: r.received_on, dueOn: r.due_on })),
  };
}

/**
 * Records a hand-over of the client to `toClinicianId` inside the caller's transaction (which has
 * already authorized the change and moved the primary clinician): takes the snapshot, stores it
 * and the optional note encrypted, marks earlier unread hand-overs superseded, and audits.
 */
export async function recordHandover(
  tx: Tx,
  ctx: Ctx,
  h: { clientId: string; fromClinicianId: string | null; toClinicianId: string; note: string | null },
): Promise<{ id: string; createdAt: Date }> {
  const now = ctx.clock();
  const practice = await practiceOf(tx, ctx);
  const key = await clientDataKey(tx, ctx, h.clientId);
  const summary = assembleHandoverSummary(await loadFacts(tx, ctx, h.clientId, key, now, practice.time_zone));
  const id = newId();
  await repo.insertHandover(tx, {
    id,
    practiceId: ctx.actor.practiceId,
    clientId: h.clientId,
    fromClinicianId: h.fromClinicianId,
    toClinicianId: h.toClinicianId,
    createdBy: ctx.actor.userId,
    createdAt: now,
    summaryEnc: encryptField(key, TABLE, id, 'summary', JSON.stringify(summary)),
    noteEnc: h.note ? encryptField(key, TABLE, id, 'note', h.note) : null,
  });
  const superseded = await repo.supersedeUnread(tx, h.clientId, id);
  await auditAs(tx, ctx, {
    action: 'handover.create',
    category: 'handover',
    clientId: h.clientId,
    entityType: 'handover',
    entityId: id,
    details: {
      from: h.fromClinicianId,
      to: h.toClinicianId,
      withNote: h.note !== null,
      superseded,
      diagnoses: summary.diagnoses.length,
      goals: summary.plan?.goals.length ?? 0,
      openRiskAlerts: summary.risk.openAlerts.length,
    },
  });
  return { id, createdAt: now };
}

/** The stored snapshot and note of a hand-over, opened with the client's key. */
export async function openHandover(
  tx: Tx,
  ctx: Ctx,
  row: Pick<repo.HandoverRow, 'id' | 'client_id' | 'summary_enc' | 'note_enc'>,
): Promise<{ summary: HandoverSummary; note: string | null }> {
  const key = await clientDataKey(tx, ctx, row.client_id);
  return {
    summary: JSON.parse(decryptField(key, TABLE, row.id, 'summary', row.summary_enc)) as HandoverSummary,
    note: row.note_enc ? decryptField(key, TABLE, row.id, 'note', row.note_enc) : null,
  };
}
