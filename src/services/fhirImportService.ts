import * as importsRepo from '../db/importsRepo.js';
import { insertDiagnosis } from '../db/diagnosesRepo.js';
import { insertAdministration } from '../db/measuresRepo.js';
import { getPractice } from '../db/practicesRepo.js';
import type { Tx } from '../db/database.js';
import { decidePracticeAction } from '../security/accessPolicy.js';
import { encryptField } from '../security/fieldEncryption.js';
import { newId } from '../security/ids.js';
import { hasAnyRole, isClinical } from '../domain/roles.js';
import { bandFor, INSTRUMENTS } from '../domain/measures.js';
import { Invalid, NotFound } from '../domain/errors.js';
import { readBundle, type FhirImportPlan } from '../interop/fhir/importBundle.js';
import { BundleUnreadable } from '../interop/fhir/importCommon.js';
import { nameDobKey } from '../interop/csv/clientCsv.js';
import { duplicateWarning } from './importDuplicates.js';
import { createClientIn } from './clientService.js';
import type { ClientBodySchema } from './clientImportService.js';
import { clientDataKey } from './clientKeys.js';
import { recordAdministration } from './measureRecording.js';
import { AccessDenied, auditAs, inPractice, type Ctx } from './context.js';

export interface FhirImportRequest {
  bundle: unknown;
  /** Owners and admins name the clinician who will be primary; a clinician importing is primary. */
  primaryClinicianId?: string | undefined;
}

export interface FhirImportSummary {
  sourceSystem: string;
  client: { legalFirstName: string; legalLastName: string; dateOfBirth: string };
  counts: Record<string, number>;
  warnings: string[];
  refused: string[];
  skipped: { resourceType: string; count: number }[];
}

export interface FhirImportResult {
  importId: string;
  clientId: string;
  counts: Record<string, number>;
}

const DOCS = 'imported_documents';

interface Checked {
  plan: FhirImportPlan;
  input: Parameters<typeof createClientIn>[2];
  summary: FhirImportSummary;
}

async function check(
  tx: Tx,
  ctx: Ctx,
  req: FhirImportRequest,
  schema: ClientBodySchema,
  action: string,
): Promise<Checked> {
  const d = decidePracticeAction(ctx.actor, 'imports.record');
  if (!d.allowed) throw new AccessDenied(d.reason, { action, category: 'import' });
  const manager = hasAnyRole(ctx.actor.roles, ['owner', 'admin']);
  const clinician = isClinical(ctx.actor.roles);
  let primary = req.primaryClinicianId ?? null;
  if (!manager && primary && primary !== ctx.actor.userId)
    throw new AccessDenied('A clinician imports only records they will be primary clinician for', {
      action,
      category: 'import',
    });
  if (!primary && clinician) primary = ctx.actor.userId;
  if (!primary)
    throw new Invalid('Choose the clinician who will be primary for this client', [
      { path: 'primaryClinicianId', message: 'Choose the primary clinician' },
    ]);

  let plan: FhirImportPlan;
  try {
    plan = readBundle(req.bundle);
  } catch (err) {
    if (err instanceof BundleUnreadable) throw new Invalid(err.message, err.problems);
    throw err;
  }
  const parsed = schema.safeParse(plan.client);
  if (!parsed.success)
    throw new Invalid(
      'The Patient resource does not make a valid client record',
      parsed.error.issues.map((i) => ({
        path: ['patient', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    );
  const practice = await getPractice(tx, ctx.actor.practiceId);
  if (!practice) throw new NotFound('Practice');
  if (practice.kind === 'coaching' && plan.diagnoses.length > 0) {
    plan.warnings.push(`${plan.diagnoses.length} diagnoses were not imported: this is a coaching practice`);
    plan.diagnoses = [];
  }
  const catalog = await ctx.icd10();
  plan.diagnoses = plan.diagnoses.filter((dx) => {
    const found = catalog.get(dx.code);
    if (!found) plan.warnings.push(`Diagnosis code ${dx.code} is not in the ICD-10-CM catalog; not imported`);
    else {
      dx.code = found.code;
      dx.description = found.title;
    }
    return Boolean(found);
  });
  const sourceIds = new Set(plan.documents.map((x) => x.sourceId));
  for (const doc of plan.documents)
    if (doc.kind === 'addendum' && !sourceIds.has(doc.parentSourceId)) {
      plan.warnings.push(
        `An addendum's note is not in the bundle; "${doc.title}" was kept as a document of its own`,
      );
      doc.kind = 'note';
      doc.parentSourceId = null;
    }
  const existing = await importsRepo.clientsBornOn(tx, ctx.actor.practiceId, [plan.client.dateOfBirth]);
  const key = nameDobKey(plan.client.legalFirstName, plan.client.legalLastName, plan.client.dateOfBirth);
  const same = existing.find((c) => nameDobKey(c.first, c.last, c.dob) === key);
  if (same) plan.warnings.push(await duplicateWarning(tx, ctx, same));
  if (
    plan.clientCode &&
    (await importsRepo.takenClientCodes(tx, ctx.actor.practiceId, [plan.clientCode])).size > 0
  ) {
    plan.warnings.push(`The record number ${plan.clientCode} is in use here; the client gets a new one`);
    plan.clientCode = null;
  }

  const count = (k: string) => plan.documents.filter((x) => x.kind === k).length;
  return {
    plan,
    input: { ...parsed.data, primaryClinicianId: primary },
    summary: {
      sourceSystem: plan.sourceSystem,
      client: {
        legalFirstName: plan.client.legalFirstName,
        legalLastName: plan.client.legalLastName,
        dateOfBirth: plan.client.dateOfBirth,
      },
      counts: {
        diagnoses: plan.diagnoses.length,
        notes: count('note'),
        addenda: count('addendum'),
        plans: count('plan'),
        measures: plan.measures.length,
        measuresScored: plan.measures.filter((m) => m.complete).length,
      },
      warnings: plan.warnings,
      refused: plan.refused,
      skipped: plan.skipped,
    },
  };
}

/** What importing the bundle would create, and what it would skip or refuse; writes only its audit row. */
export async function previewFhirImport(
  ctx: Ctx,
  req: FhirImportRequest,
  schema: ClientBodySchema,
): Promise<FhirImportSummary> {
  return inPractice(ctx, async (tx) => {
    const { summary } = await check(tx, ctx, req, schema, 'import.record.preview');
    await auditAs(tx, ctx, {
      action: 'import.record.preview',
      category: 'import',
      details: { ...summary.counts, refused: summary.refused.length },
    });
    return summary;
  });
}

/** Creates the new client and everything the bundle holds for it in one transaction: all or nothing. */
export async function importFhirRecord(
  ctx: Ctx,
  req: FhirImportRequest,
  schema: ClientBodySchema,
): Promise<FhirImportResult> {
  return inPractice(ctx, async (tx) => {
    const { plan, input, summary } = await check(tx, ctx, req, schema, 'import.record');
    const importId = newId();
    const practiceId = ctx.actor.practiceId;
    await importsRepo.insertImport(tx, {
      id: importId,
      practiceId,
      kind: 'fhir_record',
      importedBy: ctx.actor.userId,
      sourceSystem: plan.sourceSystem,
      clientCount: 1,
      summary: { ...summary.counts, refused: summary.refused.length, warnings: summary.warnings.length },
    });
    const client = await createClientIn(tx, ctx, input, { importId, clientCode: plan.clientCode });
    const key = await clientDataKey(tx, ctx, client.id);
    const now = ctx.clock();
    for (const dx of plan.diagnoses) {
      const id = newId();
      await insertDiagnosis(tx, {
        id,
        practiceId,
        clientId: client.id,
        code: dx.code,
        description: dx.description,
        rank: dx.rank,
        status: dx.status,
        onsetDate: dx.onsetDate,
        resolvedDate: dx.resolvedDate,
        commentEnc:
          dx.comment === null ? null : encryptField(key, 'client_diagnoses', id, 'comment', dx.comment),
        userId: ctx.actor.userId,
        at: now,
      });
    }
    const idOf = new Map<string, string>();
    for (const doc of plan.documents) {
      const id = newId();
      if (doc.sourceId) idOf.set(doc.sourceId, id);
      await importsRepo.insertImportedDocument(tx, {
        id,
        practice_id: practiceId,
        client_id: client.id,
        import_id: importId,
        parent_id:
          doc.kind === 'addendum' && doc.parentSourceId ? (idOf.get(doc.parentSourceId) ?? null) : null,
        kind: doc.kind,
        source_system: plan.sourceSystem,
        source_id: doc.sourceId,
        title_enc: encryptField(key, DOCS, id, 'title', doc.title),
        loinc_code: doc.loincCode,
        service_date: doc.serviceDate,
        authored_at: doc.authoredAt ? new Date(doc.authoredAt) : null,
        author_name: doc.authorName?.slice(0, 200) ?? null,
        signed_at: doc.signedAt ? new Date(doc.signedAt) : null,
        signer_name: doc.signerName?.slice(0, 200) ?? null,
        content_hash: doc.contentHash,
        content_type: 'text/plain',
        body_enc: encryptField(key, DOCS, id, 'body', doc.text),
        resources_enc: encryptField(key, DOCS, id, 'resources', JSON.stringify(doc.resources)),
      });
    }
    for (const m of plan.measures) {
      const at = new Date(m.administeredAt);
      if (m.complete) {
        await recordAdministration(tx, {
          practiceId,
          clientId: client.id,
          instrument: m.instrument,
          answers: m.answers,
          administeredAt: at,
          source: 'clinician',
          sessionId: null,
          // Whoever imported it recorded it here (the source's recorder is named in the import).
          recordedBy: ctx.actor.userId,
          key,
        });
        continue;
      }
      const def = INSTRUMENTS[m.instrument];
      const total = Math.max(0, Math.min(def.maxTotal, Math.round(m.reportedTotal ?? 0)));
      const id = newId();
      await insertAdministration(tx, {
        id,
        practiceId,
        clientId: client.id,
        instrument: m.instrument,
        version: def.version,
        administeredAt: at,
        source: 'clinician',
        sessionId: null,
        answersEnc: encryptField(key, 'measure_administrations', id, 'answers', JSON.stringify(m.answers)),
        total,
        band: bandFor(def, total).key,
        item9Positive: m.instrument === 'phq9' && (m.answers.q9 ?? 0) > 0,
        // Whoever imported it recorded it here (the source's recorder is named in the import).
        recordedBy: ctx.actor.userId,
      });
    }
    await auditAs(tx, ctx, {
      action: 'import.record',
      category: 'import',
      clientId: client.id,
      entityType: 'import',
      entityId: importId,
      details: { ...summary.counts, refused: summary.refused.length },
    });
    return { importId, clientId: client.id, counts: summary.counts };
  });
}
