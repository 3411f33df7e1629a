import { useCallback, useMemo, useRef, useState } from 'react';
import { notesApi, type NoteOptions, type NoteView, type Reauth } from '../../api/notesApi.js';
import { sessionCheck } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import type { GoalProgressSave } from '../../api/goalProgressApi.js';
import { setFlash } from '../../components/flash.js';
import { navigate } from '../../router.js';
import type { DraftPart, SaveOutcome } from './autosaveController.js';
import { AutosaveStatus } from './AutosaveStatus.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ConflictNotice } from './ConflictNotice.js';
import { DiagnosisPicker } from './DiagnosisPicker.js';
import { GoalProgressSection } from './GoalProgressSection.js';
import {
  draftFromNote,
  errorsByControl,
  factsInput,
  saveBody,
  withoutCopiedMark,
  type Diagnosis,
  type FactsDraft,
  type NoteDraft,
} from './draftModel.js';
import { errorLabels } from './errorLabels.js';
import { changedFieldTexts } from './noteContent.js';
import { SessionFactsPanel } from './SessionFactsPanel.js';
import { SignDialog } from './SignDialog.js';
import { TemplateForm } from './TemplateForm.js';
import { useAutosave } from './useAutosave.js';

type Errors = Record<string, string>;

function without(errors: Errors, prefix: string): Errors {
  const keys = Object.keys(errors).filter((k) => k === prefix || k.startsWith(`${prefix}.`));
  if (keys.length === 0) return errors;
  const next = { ...errors };
  for (const k of keys) delete next[k];
  return next;
}

/**
 * The editable note: session facts, diagnoses and the template's fields, saved as you type.
 * A save refused because the draft changed elsewhere stops autosave and says so; signing
 * first stores the last keystrokes, then signs the version just stored.
 */
export function DraftEditor({
  initial,
  options,
  timeZone,
  clinical,
  mfaEnabled,
  supervisorName,
  onReplace,
}: {
  initial: NoteView;
  options: NoteOptions;
  timeZone: string;
  clinical: boolean;
  mfaEnabled: boolean;
  /** The author's supervisor, who will co-sign; null when the author signs alone. */
  supervisorName: string | null;
  /** A different version of the note takes over the screen (signed, or loaded after a conflict). */
  onReplace: (note: NoteView, message: string | null) => void;
}) {
  const [note, setNote] = useState(initial);
  const noteRef = useRef(initial);
  const [draft, setDraft] = useState<NoteDraft>(() => draftFromNote(initial, timeZone));
  const draftRef = useRef(draft);
  // Goal ratings live in their section; the latest is sent with the next autosave.
  const goalProgressRef = useRef<GoalProgressSave | null>(null);
  const [saveErrors, setSaveErrors] = useState<Errors>({});
  // The summary keeps what the refused signing listed; the errors beside fields go as each is edited
  // (clearing the summary as the user types would move focus to it mid-word).
  const [summaryErrors, setSummaryErrors] = useState<Errors>({});
  const [signErrors, setSignErrors] = useState<Errors>({});
  const [signMessage, setSignMessage] = useState<string | null>(null);
  const [signOpen, setSignOpen] = useState(false);
  const [discardOpen, setDiscardOpen] = useState(false);
  const [loadOpen, setLoadOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const template = note.template;

  const save = useCallback(
    async (parts: readonly DraftPart[]): Promise<SaveOutcome> => {
      const current = noteRef.current;
      const body = saveBody(draftRef.current, parts, { timeZone, standalone: current.sessionId === null });
      if (parts.includes('goalProgress') && goalProgressRef.current)
        body.goalProgress = goalProgressRef.current;
      if (Object.keys(body).length === 0) return { kind: 'saved' };
      try {
        const next = await notesApi.saveDraft(current.id, current.version, body);
        noteRef.current = next;
        setNote(next);
        setSaveErrors({});
        return { kind: 'saved' };
      } catch (err) {
        const e = toApiError(err);
        if (e.status === 412) {
          return {
            kind: 'conflict',
            message: 'Someone (perhaps you, in another tab) saved this draft after you opened it.',
          };
        }
        if (e.status === 409 || e.status === 404 || e.status === 403)
          return { kind: 'conflict', message: e.detail };
        if (e.fieldErrors.length > 0) {
          setSaveErrors(errorsByControl(e.fieldErrors, current.template));
          return { kind: 'invalid', message: e.fieldErrors[0]?.message ?? e.detail };
        }
        return { kind: 'failed', message: e.detail };
      }
    },
    [timeZone],
  );
  const { controller, snapshot } = useAutosave(save, Date.parse(initial.updatedAt));

  const update = (fn: (d: NoteDraft) => NoteDraft, ...parts: DraftPart[]) => {
    const next = fn(draftRef.current);
    draftRef.current = next;
    setDraft(next);
    controller.changed(...parts);
  };
  const clearErrors = (prefix: string) => {
    setSaveErrors((e) => without(e, prefix));
    setSignErrors((e) => without(e, prefix));
  };

  const onFieldChange = (fieldId: string, value: unknown) => {
    const wasCopied = draftRef.current.copiedFields.includes(fieldId);
    update(
      (d) => withoutCopiedMark({ ...d, content: { ...d.content, [fieldId]: value } }, fieldId),
      ...(wasCopied ? (['content', 'copiedFields'] as const) : (['content'] as const)),
    );
    clearErrors(`content.${fieldId}`);
  };
  const onFactsChange = (patch: Partial<FactsDraft>) => {
    update((d) => ({ ...d, facts: { ...d.facts, ...patch } }), 'sessionFacts');
    clearErrors('sessionFacts');
  };
  const onDiagnoses = (diagnoses: Diagnosis[]) => {
    update((d) => ({ ...d, diagnoses }), 'diagnosisCodes');
    clearErrors('diagnosisCodes');
  };

  // Minutes and the CPT suggestion come from the server: say so while local times differ from its copy.
  const factsPending = useMemo(
    () =>
      JSON.stringify(factsInput(draft.facts, timeZone)) !==
      JSON.stringify(factsInput(draftFromNote(note, timeZone).facts, timeZone)),
    [draft.facts, note, timeZone],
  );

  const conflict = snapshot.status === 'conflict';
  const localText = useMemo(
    () =>
      // Against the version this tab last stored: what the user typed here, not what changed elsewhere.
      conflict ? changedFieldTexts(template, draft.content, note.content, options) : [],
    [conflict, template, draft.content, note, options],
  );

  const loadSaved = async () => {
    setBusy(true);
    try {
      const fresh = await notesApi.note(note.id);
      controller.reset();
      setLoadOpen(false);
      onReplace(fresh, 'Showing the saved version of the draft.');
    } catch (err) {
      setLoadOpen(false);
      setSignMessage(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const notStoredMessage = () =>
    conflict
      ? 'The draft was changed in another tab or window, so it cannot be signed here.'
      : `Your latest changes are not saved yet (${snapshot.message ?? 'try again'}), so the note cannot be signed.`;

  const openSign = async () => {
    setSignMessage(null);
    if (!(await controller.flush())) {
      setSignMessage(notStoredMessage());
      return;
    }
    setSignOpen(true);
  };

  const sign = async (reauth: Reauth): Promise<string | null> => {
    if (!(await controller.flush())) {
      setSignOpen(false);
      setSignMessage(notStoredMessage());
      return null;
    }
    try {
      const signed = await notesApi.sign(noteRef.current.id, noteRef.current.version, reauth);
      setSignOpen(false);
      onReplace(
        signed,
        signed.status === 'awaiting_cosign' ? 'Note signed and sent for co-signature.' : 'Note signed.',
      );
      return null;
    } catch (err) {
      const e = toApiError(err);
      if (e.status === 401) {
        // Not a wrong password: the session itself ended, and the sign-in page should follow.
        if (e.problem.reauth !== true) void sessionCheck().catch(() => undefined);
        return e.detail || 'That did not match. Try again.';
      }
      setSignOpen(false);
      if (e.fieldErrors.length > 0) {
        const found = errorsByControl(e.fieldErrors, template);
        setSignErrors(found);
        setSummaryErrors(found);
        setSignMessage(e.status === 422 ? 'Complete these before signing:' : e.detail);
      } else {
        setSummaryErrors({});
        setSignMessage(e.detail);
      }
      return null;
    }
  };

  const discard = async () => {
    setBusy(true);
    try {
      await controller.flush();
      await notesApi.discardDraft(noteRef.current.id, noteRef.current.version);
      controller.reset();
      setFlash('Draft discarded.');
      navigate(`/clients/${note.clientId}`);
    } catch (err) {
      setDiscardOpen(false);
      setSignMessage(toApiError(err).detail);
      setBusy(false);
    }
  };

  const errors: Errors = { ...saveErrors, ...signErrors };
  const neverSigned = note.status === 'draft' && note.history.length === 0;
  const returnedBy = [...note.history].reverse().find((h) => h.act === 'returned');
  const overdue = note.dueAt !== null && Date.parse(note.dueAt) < Date.now();
  const actions = (
    <div className="editor-actions">
      <button type="button" className="button primary" onClick={() => void openSign()} disabled={conflict}>
        Sign note
      </button>
      {neverSigned ? (
        <button type="button" className="button link danger" onClick={() => setDiscardOpen(true)}>
          Discard draft
        </button>
      ) : null}
    </div>
  );

  return (
    <>
      <div className="editor-bar">
        <AutosaveStatus snapshot={snapshot} timeZone={timeZone} live />
        {actions}
      </div>
      {note.status === 'returned' && note.returned ? (
        <div className="alert alert-warning returned-banner" role="status">
          <p className="alert-title">
            Returned by {returnedBy?.name ?? 'your supervisor'} on{' '}
            {formatDateTime(note.returned.at, timeZone)} with comments:
          </p>
          <p className="narrative">{note.returned.comments}</p>
          <p>Change the note as asked, then sign it again.</p>
        </div>
      ) : null}
      {overdue && note.dueAt ? (
        // Not role=alert: a standing fact about the note, read in order rather than interrupting.
        <p className="alert alert-warning">
          This note was due by {formatDateTime(note.dueAt, timeZone)}. It will be marked as a late entry when
          signed.
        </p>
      ) : null}
      {conflict ? (
        <ConflictNotice
          message={snapshot.message ?? ''}
          localText={localText}
          onLoadSaved={() => setLoadOpen(true)}
        />
      ) : null}
      <ErrorSummary
        message={signMessage}
        errors={summaryErrors}
        labels={errorLabels(Object.keys(summaryErrors), template, options)}
      />

      <form className="note-form" noValidate onSubmit={(e) => e.preventDefault()}>
        <SessionFactsPanel
          note={note}
          facts={draft.facts}
          dateOfService={draft.dateOfService}
          options={options}
          errors={errors}
          factsPending={factsPending}
          timeZone={timeZone}
          onFactsChange={onFactsChange}
          onDateChange={(date) => {
            update((d) => ({ ...d, dateOfService: date }), 'dateOfService');
            clearErrors('dateOfService');
          }}
          onBlur={() => controller.saveSoon()}
        />
        {clinical ? (
          <section className="panel" aria-labelledby="diagnoses-title">
            <h2 id="diagnoses-title">Diagnoses</h2>
            <DiagnosisPicker
              diagnoses={draft.diagnoses}
              onChange={onDiagnoses}
              error={errors.diagnosisCodes}
            />
          </section>
        ) : null}
        <TemplateForm
          template={template}
          content={draft.content}
          copiedFields={draft.copiedFields}
          errors={errors}
          options={options}
          onFieldChange={onFieldChange}
          onBlur={() => controller.saveSoon()}
          onConfirmCopied={(fieldId) => update((d) => withoutCopiedMark(d, fieldId), 'copiedFields')}
        />
        <GoalProgressSection
          noteId={note.id}
          clientId={note.clientId}
          onChange={(save) => {
            goalProgressRef.current = save;
            controller.changed('goalProgress');
          }}
        />
      </form>
      <div className="editor-bar bottom">
        <AutosaveStatus snapshot={snapshot} timeZone={timeZone} live={false} />
        {actions}
      </div>

      <SignDialog
        open={signOpen}
        title="Sign this note"
        submitLabel="Sign note"
        mfaEnabled={mfaEnabled}
        attestation={
          <>
            <p>
              By signing you attest that this note is accurate and complete, that you provided the service it
              describes, and that your electronic signature has the same legal effect as your handwritten one.
            </p>
            <p>
              After signing the note cannot be changed; a correction is made as a signed addendum.
              {supervisorName ? ` ${supervisorName} will be asked to co-sign it.` : ''}
            </p>
          </>
        }
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
        <p>The draft and everything typed in it are deleted. This cannot be undone.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={loadOpen}
        title="Load the saved version?"
        confirmLabel="Load the saved version"
        cancelLabel="Cancel"
        danger
        busy={busy}
        onConfirm={() => void loadSaved()}
        onClose={() => setLoadOpen(false)}
      >
        <p>
          Your changes in this tab that were not saved will be discarded. Use &ldquo;Copy my text&rdquo; first
          if you want to keep them.
        </p>
      </ConfirmDialog>
    </>
  );
}
