import { useEffect, useState, type FormEvent } from 'react';
import { chartApi } from '../../api/chartApi.js';
import { recordRequestsApi, type AmendmentView } from '../../api/recordRequestsApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextArea, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { formatDate } from '../../components/dateFormat.js';
import type { AmendmentTarget, DenialBasis, StatementKind } from '../../../../src/domain/recordRequests.js';
import { ReauthFields, reauthOf, type ReauthValue } from '../noteEditor/ReauthFields.js';
import { AMENDMENT_TARGET_LABELS, DENIAL_BASIS_LABELS } from './requestLabels.js';
import {
  checkReceivedOn,
  ChoiceField,
  FormButtons,
  ReceivedOnField,
  useSave,
  type NewRequestDialogProps,
} from './requestFormParts.js';

const LABELS = {
  receivedOn: 'Date received',
  'target.id': 'Which note',
  change: 'Change requested',
  reason: 'Client’s reason',
  text: 'Text',
  basis: 'Ground for denial',
};

/** The client's signed notes, newest first, to choose the disputed one from. */
function useSignedNotes(clientId: string, enabled: boolean) {
  const [notes, setNotes] = useState<{ value: string; label: string }[] | null>(null);
  useEffect(() => {
    if (!enabled || notes) return undefined;
    let live = true;
    chartApi
      .chart(clientId, { types: ['note'], from: '', to: '' })
      .then((page) => {
        if (!live) return;
        const signed = page.items.flatMap((i) =>
          i.kind === 'note' && i.status === 'signed'
            ? [{ value: i.id, label: `${formatDate(i.dateOfService)} · ${i.authorName}` }]
            : [],
        );
        setNotes(signed);
      })
      .catch(() => live && setNotes([]));
    return () => {
      live = false;
    };
  }, [clientId, enabled, notes]);
  return notes;
}

/** Records a request to amend the record; due 60 days after receipt. */
export function AmendmentRequestDialog({
  clientId,
  today,
  onClose,
  onCreated,
}: NewRequestDialogProps<AmendmentView>) {
  const [receivedOn, setReceivedOn] = useState(today);
  const [kind, setKind] = useState<AmendmentTarget>('note');
  const [noteId, setNoteId] = useState('');
  const [change, setChange] = useState('');
  const [reason, setReason] = useState('');
  const form = useFormErrors();
  const { busy, run } = useSave(form);
  const notes = useSignedNotes(clientId, kind === 'note');
  const chosenNote = noteId || notes?.[0]?.value || '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    checkReceivedOn(found, receivedOn, today);
    if (kind === 'note' && !chosenNote) found['target.id'] = 'This client has no signed note to amend';
    if (change.trim().length < 3) found.change = 'Describe the change the client asks for';
    if (!form.check(found)) return;
    await run(async () =>
      onCreated(
        await recordRequestsApi.createAmendment(clientId, {
          receivedOn,
          target: { kind, id: kind === 'note' ? chosenNote : null },
          change: change.trim(),
          reason: reason.trim(),
        }),
      ),
    );
  };

  return (
    <Dialog open title="Record an amendment request" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
        <p className="hint">A decision is due 60 calendar days after the request arrives.</p>
        <ReceivedOnField value={receivedOn} onChange={setReceivedOn} errors={form.errors} today={today} />
        <ChoiceField
          name="target.kind"
          label="Record to amend"
          value={kind}
          onChange={setKind}
          labels={AMENDMENT_TARGET_LABELS}
          errors={form.errors}
        />
        {kind === 'note' ? (
          notes === null ? (
            <p role="status">Loading notes…</p>
          ) : (
            <SelectField
              name="target.id"
              label="Which note"
              value={chosenNote}
              onChange={setNoteId}
              options={notes}
              errors={form.errors}
              required
            />
          )
        ) : null}
        <TextArea
          name="change"
          label="Change requested"
          value={change}
          onChange={setChange}
          errors={form.errors}
          required
        />
        <TextArea
          name="reason"
          label="Client’s reason"
          value={reason}
          onChange={setReason}
          errors={form.errors}
        />
        <FormButtons busy={busy} label="Record request" onClose={onClose} />
      </form>
    </Dialog>
  );
}

export type DecisionMode = 'accept' | 'deny' | 'statement';

/** Accept (addendum or correction), deny (ground and letter), or add a statement to a denial. */
export function AmendmentDecisionDialog({
  amendment,
  mode,
  today,
  mfaEnabled,
  onClose,
  onDone,
}: {
  amendment: AmendmentView;
  mode: DecisionMode;
  today: string;
  mfaEnabled: boolean;
  onClose: () => void;
  onDone: (a: AmendmentView, message: string) => void;
}) {
  const [text, setText] = useState('');
  const [basis, setBasis] = useState<DenialBasis>('accurate_complete');
  const [kind, setKind] = useState<StatementKind>('disagreement');
  const [receivedOn, setReceivedOn] = useState(today);
  const [auth, setAuth] = useState<ReauthValue>({ method: 'password', secret: '' });
  const [authError, setAuthError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const onNote = amendment.target.kind === 'note';
  const signs = mode === 'accept' && onNote;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (text.trim().length < 3) found.text = 'Write at least a sentence';
    if (mode === 'statement' && !receivedOn) found.receivedOn = 'Enter the date it arrived';
    const missingAuth = signs && auth.secret.trim() === '';
    setAuthError(missingAuth ? 'Enter your password or code to sign the addendum' : null);
    if (!form.check(found) || missingAuth) return;
    setBusy(true);
    try {
      const v = amendment.version;
      if (mode === 'accept' && onNote)
        onDone(
          await recordRequestsApi.acceptWithAddendum(amendment.id, v, text.trim(), reauthOf(auth)),
          'Amendment accepted: the signed addendum is on the note.',
        );
      else if (mode === 'accept')
        onDone(
          await recordRequestsApi.acceptWithCorrection(amendment.id, v, text.trim()),
          'Amendment accepted.',
        );
      else if (mode === 'deny')
        onDone(
          await recordRequestsApi.deny(amendment.id, v, { basis, text: text.trim() }),
          'Amendment denied.',
        );
      else
        onDone(
          await recordRequestsApi.addStatement(amendment.id, { kind, receivedOn, text: text.trim() }),
          kind === 'disagreement' ? 'Statement of disagreement added.' : 'Rebuttal added.',
        );
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status === 401 && signs) {
        setAuthError(apiErr.detail || 'That did not match. Try again.');
        setAuth((a) => ({ ...a, secret: '' }));
      } else form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const title =
    mode === 'accept' ? 'Accept the amendment' : mode === 'deny' ? 'Deny the amendment' : 'Add a statement';
  const textLabel = signs
    ? 'Addendum text'
    : mode === 'accept'
      ? 'Correction made to the record'
      : mode === 'deny'
        ? 'Denial letter'
        : 'Statement';
  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={{ ...LABELS, text: textLabel }} />
        <p className="hint">Requested change: {amendment.change}</p>
        {mode === 'deny' ? (
          <>
            <ChoiceField
              name="basis"
              label="Ground for denial"
              value={basis}
              onChange={setBasis}
              labels={DENIAL_BASIS_LABELS}
              errors={form.errors}
            />
            <p className="hint">
              The letter must give the ground, the client&rsquo;s right to file a statement of disagreement,
              and how to complain to the practice or to HHS.
            </p>
          </>
        ) : null}
        {mode === 'statement' ? (
          <div className="field-row">
            <SelectField
              name="kind"
              label="Kind"
              value={kind}
              onChange={setKind}
              options={[
                { value: 'disagreement', label: 'Client’s statement of disagreement' },
                { value: 'rebuttal', label: 'Practice’s rebuttal' },
              ]}
              errors={form.errors}
              required
            />
            <ReceivedOnField value={receivedOn} onChange={setReceivedOn} errors={form.errors} today={today} />
          </div>
        ) : null}
        <TextArea
          name="text"
          label={textLabel}
          value={text}
          onChange={setText}
          errors={form.errors}
          rows={6}
          required
        />
        {signs ? (
          <ReauthFields
            idPrefix="amend"
            value={auth}
            onChange={setAuth}
            error={authError}
            mfaEnabled={mfaEnabled}
          />
        ) : null}
        <FormButtons busy={busy} label={signs ? 'Sign and accept' : title} onClose={onClose} />
      </form>
    </Dialog>
  );
}
