import { useState, type FormEvent } from 'react';
import { recordRequestsApi, type CopyRequestView } from '../../api/recordRequestsApi.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import type {
  CopyFormat,
  DeliveryMethod,
  ReceivedVia,
  Requester,
} from '../../../../src/domain/recordRequests.js';
import { DELIVERY_LABELS, FORMAT_LABELS, RECEIVED_VIA_LABELS, REQUESTER_LABELS } from './requestLabels.js';
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
  'representative.name': 'Representative’s name',
  'representative.relationship': 'How they represent the client',
};

/** Records a request for a copy of the record; the server sets the due date (30 days after receipt). */
export function CopyRequestDialog({
  clientId,
  today,
  onClose,
  onCreated,
}: NewRequestDialogProps<CopyRequestView>) {
  const [receivedOn, setReceivedOn] = useState(today);
  const [receivedVia, setReceivedVia] = useState<ReceivedVia>('in_person');
  const [format, setFormat] = useState<CopyFormat>('pdf');
  const [delivery, setDelivery] = useState<DeliveryMethod>('download');
  const [requester, setRequester] = useState<Requester>('client');
  const [repName, setRepName] = useState('');
  const [repRelationship, setRepRelationship] = useState('');
  const form = useFormErrors();
  const { busy, run } = useSave(form);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    checkReceivedOn(found, receivedOn, today);
    if (requester === 'personal_representative') {
      if (!repName.trim()) found['representative.name'] = 'Enter the representative’s name';
      if (!repRelationship.trim())
        found['representative.relationship'] = 'Say how they represent the client, e.g. parent, guardian';
    }
    if (!form.check(found)) return;
    await run(async () => {
      const created = await recordRequestsApi.createCopy(clientId, {
        receivedOn,
        receivedVia,
        format,
        delivery,
        requester,
        representative:
          requester === 'personal_representative'
            ? { name: repName.trim(), relationship: repRelationship.trim() }
            : null,
      });
      onCreated(created);
    });
  };

  return (
    <Dialog open title="Record a request for a copy" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
        <p className="hint">
          The copy is due 30 calendar days after the request arrives. It holds everything in the record except
          psychotherapy notes.
        </p>
        <ReceivedOnField value={receivedOn} onChange={setReceivedOn} errors={form.errors} today={today} />
        <ChoiceField
          name="receivedVia"
          label="How it arrived"
          value={receivedVia}
          onChange={setReceivedVia}
          labels={RECEIVED_VIA_LABELS}
          errors={form.errors}
        />
        <ChoiceField
          name="format"
          label="Format wanted"
          value={format}
          onChange={setFormat}
          labels={FORMAT_LABELS}
          errors={form.errors}
        />
        <ChoiceField
          name="delivery"
          label="How to deliver it"
          value={delivery}
          onChange={setDelivery}
          labels={DELIVERY_LABELS}
          errors={form.errors}
        />
        <ChoiceField
          name="requester"
          label="Who asked"
          value={requester}
          onChange={setRequester}
          labels={REQUESTER_LABELS}
          errors={form.errors}
        />
        {requester === 'personal_representative' ? (
          <div className="field-row">
            <TextField
              name="representative.name"
              label="Representative’s name"
              value={repName}
              onChange={setRepName}
              errors={form.errors}
              maxLength={200}
              required
            />
            <TextField
              name="representative.relationship"
              label="How they represent the client"
              hint="For example: parent, legal guardian, health care power of attorney"
              value={repRelationship}
              onChange={setRepRelationship}
              errors={form.errors}
              maxLength={200}
              required
            />
          </div>
        ) : null}
        <FormButtons busy={busy} label="Record request" onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** The one extension of either kind of request: a new date and the reason written to the client. */
export function ExtendDialog({
  title,
  dueOn,
  maxDays,
  onSubmit,
  onClose,
}: {
  title: string;
  dueOn: string;
  maxDays: number;
  onSubmit: (input: { newDueOn: string; reason: string }) => Promise<void>;
  onClose: () => void;
}) {
  const [newDueOn, setNewDueOn] = useState('');
  const [reason, setReason] = useState('');
  const form = useFormErrors();
  const { busy, run } = useSave(form);
  const latest = new Date(Date.parse(`${dueOn}T00:00:00Z`) + maxDays * 86_400_000).toISOString().slice(0, 10);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!newDueOn) found.newDueOn = 'Choose the new date';
    else if (newDueOn <= dueOn || newDueOn > latest)
      found.newDueOn = `Choose a date after ${dueOn} and no later than ${latest}`;
    if (reason.trim().length < 3) found.reason = 'Give the reason, as written to the client';
    if (!form.check(found)) return;
    await run(() => onSubmit({ newDueOn, reason: reason.trim() }));
  };

  return (
    <Dialog open title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary
          message={form.message}
          errors={form.errors}
          labels={{ newDueOn: 'New due date', reason: 'Reason' }}
        />
        <p className="hint">
          One extension of at most {maxDays} days is allowed, and only before the first deadline ({dueOn})
          passes. Tell the client in writing why, and the new date.
        </p>
        <TextField
          name="newDueOn"
          label="New due date"
          type="date"
          value={newDueOn}
          onChange={setNewDueOn}
          errors={form.errors}
          min={dueOn}
          max={latest}
          required
        />
        <TextField
          name="reason"
          label="Reason"
          value={reason}
          onChange={setReason}
          errors={form.errors}
          maxLength={2000}
          required
        />
        <FormButtons busy={busy} label="Extend" onClose={onClose} />
      </form>
    </Dialog>
  );
}
