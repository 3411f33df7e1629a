import type { ChartAmendment, ChartExport, ChartNote } from '../../services/chartExport/chartExportTypes.js';
import { AMENDMENT_TARGET_CATEGORY } from '../../domain/recordRequests.js';
import type { ChartWriter } from './chartWriter.js';
import { inScope } from './chartFormat.js';

// Amendment requests (45 CFR 164.526) print with the disputed record: a note's right after the
// note and its addenda; the plan's, a diagnosis's and the demographics' in a short section.

const STATUS: Record<ChartAmendment['status'], string> = {
  open: 'Open — not yet decided',
  accepted: 'Accepted',
  denied: 'Denied',
};

function writeAmendment(w: ChartWriter, a: ChartAmendment, title: string): void {
  w.heading(title, 10.5, 3);
  w.fact('Received', a.receivedOn);
  w.field('Change requested', a.requestedChange);
  w.field('Reason given', a.reason);
  const decided = [a.decidedOn ? `on ${a.decidedOn}` : null, a.decidedBy ? `by ${a.decidedBy}` : null]
    .filter((x): x is string => x !== null)
    .join(' ');
  w.fact('Decision', `${STATUS[a.status]}${decided ? ` ${decided}` : ''}`);
  const d = a.decision;
  if (d?.kind === 'accepted') {
    if (d.addendumId) w.muted('Made as a signed addendum to the note (printed above).');
    if (d.correction) w.field('Correction made', d.correction);
  }
  if (d?.kind === 'denied') {
    w.fact('Ground for denial', d.basisLabel);
    w.field('Denial letter', d.text);
  }
  for (const s of a.statements) {
    const who = s.kind === 'disagreement' ? "Client's statement of disagreement" : "Practice's rebuttal";
    w.field(`${who} (received ${s.receivedOn})`, s.text);
    w.muted(`Recorded by ${s.recordedBy}.`);
    w.gap(0.3);
  }
  w.gap(0.6);
}

/** The note's amendment requests, after its addenda. */
export function writeNoteAmendments(w: ChartWriter, chart: ChartExport, note: ChartNote): void {
  const mine = chart.amendments.filter((a) => a.target.kind === 'note' && a.target.id === note.id);
  mine.forEach((a, i) =>
    writeAmendment(
      w,
      a,
      `Amendment request ${mine.length > 1 ? `${i + 1} ` : ''}about the note of ${note.dateOfService}`,
    ),
  );
}

/** Amendment requests about anything but a note (which print with their note), of what the scope covers. */
export const recordAmendments = (chart: ChartExport) =>
  chart.amendments.filter(
    (a) => a.target.kind !== 'note' && inScope(chart, AMENDMENT_TARGET_CATEGORY[a.target.kind]),
  );

export function writeAmendmentRequests(w: ChartWriter, chart: ChartExport): void {
  w.body(
    'Requests to amend the record (45 CFR 164.526), with the decision and any statement of disagreement; those about a note are printed with the note.',
  );
  w.gap(0.6);
  for (const a of recordAmendments(chart)) writeAmendment(w, a, `About: ${a.target.label}`);
}
