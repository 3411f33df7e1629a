import {
  AMENDMENT_TARGET_LABELS,
  DENIAL_BASIS_LABELS,
  type AmendmentTarget,
  type DenialBasis,
  type StatementKind,
} from '../../domain/recordRequests.js';
import type { AmendmentView } from '../recordRequestViews.js';
import type { ChartDiagnosis, ChartNote, ChartPlanVersion } from './chartExportTypes.js';

// Amendment requests as a chart export carries them (45 CFR 164.526(c)(3), (d)(4)): the request,
// the decision, the client's statements of disagreement and the practice's rebuttals travel with
// the disputed record. The loader picks them with amendmentsForExport (amendmentService.ts).

/** A request to amend the record, as it travels with the disputed record. */
export interface ChartAmendment {
  id: string;
  /** The disputed record: a note, the treatment plan, a diagnosis or the demographics (id null). */
  target: { kind: AmendmentTarget; id: string | null; label: string };
  receivedOn: string;
  requestedChange: string;
  reason: string;
  status: 'open' | 'accepted' | 'denied';
  /** Accepted: the note's addendum or the correction made to another record; denied: ground and letter. */
  decision:
    | { kind: 'accepted'; addendumId: string | null; correction: string | null }
    | { kind: 'denied'; basis: DenialBasis; basisLabel: string; text: string }
    | null;
  /** Names as recorded. */
  decidedBy: string | null;
  decidedOn: string | null;
  statements: {
    id: string;
    kind: StatementKind;
    text: string;
    receivedOn: string;
    recordedAt: string;
    recordedBy: string;
  }[];
}

/** What the export calls the disputed record ("Progress note, 2026-03-02", "F41.1 Generalized ..."). */
function targetLabel(
  t: AmendmentView['target'],
  notes: ChartNote[],
  diagnoses: ChartDiagnosis[],
  plans: ChartPlanVersion[],
): string {
  const base = AMENDMENT_TARGET_LABELS[t.kind];
  if (t.kind === 'note') {
    const n = notes.find((x) => x.id === t.id);
    return n ? `${n.templateName}, ${n.dateOfService}` : base;
  }
  if (t.kind === 'diagnosis') {
    const d = diagnoses.find((x) => x.id === t.id);
    return d ? `Diagnosis ${d.code} ${d.description}` : base;
  }
  if (t.kind === 'plan') {
    const v = [...plans].reverse().find((x) => x.planId === t.id);
    return v ? `${base} (version ${v.versionNo})` : base;
  }
  return base;
}

/** Oldest first, like the rest of the chart. */
export function amendmentParts(
  views: AmendmentView[],
  parts: { notes: ChartNote[]; diagnoses: ChartDiagnosis[]; planVersions: ChartPlanVersion[] },
): ChartAmendment[] {
  return [...views]
    .sort((a, b) =>
      a.receivedOn === b.receivedOn ? a.id.localeCompare(b.id) : a.receivedOn < b.receivedOn ? -1 : 1,
    )
    .map((a) => ({
      id: a.id,
      target: {
        kind: a.target.kind,
        id: a.target.id,
        label: targetLabel(a.target, parts.notes, parts.diagnoses, parts.planVersions),
      },
      receivedOn: a.receivedOn,
      requestedChange: a.change,
      reason: a.reason,
      status: a.status,
      decision:
        a.status === 'accepted'
          ? { kind: 'accepted', addendumId: a.addendumId, correction: a.correction }
          : a.status === 'denied' && a.denialBasis
            ? {
                kind: 'denied',
                basis: a.denialBasis,
                basisLabel: DENIAL_BASIS_LABELS[a.denialBasis],
                text: a.denialText ?? '',
              }
            : null,
      decidedBy: a.decidedBy,
      decidedOn: a.decidedOn,
      statements: a.statements.map((s) => ({
        id: s.id,
        kind: s.kind,
        text: s.text,
        receivedOn: s.receivedOn,
        recordedAt: s.recordedAt,
        recordedBy: s.recordedBy,
      })),
    }));
}
