import type { ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { CASEBOOK_FHIR, derivedId, label, namingSystem, PART2_LABELS, type Resource } from './fhirCommon.js';
import { organization, patient, practitioner } from './partyResources.js';
import { condition, encounter } from './encounterResources.js';
import { goalRatingObservation, planResources } from './planResources.js';
import { backgroundResource, noteResources, psychotherapyNoteResource } from './noteResources.js';
import { annotationBasic, measureResources, riskAlertFlag } from './measureResources.js';
import { consentResource } from './consentResources.js';
import { exportProvenance } from './provenance.js';
import { composition } from './composition.js';
import { importedDocumentResources } from './importedDocumentResources.js';
import { amendmentResource } from './amendmentResources.js';

// A ChartExport as FHIR R4 (docs/export-format.md). The bundle is a `document`: a Composition
// first (title, subject, author, date, one section with narrative per exported category, the
// 42 CFR Part 2 notice as a section of its own), then every resource it points at. A document
// is what a release is: a signed-off, human-readable, self-contained snapshot whose narrative
// can be read without Casebook; a `collection` would carry the same resources with nothing
// saying what they are together.

export interface Bundle extends Resource {
  resourceType: 'Bundle';
  type: 'document';
  entry: { fullUrl: string; resource: Resource }[];
}

/** Resources that describe people and the practice, not the client's record: never labelled. */
const UNLABELLED = new Set(['Organization', 'Practitioner']);

/** Every resource of the chart, without the Bundle or Composition (the whole-practice NDJSON). */
export function chartResources(chart: ChartExport): Resource[] {
  return [...recordResources(chart), finish(chart, exportProvenance(chart, null))];
}

function finish(chart: ChartExport, r: Resource): Resource {
  return chart.part2Notice && !UNLABELLED.has(r.resourceType) ? label(r, PART2_LABELS) : r;
}

function recordResources(chart: ChartExport): Resource[] {
  const sessionIds = new Set(chart.sessions.map((s) => s.id));
  const versionIds = new Set(chart.planVersions.map((v) => v.id));
  const out: Resource[] = [patient(chart), organization(chart), ...chart.clinicians.map(practitioner)];
  for (const d of chart.diagnoses) out.push(condition(chart, d));
  chart.planVersions.forEach((v, i) =>
    out.push(...planResources(chart, v, chart.planVersions[i - 1] ?? null)),
  );
  for (const s of chart.sessions) out.push(encounter(chart, s));
  const background = backgroundResource(chart);
  if (background) out.push(background);
  for (const n of chart.notes) out.push(...noteResources(chart, n, sessionIds));
  for (const r of chart.goalRatings) out.push(goalRatingObservation(chart, r, versionIds));
  for (const m of chart.measures) out.push(...measureResources(chart, m, sessionIds));
  for (const a of chart.riskAlerts) out.push(riskAlertFlag(chart, a));
  for (const a of chart.annotations) out.push(annotationBasic(chart, a));
  for (const c of chart.consents) out.push(consentResource(chart, c));
  for (const p of chart.psychotherapyNotes) out.push(psychotherapyNoteResource(chart, p));
  for (const d of chart.importedDocuments) out.push(...importedDocumentResources(chart, d));
  for (const a of chart.amendments) out.push(amendmentResource(chart, a));
  return out.map((r) => finish(chart, r));
}

/** The chart as an R4 document Bundle; ids are Casebook's, so two exports of one record compare. */
export function chartBundle(chart: ChartExport): Bundle {
  const resources = recordResources(chart);
  const comp = finish(chart, composition(chart, resources));
  const prov = finish(chart, exportProvenance(chart, comp.id));
  const all = [comp, ...resources, prov];
  return {
    resourceType: 'Bundle',
    id: derivedId('Bundle', chart.client.id, chart.exportedAt),
    ...(chart.part2Notice ? { meta: { security: PART2_LABELS } } : {}),
    identifier: {
      system: namingSystem('export'),
      value: derivedId('Bundle', chart.client.id, chart.exportedAt),
    },
    type: 'document',
    timestamp: chart.exportedAt,
    entry: all.map((resource) => ({
      fullUrl: `${CASEBOOK_FHIR}/${resource.resourceType}/${resource.id}`,
      resource,
    })),
  };
}
