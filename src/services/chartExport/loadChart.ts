import * as repo from '../../db/chartExportRepo.js';
import * as measureRepo from '../../db/chartExportMeasuresRepo.js';
import { getClient } from '../../db/clientsRepo.js';
import { getBackground } from '../../db/clientBackgroundRepo.js';
import { actAsUser } from '../../db/psychotherapyNotesRepo.js';
import type { Tx } from '../../db/database.js';
import { decryptField } from '../../security/fieldEncryption.js';
import { NotFound } from '../../domain/errors.js';
import { localDateOf, zonedWallTimeToUtc } from '../../domain/recurrence.js';
import { addDays } from '../../domain/progressReport.js';
import { RELEASE_CATEGORIES, type ExportScope } from '../../domain/releaseScope.js';
import {
  builtInTemplate,
  BUILT_IN_KEY_PREFIX,
  renderSections,
  templateDefinitionSchema,
  PSYCHOTHERAPY_TEMPLATE,
  type NoteContent,
  type TemplateDefinition,
} from '../../domain/noteTemplates.js';
import type { Ctx } from '../context.js';
import { clientDataKey } from '../clientKeys.js';
import { practiceOf } from '../noteService.js';
import { openAck, openContent as openPlanContent } from '../planAccess.js';
import { chartConsents } from '../consentViews.js';
import type { ChartExport, ChartPlanVersion, ChartPsychotherapyNote } from './chartExportTypes.js';
import {
  addendumPart,
  backgroundPart,
  clientPart,
  contactPart,
  diagnosisParts,
  measurePart,
  notePart,
  sectionsText,
  sessionPart,
} from './chartParts.js';
import { importedDocumentsForExport } from '../importedDocuments.js';
import { amendmentsForExport } from '../amendmentService.js';
import { amendmentParts } from './chartAmendments.js';

const PRACTICE_PREFIX = 'practice.';

/**
 * One client's record for an export, decrypted, holding exactly what `scope` covers; nothing
 * outside the scope is read from the database. One query per table, whatever the record's size.
 *
 * It neither authorizes nor audits: the caller (release, client copy, practice export, ...)
 * checks the actor may export this client under this scope, and writes the audit row, in the
 * same transaction `tx` (already scoped to the actor's practice).
 *
 * Scope rules (docs/export-format.md): without 'demographics' the client part keeps only what
 * identifies the record (id, record number, legal name, date of birth) and no contacts or
 * consents are read; sessions come with 'progress_notes' or 'billing'; goal ratings need both
 * 'progress_notes' and 'plans'; psychotherapy notes only with 'psychotherapy_notes' and only the
 * actor's own (the table's row-level policy shows no one else's).
 */
export async function loadChartForExport(
  tx: Tx,
  ctx: Ctx,
  clientId: string,
  scope: ExportScope,
): Promise<ChartExport> {
  const has = (c: (typeof RELEASE_CATEGORIES)[number]) => scope.categories.has(c);
  const client = await getClient(tx, clientId);
  if (!client) throw new NotFound('Client');
  const practice = await practiceOf(tx, ctx);
  const tz = practice.time_zone;
  const now = ctx.clock();
  const dates: repo.DateRange = { from: scope.from ?? null, to: scope.to ?? null };
  const instants: repo.InstantRange = {
    from: scope.from ? zonedWallTimeToUtc(`${scope.from}T00:00`, tz) : null,
    before: scope.to ? zonedWallTimeToUtc(`${addDays(scope.to, 1)}T00:00`, tz) : null,
  };
  const key = await clientDataKey(tx, ctx, clientId);
  const notesWanted = has('progress_notes');

  // Sequential on purpose: one transaction is one connection; the queries are independent.
  const careTeam = has('demographics') ? await repo.careTeamIds(tx, clientId) : [];
  const contacts = has('demographics') ? await repo.contactsOf(tx, clientId) : [];
  const background = notesWanted ? await getBackground(tx, clientId) : undefined;
  const diagnosisRows = has('diagnoses') ? await repo.diagnosesOf(tx, clientId) : [];
  const diagnosisVersions = has('diagnoses') ? await repo.diagnosisVersionsOf(tx, clientId) : [];
  const planRows = has('plans') ? inForce(await repo.signedPlanVersionsOf(tx, clientId), instants) : [];
  const ackRows = planRows.length > 0 ? await repo.acknowledgementsOf(tx, clientId) : [];
  const sessionRows = notesWanted || has('billing') ? await repo.sessionsOf(tx, clientId, instants, now) : [];
  const noteRows = notesWanted ? await repo.notesOf(tx, clientId, dates) : [];
  const addendumRows = noteRows.length > 0 ? await repo.addendaOf(tx, clientId) : [];
  const ratingRows = notesWanted && has('plans') ? await repo.goalRatingsOf(tx, clientId, dates) : [];
  const measureRows = has('measures') ? await measureRepo.measuresOf(tx, clientId, instants) : [];
  const alertRows = has('measures') ? await measureRepo.riskAlertsOf(tx, clientId, instants) : [];
  const annotationRows = has('measures') ? await measureRepo.annotationsOf(tx, clientId, dates) : [];
  const consents = has('demographics') ? await chartConsents(tx, ctx, clientId, localDateOf(now, tz)) : [];
  let pnRows: measureRepo.PsychotherapyNoteExportRow[] = [];
  if (has('psychotherapy_notes')) {
    await actAsUser(tx, ctx.actor.userId);
    pnRows = await measureRepo.ownPsychotherapyNotesOf(tx, clientId, ctx.actor.userId, dates);
  }
  const templates = await templatesFor(
    tx,
    noteRows.map((n) => n.template_key),
  );

  const exportedNoteIds = new Set(noteRows.map((n) => n.id));
  const addenda = addendumRows.filter((a) => exportedNoteIds.has(a.note_id)).map((a) => addendumPart(key, a));
  const notes = noteRows.map((n) =>
    notePart(
      key,
      n,
      templates.get(`${n.template_key}@${n.template_version}`),
      addenda.filter((a) => a.noteId === n.id),
    ),
  );
  const planVersions = planRows.map((v): ChartPlanVersion => ({
    id: v.id,
    planId: v.plan_id,
    versionNo: v.version_no,
    basedOnVersionId: v.based_on,
    content: openPlanContent(key, v),
    createdAt: v.created_at.toISOString(),
    signature: {
      userId: v.signed_by,
      name: v.signer_name,
      credentials: v.signer_credentials,
      licenseNumber: v.signer_license,
      signedAt: v.signed_at.toISOString(),
    },
    contentHash: v.content_hash,
    reviewDueDate: v.review_due_date,
    current: v.is_current,
    acknowledgements: ackRows
      .filter((a) => a.version_id === v.id)
      .map((a) => ({
        id: a.id,
        typedName: openAck(key, a.id, 'typed_name', a.typed_name_enc),
        acknowledgedOn: a.acknowledged_on,
        method: a.method,
        hasDrawnSignature: a.has_drawn_signature,
        recordedBy: a.recorded_by,
        recordedAt: a.recorded_at.toISOString(),
      })),
  }));
  const goalText = new Map<string, string>();
  for (const v of planVersions) for (const g of v.content.goals) goalText.set(`${v.id}:${g.id}`, g.statement);
  const exportedMeasureIds = new Set(measureRows.map((m) => m.id));
  const diagnoses = diagnosisParts(key, diagnosisRows, diagnosisVersions);
  // Two queries (requests, their statements) whatever their number; notes, plan, diagnoses and
  // demographics only: psychotherapy notes are not in the designated record set.
  const amendmentViews = await amendmentsForExport(tx, ctx, clientId, scope.categories, exportedNoteIds);

  const chart: ChartExport = {
    formatVersion: 1,
    exportedAt: now.toISOString(),
    exportedBy: { userId: ctx.actor.userId, name: '', credentials: null },
    scope: {
      categories: RELEASE_CATEGORIES.filter((c) => scope.categories.has(c)),
      from: scope.from ?? null,
      to: scope.to ?? null,
      purpose: scope.purpose,
      recipient: scope.recipient ?? null,
    },
    practice: {
      id: practice.id,
      name: practice.name,
      kind: practice.kind,
      timeZone: tz,
      address: null,
      npi: null,
      taxId: null,
    },
    clinicians: [],
    client: clientPart(client, has('demographics'), careTeam),
    contacts: contacts.map(contactPart),
    background: background ? backgroundPart(key, background) : null,
    diagnoses,
    planVersions,
    sessions: sessionRows.map((s) => sessionPart(s, tz, practice.office_place_of_service)),
    notes,
    goalRatings: ratingRows
      .filter((r) => exportedNoteIds.has(r.note_id))
      .map((r) => ({
        noteId: r.note_id,
        goalId: r.goal_id,
        planVersionId: r.plan_version_id,
        goalStatement: goalText.get(`${r.plan_version_id}:${r.goal_id}`) ?? '',
        dateOfService: r.date_of_service,
        scale: r.scale,
        rating: r.rating,
        comment: r.comment_enc
          ? decryptField(key, 'note_goal_ratings', `${r.note_id}/${r.goal_id}`, 'comment', r.comment_enc)
          : null,
        newStatus: r.new_status,
      })),
    measures: measureRows.map((m) => measurePart(key, m, tz)),
    riskAlerts: alertRows
      .filter((a) => exportedMeasureIds.has(a.administration_id))
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        administrationId: a.administration_id,
        itemValue: a.item_value,
        raisedAt: a.raised_at.toISOString(),
        acknowledgedBy: a.acknowledged_by,
        acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
        acknowledgementNote: a.ack_note_enc
          ? decryptField(key, 'risk_alerts', a.id, 'ack_note', a.ack_note_enc)
          : null,
      })),
    annotations: annotationRows.map((a) => ({
      id: a.id,
      date: a.date,
      text: decryptField(key, 'chart_annotations', a.id, 'text', a.text_enc),
      createdBy: a.created_by,
      createdAt: a.created_at.toISOString(),
    })),
    consents,
    psychotherapyNotes: pnRows
      .filter((p) => p.author_id === ctx.actor.userId)
      .map((p) => psychotherapyNotePart(key, p)),
    // The import feature adds the documents it brought in from another system.
    importedDocuments: await importedDocumentsForExport(tx, key, clientId, {
      notes: notesWanted,
      plans: has('plans'),
      ...dates,
    }),
    amendments: amendmentParts(amendmentViews, { notes, diagnoses, planVersions }),
    part2Notice: scope.part2Notice ?? null,
  };
  await fillClinicians(tx, chart);
  return chart;
}

/** Plan versions in force at some point of the range: signed before its end, not superseded before its start. */
function inForce(rows: repo.PlanVersionExportRow[], r: repo.InstantRange): repo.PlanVersionExportRow[] {
  return rows.filter((v, i) => {
    const next = rows[i + 1];
    if (r.before && v.signed_at >= r.before) return false;
    return !(r.from && next && next.signed_at <= r.from);
  });
}

function psychotherapyNotePart(
  key: Buffer,
  p: measureRepo.PsychotherapyNoteExportRow,
): ChartPsychotherapyNote {
  const content = JSON.parse(
    decryptField(key, 'psychotherapy_notes', p.id, 'content', p.content_enc),
  ) as NoteContent;
  return {
    id: p.id,
    authorId: p.author_id,
    sessionId: p.session_id,
    dateOfService: p.date_of_service,
    text: sectionsText(
      renderSections(PSYCHOTHERAPY_TEMPLATE, content).map((s) => ({
        title: s.title,
        lines: s.lines.map((l) => ({ label: l.label, text: l.text })),
      })),
    ),
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

/** Templates by "key@version": built-ins from code, practice templates in one query. */
async function templatesFor(tx: Tx, keys: string[]): Promise<Map<string, TemplateDefinition>> {
  const out = new Map<string, TemplateDefinition>();
  const practiceIds = new Set<string>();
  for (const k of new Set(keys)) {
    if (k.startsWith(BUILT_IN_KEY_PREFIX)) {
      const t = builtInTemplate(k);
      if (t) out.set(`${k}@${t.version}`, t);
    } else if (k.startsWith(PRACTICE_PREFIX)) practiceIds.add(k.slice(PRACTICE_PREFIX.length));
  }
  const ids = [...practiceIds].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  for (const row of await repo.templateVersions(tx, ids)) {
    const parsed = templateDefinitionSchema.safeParse(row.definition);
    if (parsed.success) out.set(`${PRACTICE_PREFIX}${row.template_id}@${row.version}`, parsed.data);
  }
  return out;
}

/** Everyone the exported parts name, in one query; the exporting actor fills exportedBy. */
async function fillClinicians(tx: Tx, chart: ChartExport): Promise<void> {
  const ids = new Set<string>([chart.exportedBy.userId, ...chart.client.careTeam]);
  const add = (id: string | null | undefined) => {
    if (id) ids.add(id);
  };
  add(chart.client.primaryClinicianId);
  for (const d of chart.diagnoses) {
    add(d.recordedBy);
    for (const h of d.history) add(h.changedBy);
  }
  for (const v of chart.planVersions) {
    add(v.signature.userId);
    for (const a of v.acknowledgements) add(a.recordedBy);
    for (const g of v.content.goals) for (const i of g.interventions) add(i.responsibleClinicianId);
  }
  for (const s of chart.sessions) add(s.clinicianId);
  for (const n of chart.notes) {
    add(n.authorId);
    add(n.signature?.userId);
    add(n.cosignature?.userId);
    for (const a of n.addenda) add(a.signature.userId);
  }
  for (const m of chart.measures) add(m.recordedBy);
  for (const a of chart.riskAlerts) add(a.acknowledgedBy);
  for (const a of chart.annotations) add(a.createdBy);
  for (const c of chart.consents) add(c.recordedBy);
  for (const p of chart.psychotherapyNotes) add(p.authorId);
  const rows = await repo.usersByIds(tx, [...ids]);
  chart.clinicians = rows.map((u) => ({
    id: u.id,
    name: u.full_name,
    credentials: u.credentials,
    licenseNumber: u.license_number,
    npi: null,
    roles: u.roles,
  }));
  const me = rows.find((u) => u.id === chart.exportedBy.userId);
  if (me) chart.exportedBy = { userId: me.id, name: me.full_name, credentials: me.credentials };
}
