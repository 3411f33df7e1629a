import type { ChartExport, ChartImportedDocument } from '../../services/chartExport/chartExportTypes.js';
import { base64, concept, ext, prune, ref, type Resource } from './fhirCommon.js';

// Documents imported from another system are re-emitted as the source wrote them (their own
// DocumentReference / CarePlan, goals and signature Provenance, people named by display only),
// now about this client and marked with where they came from. One imported without its
// resources (none today) is written as a plain DocumentReference from the stored facts.

function aboutThisClient(value: unknown, patientId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => aboutThisClient(v, patientId));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.reference === 'string' && o.reference.startsWith('Patient/'))
    return { ...o, reference: `Patient/${patientId}` };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, aboutThisClient(v, patientId)]));
}

export function importedDocumentResources(chart: ChartExport, d: ChartImportedDocument): Resource[] {
  const origin = { url: ext('imported-from'), valueString: d.source ?? 'another system' };
  const kept = (d.fhirResources ?? []).filter(
    (r): r is Resource => typeof r.resourceType === 'string' && typeof r.id === 'string',
  );
  if (kept.length > 0)
    return kept.map((r, i) => {
      const out = aboutThisClient(r, chart.client.id) as Resource;
      if (i > 0) return out;
      const exts = Array.isArray(out.extension) ? (out.extension as { url: string }[]) : [];
      return { ...out, extension: [...exts.filter((e) => e.url !== origin.url), origin] };
    });
  return [
    prune({
      resourceType: 'DocumentReference',
      id: d.id,
      status: 'current',
      docStatus: 'final',
      type: concept('http://loinc.org', '11506-3', 'Progress note'),
      subject: ref('Patient', chart.client.id),
      date: d.signedAt ?? d.authoredAt ?? undefined,
      author: d.authorName ? [{ display: d.authorName }] : [],
      relatesTo: d.appendsId ? [{ code: 'appends', target: ref('DocumentReference', d.appendsId) }] : [],
      description: d.title,
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: base64(d.text ?? ''),
            title: d.title,
          },
        },
      ],
      extension: [origin, d.date ? { url: ext('date-of-service'), valueDate: d.date } : null],
    }),
  ];
}
