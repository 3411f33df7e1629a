import type { TreatmentPlanView } from '../../api/treatmentPlanApi.js';

/** What the plan screen shows; write controls only when the server says this reader may write. */
export interface PlanScreenParts {
  /** The open draft in the editor (autosaving). */
  editor: boolean;
  /** Above the editor: the signed version still in force, which can be opened read-only. */
  signedBanner: boolean;
  /** The signed version as the page itself (no draft, or a reader who cannot edit). */
  signedView: boolean;
  revise: boolean;
  acknowledge: boolean;
  /** "Start a treatment plan" when there is none. */
  start: boolean;
  /** A reader who cannot edit is told a new version is being drafted (its text is not shown). */
  draftInProgress: boolean;
  /** Nothing signed and nothing this reader can open. */
  empty: boolean;
}

export function planScreenParts(
  plan: Pick<TreatmentPlanView, 'canEdit' | 'current' | 'draft'>,
): PlanScreenParts {
  const { canEdit } = plan;
  const hasCurrent = plan.current !== null;
  const hasDraft = plan.draft !== null;
  const editor = canEdit && hasDraft;
  return {
    editor,
    signedBanner: editor && hasCurrent,
    signedView: hasCurrent && !editor,
    revise: canEdit && hasCurrent && !hasDraft,
    acknowledge: canEdit && hasCurrent && !editor,
    start: canEdit && !hasCurrent && !hasDraft,
    draftInProgress: !canEdit && hasDraft,
    empty: !hasCurrent && !editor,
  };
}
