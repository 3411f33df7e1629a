import type {
  ChartAddendum,
  ChartExport,
  ChartNote,
  ChartPsychotherapyNote,
} from '../../services/chartExport/chartExportTypes.js';
import {
  base64,
  codeSystem,
  concept,
  derivedId,
  ext,
  label,
  LOINC,
  prune,
  PSYCHOTHERAPY_LABELS,
  ref,
  type CodeableConcept,
  type Resource,
} from './fhirCommon.js';
import { signatureProvenance } from './provenance.js';

// Notes as DocumentReference: two attachments each, the readable text (text/plain) and the
// structured fields exactly as stored (application/json), so a re-import loses nothing.
// Addenda are DocumentReferences that `appends` the note; signatures are Provenance.

const US_CORE_DOC_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';

const KIND_LOINC: Record<ChartNote['kind'], [string, string]> = {
  progress: ['11506-3', 'Progress note'],
  intake: ['34117-2', 'History and physical note'],
  plan_review: ['11506-3', 'Progress note'],
  contact: ['11506-3', 'Progress note'],
  crisis: ['11506-3', 'Progress note'],
  discharge: ['18842-5', 'Discharge summary'],
};

const KIND_LABEL: Record<ChartNote['kind'], string> = {
  progress: 'Progress note',
  intake: 'Intake assessment',
  plan_review: 'Treatment plan review',
  contact: 'Contact note',
  crisis: 'Crisis note',
  discharge: 'Discharge summary',
};

export const NOTE_JSON_TYPE = 'application/json';

function noteType(kind: ChartNote['kind']): CodeableConcept {
  const [code, display] = KIND_LOINC[kind];
  return {
    coding: [
      { system: LOINC, code, display },
      { system: codeSystem('note-kind'), code: kind, display: KIND_LABEL[kind] },
    ],
    text: KIND_LABEL[kind],
  };
}

const clinicalNote = concept(US_CORE_DOC_CATEGORY, 'clinical-note', 'Clinical Note');

function attachments(text: string, json: unknown, title: string, creation: string | undefined): object[] {
  return [
    { attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text), title, creation } },
    { attachment: { contentType: NOTE_JSON_TYPE, data: base64(JSON.stringify(json)), title, creation } },
  ];
}

export function noteResources(chart: ChartExport, n: ChartNote, sessionIds: Set<string>): Resource[] {
  const signedAt = n.signature?.signedAt;
  const facts = n.sessionFacts as { start?: string | null; end?: string | null };
  const title = `${KIND_LABEL[n.kind]}, ${n.dateOfService}`;
  const structured = {
    kind: n.kind,
    format: n.format,
    templateKey: n.templateKey,
    templateVersion: n.templateVersion,
    templateName: n.templateName,
    dateOfService: n.dateOfService,
    sessionFacts: n.sessionFacts,
    diagnosisCodes: n.diagnosisCodes,
    content: n.content,
    sections: n.sections,
    lateEntry: n.lateEntry,
  };
  const doc = prune({
    resourceType: 'DocumentReference',
    id: n.id,
    status: 'current',
    docStatus: n.status === 'signed' ? 'final' : 'preliminary',
    type: noteType(n.kind),
    category: [clinicalNote],
    subject: ref('Patient', chart.client.id),
    date: signedAt,
    author: [ref('Practitioner', n.authorId)],
    authenticator: n.signature ? ref('Practitioner', n.signature.userId) : undefined,
    custodian: ref('Organization', chart.practice.id),
    description: title,
    content: attachments(n.text, structured, title, signedAt),
    context: {
      encounter: n.sessionId && sessionIds.has(n.sessionId) ? [ref('Encounter', n.sessionId)] : [],
      period: facts.start ? { start: facts.start, end: facts.end ?? undefined } : undefined,
    },
    extension: [
      { url: ext('date-of-service'), valueDate: n.dateOfService },
      n.format ? { url: ext('note-format'), valueCode: n.format } : null,
      n.contentHash ? { url: ext('content-hash'), valueString: `sha256:${n.contentHash}` } : null,
      n.lateEntry ? { url: ext('late-entry'), valueBoolean: true } : null,
      n.requiresCosign ? { url: ext('requires-cosignature'), valueBoolean: true } : null,
      ...n.diagnosisCodes.map((c) => ({
        url: ext('note-diagnosis'),
        valueCoding: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: c },
      })),
    ],
  });
  const out: Resource[] = [doc];
  if (n.signature)
    out.push(
      signatureProvenance({
        id: derivedId('Provenance', 'DocumentReference', n.id),
        target: ref('DocumentReference', n.id),
        recorded: n.cosignature?.signedAt ?? n.signature.signedAt,
        author: n.signature,
        authorHash: n.contentHash,
        cosigner: n.cosignature,
      }),
    );
  for (const a of n.addenda) out.push(...addendumResources(chart, n, a));
  return out;
}

function addendumResources(chart: ChartExport, n: ChartNote, a: ChartAddendum): Resource[] {
  const title = `Addendum to ${KIND_LABEL[n.kind].toLowerCase()} of ${n.dateOfService}`;
  const text = `Reason: ${a.reason}\n\n${a.text}`;
  const doc = prune({
    resourceType: 'DocumentReference',
    id: a.id,
    status: 'current',
    docStatus: 'amended',
    type: noteType(n.kind),
    category: [clinicalNote],
    subject: ref('Patient', chart.client.id),
    date: a.signature.signedAt,
    author: [ref('Practitioner', a.signature.userId)],
    authenticator: ref('Practitioner', a.signature.userId),
    custodian: ref('Organization', chart.practice.id),
    relatesTo: [{ code: 'appends', target: ref('DocumentReference', n.id) }],
    description: title,
    content: attachments(text, { reason: a.reason, text: a.text }, title, a.signature.signedAt),
    context: {
      encounter:
        n.sessionId && chart.sessions.some((s) => s.id === n.sessionId)
          ? [ref('Encounter', n.sessionId)]
          : [],
    },
    extension: [{ url: ext('content-hash'), valueString: `sha256:${a.contentHash}` }],
  });
  const prov = signatureProvenance({
    id: derivedId('Provenance', 'DocumentReference', a.id),
    target: ref('DocumentReference', a.id),
    recorded: a.signature.signedAt,
    author: a.signature,
    authorHash: a.contentHash,
    cosigner: null,
  });
  return [doc, prov];
}

/**
 * A psychotherapy note, exported only under a psychotherapy-note authorization by its author
 * (the loader never loads one otherwise): labelled PSYTHPN + R, no LOINC type.
 */
export function psychotherapyNoteResource(chart: ChartExport, p: ChartPsychotherapyNote): Resource {
  const title = `Psychotherapy note, ${p.dateOfService}`;
  return label(
    prune({
      resourceType: 'DocumentReference',
      id: p.id,
      status: 'current',
      docStatus: 'final',
      type: concept(codeSystem('note-kind'), 'psychotherapy', 'Psychotherapy note'),
      subject: ref('Patient', chart.client.id),
      date: p.updatedAt,
      author: [ref('Practitioner', p.authorId)],
      custodian: ref('Organization', chart.practice.id),
      description: title,
      content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(p.text), title } }],
      context: {
        encounter:
          p.sessionId && chart.sessions.some((s) => s.id === p.sessionId)
            ? [ref('Encounter', p.sessionId)]
            : [],
      },
      extension: [{ url: ext('date-of-service'), valueDate: p.dateOfService }],
    }),
    PSYCHOTHERAPY_LABELS,
  );
}

const BACKGROUND_LABELS: [keyof NonNullable<ChartExport['background']>, string][] = [
  ['presentingConcerns', 'Presenting concerns'],
  ['medicalHistory', 'Medical history'],
  ['medications', 'Medications'],
  ['allergies', 'Allergies'],
  ['priorTherapy', 'Prior therapy'],
  ['psychiatricHistory', 'Psychiatric history'],
  ['familySocialHistory', 'Family and social history'],
  ['substanceUse', 'Substance use'],
];

/** The client's background history as one document. */
export function backgroundResource(chart: ChartExport): Resource | null {
  const b = chart.background;
  if (!b) return null;
  const parts = BACKGROUND_LABELS.filter(([k]) => b[k]).map(([k, l]) => `${l}:\n${b[k] ?? ''}`);
  if (parts.length === 0) return null;
  const fields = Object.fromEntries(BACKGROUND_LABELS.map(([k]) => [k, b[k]]));
  const title = 'Background history';
  return prune({
    resourceType: 'DocumentReference',
    id: derivedId('DocumentReference', 'background', chart.client.id),
    status: 'current',
    docStatus: 'final',
    type: concept(codeSystem('note-kind'), 'background', title),
    category: [clinicalNote],
    subject: ref('Patient', chart.client.id),
    date: b.updatedAt,
    custodian: ref('Organization', chart.practice.id),
    description: title,
    content: attachments(parts.join('\n\n'), fields, title, b.updatedAt),
  });
}
