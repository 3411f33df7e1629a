import type { ChartAmendment, ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { base64, codeSystem, concept, ext, prune, ref, type Reference, type Resource } from './fhirCommon.js';

// Amendment requests (45 CFR 164.526) as DocumentReferences that travel with the disputed record:
// the request, the decision, the client's statement of disagreement and any rebuttal, as readable
// text. A note's `appends` the note's DocumentReference (as an addendum does); one about the plan,
// a diagnosis or the demographics names that resource in context.related. No LOINC code fits, so
// the type is text only, and a Casebook category tells them apart from notes.

export const AMENDMENT_TYPE_TEXT = 'Amendment request';
const CATEGORY = concept(codeSystem('document-kind'), 'amendment-request', AMENDMENT_TYPE_TEXT);

export const isAmendmentDocument = (r: Resource) =>
  r.resourceType === 'DocumentReference' &&
  ((r.category as { coding?: { code?: string }[] }[] | undefined) ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.code === 'amendment-request'),
  );

const STATUS: Record<ChartAmendment['status'], string> = {
  open: 'Open (not yet decided)',
  accepted: 'Accepted',
  denied: 'Denied',
};

/** The request, decision and statements as plain text, readable without Casebook. */
export function amendmentText(a: ChartAmendment): string {
  const lines = [
    `Request to amend: ${a.target.label}`,
    `Received: ${a.receivedOn}`,
    `Requested change: ${a.requestedChange}`,
    `Reason given: ${a.reason}`,
    `Status: ${STATUS[a.status]}${a.decidedOn ? ` on ${a.decidedOn}` : ''}${a.decidedBy ? ` by ${a.decidedBy}` : ''}`,
  ];
  const d = a.decision;
  if (d?.kind === 'accepted' && d.correction) lines.push(`Correction made: ${d.correction}`);
  if (d?.kind === 'accepted' && d.addendumId) lines.push('Made as a signed addendum to the note.');
  if (d?.kind === 'denied') lines.push(`Denied because: ${d.basisLabel}`, `Denial letter: ${d.text}`);
  for (const s of a.statements)
    lines.push(
      `${s.kind === 'disagreement' ? 'Statement of disagreement (client)' : 'Rebuttal (practice)'}, received ${s.receivedOn}, recorded by ${s.recordedBy}: ${s.text}`,
    );
  return lines.join('\n');
}

/** What the request is about, when the export carries it. */
function disputed(chart: ChartExport, a: ChartAmendment): Reference | null {
  const t = a.target;
  if (t.kind === 'demographics') return ref('Patient', chart.client.id);
  if (t.kind === 'diagnosis' && chart.diagnoses.some((d) => d.id === t.id))
    return ref('Condition', t.id ?? '', t.label);
  if (t.kind === 'plan') {
    const v = [...chart.planVersions].reverse().find((x) => x.planId === t.id);
    return v ? ref('CarePlan', v.id, t.label) : null;
  }
  return null;
}

export function amendmentResource(chart: ChartExport, a: ChartAmendment): Resource {
  const onNote = a.target.kind === 'note' && chart.notes.some((n) => n.id === a.target.id);
  const related = onNote ? null : disputed(chart, a);
  const title = `${AMENDMENT_TYPE_TEXT}: ${a.target.label}`;
  const last = a.statements.at(-1)?.recordedAt;
  return prune({
    resourceType: 'DocumentReference',
    id: a.id,
    status: 'current',
    type: { text: AMENDMENT_TYPE_TEXT },
    category: [CATEGORY],
    subject: ref('Patient', chart.client.id),
    date: last,
    custodian: ref('Organization', chart.practice.id),
    relatesTo: onNote ? [{ code: 'appends', target: ref('DocumentReference', a.target.id ?? '') }] : [],
    description: `${title} (${a.status})`,
    content: [
      { attachment: { contentType: 'text/plain; charset=utf-8', data: base64(amendmentText(a)), title } },
    ],
    context: {
      period: { start: a.receivedOn, end: a.decidedOn ?? undefined },
      related: related ? [related] : [],
    },
    extension: [
      { url: ext('amendment-status'), valueCode: a.status },
      a.decision?.kind === 'denied'
        ? { url: ext('amendment-denial-basis'), valueCode: a.decision.basis }
        : null,
    ],
  });
}
