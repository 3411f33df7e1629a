import { useCallback, useMemo, useRef, useState } from 'react';
import type { PlanContent, ServicePlan } from '../../../../src/domain/treatmentPlan.js';
import type { Reauth } from '../../api/notesApi.js';
import {
  treatmentPlanApi,
  type DiagnosisOption,
  type PlanClinician,
  type PlanFindingView,
  type PlanVersionView,
} from '../../api/treatmentPlanApi.js';
import { toApiError } from '../../api/http.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { ConfirmDialog } from '../noteEditor/ConfirmDialog.js';
import { AutosaveStatus } from '../noteEditor/AutosaveStatus.js';
import type { SaveOutcome } from '../noteEditor/autosaveController.js';
import { ConflictNotice } from '../noteEditor/ConflictNotice.js';
import { useAutosave } from '../noteEditor/useAutosave.js';
import { SignDialog } from '../noteEditor/SignDialog.js';
import { AddButton } from './GoalPartsEditor.js';
import { GoalEditor } from './GoalEditor.js';
import { PlanCheckPanel } from './PlanCheckPanel.js';
import { PlanDetailsEditor } from './PlanDetailsEditor.js';
import { ProblemsEditor } from './ProblemsEditor.js';
import { moveItem, newGoal, removeAt, replaceAt, sameContent, unsavedTexts } from './planDraft.js';
import { ADD_GOAL, contentErrors, findingErrors } from './planFindings.js';

type ServiceTypeOption = { value: NonNullable<ServicePlan['sessionType']>; label: string };

/**
 * The open draft of a plan. It saves itself like the note editor (a few seconds after a change,
 * on leaving a field, when the page is hidden or left), each time with the version read as
 * If-Match; a save refused because someone else saved first stops autosave and never merges.
 * Checking and signing first store what is typed; signing asks for the password only when the
 * check finds nothing.
 */
export function PlanEditor({
  initial,
  clinicians,
  diagnoses,
  serviceTypes,
  defaultClinicianId,
  mfaEnabled,
  timeZone,
  onSigned,
  onReplace,
  onDiscarded,
}: {
  initial: PlanVersionView;
  clinicians: PlanClinician[];
  diagnoses: DiagnosisOption[];
  serviceTypes: ServiceTypeOption[];
  defaultClinicianId: string | null;
  mfaEnabled: boolean;
  timeZone: string;
  onSigned: (signed: PlanVersionView) => void;
  /** Another copy of the draft takes over (loaded after a conflict). */
  onReplace: (draft: PlanVersionView, message: string) => void;
  onDiscarded: () => void;
}) {
  const [saved, setSaved] = useState(initial);
  const savedRef = useRef(initial);
  const [content, setContent] = useState<PlanContent>(initial.content);
  const contentRef = useRef(content);
  const [message, setMessage] = useState<string | null>(null);
  // A refusal outside autosave (signing or discarding a draft that changed elsewhere).
  const [otherConflict, setOtherConflict] = useState<string | null>(null);
  const [saveErrors, setSaveErrors] = useState<Record<string, string>>({});
  const [findings, setFindings] = useState<PlanFindingView[] | null>(null);
  const [checkedContent, setCheckedContent] = useState<PlanContent | null>(null);
  const [signOpen, setSignOpen] = useState(false);
  const [discardOpen, setDiscardOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const checkRef = useRef<HTMLElement>(null);

  /** Stores the plan as shown, with the version last read as If-Match (called by autosave). */
  const save = useCallback(async (): Promise<SaveOutcome> => {
    const sending = contentRef.current;
    const current = savedRef.current;
    if (sameContent(sending, current.content)) return { kind: 'saved' };
    try {
      const next = await treatmentPlanApi.saveDraft(current.id, current.version, sending);
      savedRef.current = next;
      setSaved(next);
      // The server trims text; take its copy unless the user typed on meanwhile.
      if (contentRef.current === sending) {
        contentRef.current = next.content;
        setContent(next.content);
      }
      setSaveErrors({});
      return { kind: 'saved' };
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 412)
        return {
          kind: 'conflict',
          message: 'Someone (perhaps you, in another tab) saved this plan after you opened it.',
        };
      if (e.status === 409 || e.status === 404 || e.status === 403)
        return { kind: 'conflict', message: e.detail };
      if (e.fieldErrors.length > 0) {
        setSaveErrors(contentErrors(e.fieldErrors));
        return { kind: 'invalid', message: 'some fields need correcting' };
      }
      return { kind: 'failed', message: e.detail };
    }
  }, []);
  const { controller, snapshot } = useAutosave(save, Date.parse(initial.updatedAt));
  const conflictMessage = snapshot.status === 'conflict' ? (snapshot.message ?? '') : otherConflict;
  const conflict = conflictMessage !== null;

  const edit = (next: PlanContent) => {
    contentRef.current = next;
    setContent(next);
    controller.changed('content');
  };

  // Read from the controller, not this render: it is called after awaiting a save.
  const notStored = () => {
    const now = controller.getSnapshot();
    if (now.status === 'conflict' || otherConflict !== null)
      return 'The draft was changed in another tab or window, so it cannot be checked or signed here.';
    if (now.status === 'invalid')
      return 'Some fields need correcting before the plan can be saved: see the messages beside them.';
    return `Your latest changes are not saved yet (${now.message ?? 'try again'}).`;
  };

  /** Stores everything typed so far; the stored draft, or null when it could not be stored. */
  const flush = async (): Promise<PlanVersionView | null> => {
    setMessage(null);
    if (conflict || !(await controller.flush())) {
      setMessage(notStored());
      return null;
    }
    return savedRef.current;
  };

  const runCheck = async (): Promise<PlanFindingView[] | null> => {
    const stored = await flush();
    if (!stored) return null;
    try {
      const r = await treatmentPlanApi.check(stored.id);
      setFindings(r.findings);
      setCheckedContent(stored.content);
      requestAnimationFrame(() => checkRef.current?.focus());
      return r.findings;
    } catch (err) {
      setMessage(toApiError(err).detail);
      return null;
    }
  };

  const openSign = async () => {
    setBusy(true);
    const found = await runCheck();
    setBusy(false);
    if (found && found.length === 0) setSignOpen(true);
  };

  const sign = async (reauth: Reauth): Promise<string | null> => {
    const stored = await flush();
    if (!stored) {
      setSignOpen(false);
      return null;
    }
    try {
      const signed = await treatmentPlanApi.sign(stored.id, stored.version, reauth);
      setSignOpen(false);
      onSigned(signed);
      return null;
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 401) return e.detail || 'That did not match. Try again.';
      setSignOpen(false);
      if (e.status === 422 && Array.isArray(e.problem.findings)) {
        setFindings(e.problem.findings as PlanFindingView[]);
        setCheckedContent(content);
        requestAnimationFrame(() => checkRef.current?.focus());
      } else if (e.status === 412) {
        setOtherConflict('The plan was saved elsewhere after you opened it.');
      } else {
        setMessage(e.detail);
      }
      return null;
    }
  };

  const loadSaved = async () => {
    setBusy(true);
    try {
      const fresh = await treatmentPlanApi.version(saved.id);
      controller.reset();
      onReplace(fresh, 'Showing the saved version of the draft.');
    } catch (err) {
      setMessage(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      // Whatever is still in flight lands first, so the discard carries the latest version.
      await controller.flush();
      await treatmentPlanApi.discardDraft(savedRef.current.id, savedRef.current.version);
      controller.reset();
      setDiscardOpen(false);
      onDiscarded();
    } catch (err) {
      setDiscardOpen(false);
      const e = toApiError(err);
      if (e.status === 412) setOtherConflict(e.detail);
      else setMessage(e.detail);
    } finally {
      setBusy(false);
    }
  };

  const errors = useMemo(
    () => ({ ...(findings && checkedContent ? findingErrors(findings, content) : {}), ...saveErrors }),
    [findings, checkedContent, content, saveErrors],
  );
  const localText = useMemo(
    () => (conflict ? unsavedTexts(content, saved.content) : []),
    [conflict, content, saved],
  );
  const addGoal = () => {
    const problemIds = content.problems.length === 1 && content.problems[0] ? [content.problems[0].id] : [];
    edit({ ...content, goals: [...content.goals, newGoal(problemIds)] });
    requestAnimationFrame(() =>
      document.getElementById(`f-goals-${content.goals.length}-statement`)?.focus(),
    );
  };

  return (
    // Leaving a field stores it at once (focus moving out of any control bubbles up here).
    <div className="tp-editor" onBlur={() => controller.saveSoon()}>
      {conflict ? (
        <ConflictNotice
          message={conflictMessage ?? ''}
          localText={localText}
          onLoadSaved={() => void loadSaved()}
        />
      ) : null}
      {/* Only for what the user asked for (check, sign, discard): an autosave refusal never takes focus
          mid-word; its errors show beside the fields and in the status bar. */}
      <ErrorSummary message={message} errors={{}} />
      {findings ? (
        <PlanCheckPanel
          ref={checkRef}
          findings={findings}
          content={content}
          stale={checkedContent !== null && !sameContent(checkedContent, content)}
        />
      ) : null}
      <ProblemsEditor content={content} diagnoses={diagnoses} errors={errors} onChange={edit} />
      <section className="panel" aria-labelledby="tp-goals-title">
        <h2 id="tp-goals-title">Goals</h2>
        <p className="hint">
          Each goal needs a target (or a questionnaire score to get below), a target date and the problem it
          addresses.
        </p>
        {content.goals.length === 0 ? <p className="tp-empty">No goals yet.</p> : null}
        {content.goals.map((g, i) => (
          <GoalEditor
            key={g.id}
            content={content}
            goal={g}
            index={i}
            count={content.goals.length}
            errors={errors}
            clinicians={clinicians}
            defaultClinicianId={defaultClinicianId}
            onChange={(goal) => edit({ ...content, goals: replaceAt(content.goals, i, goal) })}
            onMove={(by) => edit({ ...content, goals: moveItem(content.goals, i, by) })}
            onRemove={() => edit({ ...content, goals: removeAt(content.goals, i) })}
          />
        ))}
        <AddButton name={ADD_GOAL} errors={errors} onClick={addGoal} primary>
          Add a goal
        </AddButton>
      </section>
      <PlanDetailsEditor content={content} serviceTypes={serviceTypes} errors={errors} onChange={edit} />
      <div className="tp-sticky">
        <AutosaveStatus snapshot={snapshot} timeZone={timeZone} live />
        <div className="button-row">
          <button
            type="button"
            className="button secondary"
            disabled={busy || conflict}
            onClick={() => void runCheck()}
          >
            Check plan
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy || conflict}
            onClick={() => void openSign()}
          >
            Sign plan…
          </button>
          <button
            type="button"
            className="button link danger"
            disabled={busy}
            onClick={() => setDiscardOpen(true)}
          >
            Discard draft
          </button>
        </div>
      </div>
      <SignDialog
        open={signOpen}
        title="Sign the treatment plan"
        attestation={
          <p>
            By signing you confirm this plan was developed with the client and reflects their goals. A signed
            plan cannot be changed: revising it starts a new version.
          </p>
        }
        submitLabel="Sign plan"
        mfaEnabled={mfaEnabled}
        onSubmit={sign}
        onClose={() => setSignOpen(false)}
      />
      <ConfirmDialog
        open={discardOpen}
        title="Discard this draft?"
        confirmLabel="Discard draft"
        cancelLabel="Keep the draft"
        danger
        busy={busy}
        onConfirm={() => void discard()}
        onClose={() => setDiscardOpen(false)}
      >
        <p>The draft and its changes are deleted. The signed plan, if there is one, stays as it is.</p>
      </ConfirmDialog>
    </div>
  );
}
