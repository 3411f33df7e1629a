import {
  carePlanShape,
  documentShape,
  goalShape,
  provenanceShape,
  type FhirDocument,
  type FhirProvenance,
} from './importShapes.js';
import { extValue, isPsychotherapyNote, parseAs, type Entry } from './importCommon.js';

// Another provider's notes, addenda and signed treatment plans: kept as read-only imported
// documents (our users cannot re-sign them), with the authorship and signature facts the
// source stated, and the source's own resources so that a re-export carries them unchanged.

const LOINC = 'http://loinc.org';

export interface ImportDocument {
  sourceId: string | null;
  kind: 'note' | 'addendum' | 'plan';
  /** The note an addendum appends (its source id). */
  parentSourceId: string | null;
  title: string;
  loincCode: string | null;
  serviceDate: string | null;
  authoredAt: string | null;
  authorName: string | null;
  signedAt: string | null;
  signerName: string | null;
  contentHash: string | null;
  text: string;
  /** The source's resources (the document, its goals, its signatures), people as names only. */
  resources: Record<string, unknown>[];
}

/** An instant when the dateTime has a time; a bare date or year is not one. */
export const instant = (s: string | undefined | null): string | null => {
  if (!s || !s.includes('T')) return null;
  const d = new Date(s);
  // PostgreSQL has no year 0 and refuses what JavaScript rolls over (2026-13-45): such a value is no instant.
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1 || !s.startsWith(d.toISOString().slice(0, 7))
    ? null
    : d.toISOString();
};

/** A YYYY-MM-DD day that exists on the calendar (not 2026-02-30, not year 0), else null. */
export const calendarDay = (s: string | null | undefined): string | null => {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s) || s < '0001-01-01') return null;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s ? s : null;
};

const decode = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : null);

/** XHTML narrative to plain text: paragraphs and list items on lines of their own. */
export function narrativeText(div: string): string {
  return div
    .replace(/<\/(p|li|h\d|div|tr)>|<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * A copy of a resource in which people and places outside the record are names only (their
 * resources are not imported), encounters are dropped, and the patient is left for the exporter.
 */
export function detach(resource: unknown, names: Map<string, string>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk).filter((x) => x !== undefined);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.reference === 'string') {
      const [type] = o.reference.split('/');
      // Conditions are imported as the new record's own diagnoses, with ids of their own.
      if (
        type === 'Practitioner' ||
        type === 'Organization' ||
        type === 'PractitionerRole' ||
        type === 'Condition'
      )
        return { display: names.get(o.reference) ?? (typeof o.display === 'string' ? o.display : type) };
      if (type === 'Encounter') return undefined;
    }
    return Object.fromEntries(
      Object.entries(o)
        .map(([k, x]) => [k, walk(x)] as const)
        .filter(([, x]) => x !== undefined && !(Array.isArray(x) && x.length === 0)),
    );
  };
  return walk(resource) as Record<string, unknown>;
}

function signatureOf(provs: FhirProvenance[], names: Map<string, string>) {
  const sig = provs.flatMap((p) => p.signature ?? [])[0];
  if (!sig) return { signedAt: null, signerName: null, hash: null };
  const who = sig.who.display ?? (sig.who.reference ? names.get(sig.who.reference) : undefined) ?? null;
  const h = extValue(sig.extension, 'content-hash');
  return { signedAt: instant(sig.when), signerName: who, hash: typeof h === 'string' ? h : null };
}

const hashHex = (v: unknown) => {
  const m = typeof v === 'string' ? /^(?:sha256:)?([0-9a-f]{64})$/.exec(v) : null;
  return m?.[1] ?? null;
};

/** Observations made from a document (e.g. goal ratings given in a note) travel with it. */
function derivedFrom(entries: Entry[], reference: string, consumed: Set<number>): Entry[] {
  return entries.filter((r, i) => {
    const from = (r as { derivedFrom?: unknown }).derivedFrom;
    const hit =
      r.resourceType === 'Observation' &&
      Array.isArray(from) &&
      from.some((x) => (x as { reference?: unknown } | null)?.reference === reference);
    if (hit) consumed.add(i);
    return hit;
  });
}

export function readDocuments(
  entries: Entry[],
  names: Map<string, string>,
  consumed: Set<number>,
  refused: string[],
  warnings: string[],
): ImportDocument[] {
  const provenanceFor = new Map<string, { i: number; p: FhirProvenance }[]>();
  entries.forEach((r, i) => {
    if (r.resourceType !== 'Provenance') return;
    const p = parseAs(provenanceShape, r, `bundle.entry.${i}.resource`);
    for (const t of p.target)
      if (t.reference) provenanceFor.set(t.reference, [...(provenanceFor.get(t.reference) ?? []), { i, p }]);
  });
  const goals = new Map<string, { i: number; r: Entry }>();
  entries.forEach((r, i) => {
    if (r.resourceType === 'Goal' && r.id) goals.set(`Goal/${r.id}`, { i, r });
  });
  const docs: ImportDocument[] = [];
  const provsOf = (type: string, id: string | undefined) => {
    const list = id ? (provenanceFor.get(`${type}/${id}`) ?? []) : [];
    list.forEach((x) => consumed.add(x.i));
    return list;
  };

  entries.forEach((r, i) => {
    if (r.resourceType !== 'DocumentReference') return;
    consumed.add(i);
    if (isPsychotherapyNote(r)) {
      refused.push(`DocumentReference ${r.id ?? i}: labelled psychotherapy note (PSYTHPN); not imported`);
      return;
    }
    const d: FhirDocument = parseAs(documentShape, r, `bundle.entry.${i}.resource`);
    const provs = provsOf('DocumentReference', d.id);
    const sig = signatureOf(
      provs.map((x) => x.p),
      names,
    );
    const textAttachment = d.content.find((c) => (c.attachment.contentType ?? '').startsWith('text/plain'));
    let text = decode(textAttachment?.attachment.data);
    if (text === null) {
      warnings.push(
        `Document "${d.description ?? d.id ?? i}" has no plain-text content; only its description was kept`,
      );
      text = d.description ?? '(no readable text in the source)';
    }
    const appends = d.relatesTo?.find((x) => x.code === 'appends')?.target.reference;
    const author = d.author?.[0];
    const dos = extValue(d.extension, 'date-of-service');
    docs.push({
      sourceId: d.id ?? null,
      kind: appends?.startsWith('DocumentReference/') ? 'addendum' : 'note',
      parentSourceId: appends?.startsWith('DocumentReference/')
        ? appends.slice('DocumentReference/'.length)
        : null,
      title: (d.description ?? d.type?.text ?? 'Document').slice(0, 200),
      loincCode: d.type?.coding?.find((c) => c.system === LOINC)?.code ?? null,
      serviceDate: calendarDay(
        typeof dos === 'string' ? dos : (d.context?.period?.start ?? d.date ?? '').slice(0, 10),
      ),
      authoredAt: instant(d.date),
      authorName: author?.display ?? (author?.reference ? (names.get(author.reference) ?? null) : null),
      signedAt: sig.signedAt,
      signerName: sig.signerName,
      contentHash: hashHex(extValue(d.extension, 'content-hash')) ?? hashHex(sig.hash),
      text,
      resources: [
        detach(r, names),
        ...provs.map((x) => detach(entries[x.i], names)),
        ...derivedFrom(entries, `DocumentReference/${d.id ?? ''}`, consumed).map((o) => detach(o, names)),
      ],
    });
  });

  entries.forEach((r, i) => {
    if (r.resourceType !== 'CarePlan') return;
    consumed.add(i);
    const c = parseAs(carePlanShape, r, `bundle.entry.${i}.resource`);
    const provs = provsOf('CarePlan', c.id);
    const sig = signatureOf(
      provs.map((x) => x.p),
      names,
    );
    const planGoals = (c.goal ?? []).flatMap((g) => {
      const found = g.reference ? goals.get(g.reference) : undefined;
      if (!found) return [];
      consumed.add(found.i);
      return [{ i: found.i, goal: parseAs(goalShape, found.r, `bundle.entry.${found.i}.resource`) }];
    });
    const narrative = c.text ? narrativeText(c.text.div) : '';
    const goalLines = planGoals.map(
      (g) => `• ${g.goal.description.text ?? g.goal.description.coding?.[0]?.display ?? ''}`,
    );
    const text = [narrative || c.description || '', narrative ? '' : goalLines.join('\n')]
      .filter(Boolean)
      .join('\n\n');
    docs.push({
      sourceId: c.id ?? null,
      kind: 'plan',
      parentSourceId: null,
      title: (c.title ?? 'Treatment plan').slice(0, 200),
      loincCode: null,
      serviceDate: calendarDay((sig.signedAt ?? c.created ?? '').slice(0, 10)),
      authoredAt: instant(c.created) ?? sig.signedAt,
      authorName: sig.signerName,
      signedAt: sig.signedAt,
      signerName: sig.signerName,
      contentHash: hashHex(sig.hash),
      text: text || '(no readable text in the source)',
      resources: [
        detach(r, names),
        ...planGoals.map((g) => detach(entries[g.i], names)),
        ...provs.map((x) => detach(entries[x.i], names)),
      ],
    });
  });
  // Notes before their addenda, so an addendum's note already exists when it is written.
  return docs.sort((a, b) => Number(a.kind === 'addendum') - Number(b.kind === 'addendum'));
}
