import type { ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { RELEASE_CATEGORY_LABELS } from '../../domain/releaseScope.js';
import {
  codeSystem,
  concept,
  CONFIDENTIALITY,
  derivedId,
  ext,
  LOINC,
  narrative,
  prune,
  ref,
  type CodeableConcept,
  type Resource,
} from './fhirCommon.js';
import { isAmendmentDocument } from './amendmentResources.js';

// The Composition that heads the document Bundle: what the export is, whose, by whom, for what,
// and one section per part with a short narrative and the entries it holds.

interface SectionDef {
  title: string;
  code: CodeableConcept;
  types: string[];
  /** Only these resources of the types (e.g. DocumentReferences split by kind). */
  filter?: (r: Resource) => boolean;
  summary: (rs: Resource[]) => string[];
}

const our = (code: string, display: string) => concept(codeSystem('document-section'), code, display);
const isPsychotherapy = (r: Resource) => (r.meta?.security ?? []).some((s) => s.code === 'PSYTHPN');

export function composition(chart: ChartExport, resources: Resource[]): Resource {
  const c = chart.client;
  const d = (t: string) => resources.filter((r) => r.resourceType === t);
  const defs: SectionDef[] = [
    {
      title: 'Client',
      code: our('demographics', 'Demographics'),
      types: ['Patient'],
      summary: () => [
        `${c.legalFirstName} ${c.legalLastName}, born ${c.dateOfBirth}, record number ${c.clientCode}.`,
        c.demographicsIncluded
          ? ''
          : 'Demographics are not part of this export; only the identifying fields are.',
      ],
    },
    {
      title: 'Problem list',
      code: concept(LOINC, '11450-4', 'Problem list - Reported'),
      types: ['Condition'],
      summary: () =>
        chart.diagnoses.map((x) => `${x.code} ${x.description} (${x.rank}, ${x.status.replace(/_/g, ' ')})`),
    },
    {
      title: 'Treatment plan',
      code: concept(LOINC, '18776-5', 'Plan of care note'),
      types: ['CarePlan', 'Goal'],
      summary: () =>
        chart.planVersions.map(
          (v) =>
            `Version ${v.versionNo}, signed ${v.signature.signedAt.slice(0, 10)} by ${v.signature.name}${v.current ? ' (current)' : ''}`,
        ),
    },
    {
      title: 'Sessions',
      code: our('encounters', 'Sessions'),
      types: ['Encounter'],
      summary: (rs) => [`${rs.length} session(s).`],
    },
    {
      title: 'Progress notes',
      code: our('notes', 'Notes'),
      types: ['DocumentReference'],
      filter: (r) => !isPsychotherapy(r) && !isAmendmentDocument(r),
      summary: () =>
        chart.notes.map(
          (n) =>
            `${n.dateOfService}: ${n.templateName}${n.signature ? `, signed by ${n.signature.name}` : ''}${n.addenda.length > 0 ? ` (${n.addenda.length} addendum/addenda)` : ''}`,
        ),
    },
    {
      title: 'Amendment requests',
      code: our('amendments', 'Amendment requests'),
      types: ['DocumentReference'],
      filter: isAmendmentDocument,
      summary: () =>
        chart.amendments.map(
          (a) =>
            `${a.receivedOn}: ${a.target.label}, ${a.status}${a.statements.length > 0 ? ` (${a.statements.length} statement(s))` : ''}`,
        ),
    },
    {
      title: 'Outcome measures',
      code: our('measures', 'Outcome measures'),
      types: ['Observation', 'QuestionnaireResponse', 'Flag', 'Basic'],
      summary: () =>
        chart.measures.map(
          (m) => `${m.date}: ${m.instrument.toUpperCase()} total ${m.total} (${m.bandLabel})`,
        ),
    },
    {
      title: 'Consents and authorizations',
      code: our('consents', 'Consents'),
      types: ['Consent'],
      summary: () => chart.consents.map((x) => `${x.title}, signed ${x.signedOn ?? 'n/a'} (${x.status})`),
    },
    {
      title: 'Psychotherapy notes',
      code: our('psychotherapy-notes', 'Psychotherapy notes'),
      types: ['DocumentReference'],
      filter: isPsychotherapy,
      summary: (rs) => [
        `${rs.length} psychotherapy note(s), released under a psychotherapy-note authorization.`,
      ],
    },
  ];
  const sections: object[] = [];
  if (chart.part2Notice)
    sections.push({
      title: '42 CFR Part 2 notice',
      code: our('part2-notice', 'Part 2 redisclosure notice'),
      text: narrative([{ p: [chart.part2Notice] }]),
    });
  for (const s of defs) {
    const rs = s.types.flatMap(d).filter(s.filter ?? (() => true));
    if (rs.length === 0) continue;
    sections.push({
      title: s.title,
      code: s.code,
      text: narrative([{ li: s.summary(rs).filter((x) => x) }]),
      entry: rs.map((r) => ref(r.resourceType, r.id)),
    });
  }
  const scope = chart.scope;
  const restricted = chart.part2Notice !== null || chart.psychotherapyNotes.length > 0;
  const author = chart.exportedBy.userId;
  return prune({
    resourceType: 'Composition',
    id: derivedId('Composition', chart.client.id, chart.exportedAt),
    status: 'final',
    type: concept(LOINC, '34133-9', 'Summary of episode note'),
    subject: ref('Patient', c.id),
    date: chart.exportedAt,
    author: [ref('Practitioner', author)],
    title: `Clinical record of ${c.legalFirstName} ${c.legalLastName}`,
    confidentiality: restricted ? 'R' : 'N',
    custodian: ref('Organization', chart.practice.id),
    section: sections,
    extension: [
      { url: ext('export-purpose'), valueCode: scope.purpose },
      ...scope.categories.map((k) => ({
        url: ext('export-category'),
        valueCoding: { system: codeSystem('release-category'), code: k, display: RELEASE_CATEGORY_LABELS[k] },
      })),
    ],
    meta: restricted ? { security: [{ system: CONFIDENTIALITY, code: 'R' }] } : undefined,
  });
}
