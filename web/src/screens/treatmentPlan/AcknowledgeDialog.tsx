import { useState, type FormEvent } from 'react';
import { treatmentPlanApi, type AcknowledgementView } from '../../api/treatmentPlanApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { fieldId, TextField } from '../../components/fields.js';
import { acknowledgementInput, type AcknowledgementForm } from './acknowledgementForm.js';
import { SignatureCanvas } from './SignatureCanvas.js';

const LABELS: Record<string, string> = {
  typedName: 'Client’s name',
  acknowledgedOn: 'Date',
  method: 'How the client reviewed the plan',
  signaturePng: 'Drawn signature',
};

/** Records that the client reviewed and acknowledged the signed plan: typed name, date, in person or remote, and optionally a drawn signature. */
export function AcknowledgeDialog({
  open,
  versionId,
  versionNo,
  today,
  onClose,
  onRecorded,
}: {
  open: boolean;
  versionId: string;
  versionNo: number;
  today: string;
  onClose: () => void;
  onRecorded: (a: AcknowledgementView) => void;
}) {
  const blank: AcknowledgementForm = {
    typedName: '',
    acknowledgedOn: today,
    method: 'in_person',
    drawing: null,
  };
  const [form, setForm] = useState<AcknowledgementForm>(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setForm(blank);
    setErrors({});
    setMessage(null);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = acknowledgementInput(form, today);
    if (checked.errors) {
      setErrors(checked.errors);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const recorded = await treatmentPlanApi.acknowledge(versionId, checked.input);
      setForm(blank);
      setErrors({});
      onRecorded(recorded);
    } catch (err) {
      const ae = toApiError(err);
      setErrors(Object.fromEntries(ae.fieldErrors.map((f) => [f.path, f.message])));
      setMessage(ae.fieldErrors.length ? null : ae.detail);
    } finally {
      setBusy(false);
    }
  };

  // A corrected field loses its message; the summary keeps the rest.
  const change = (patch: Partial<AcknowledgementForm>, key: string) => {
    setForm((f) => ({ ...f, ...patch }));
    if (errors[key])
      setErrors((e) => {
        const next = { ...e };
        delete next[key];
        return next;
      });
  };
  const methodError = errors.method;
  return (
    <Dialog open={open} title={`Client acknowledgement of version ${versionNo}`} onClose={close}>
      <form onSubmit={(e) => void submit(e)} noValidate className="tp-ack-form">
        <ErrorSummary message={message} errors={errors} labels={LABELS} />
        <p>
          The client confirms they reviewed this plan and took part in making it. Their typed name is the
          acknowledgement; a drawn signature may be added.
        </p>
        <TextField
          name="typedName"
          label="Client’s name, as they type or say it"
          required
          autoComplete="off"
          value={form.typedName}
          errors={errors}
          onChange={(typedName) => change({ typedName }, 'typedName')}
        />
        <TextField
          name="acknowledgedOn"
          label="Date"
          type="date"
          required
          max={today}
          value={form.acknowledgedOn}
          errors={errors}
          onChange={(acknowledgedOn) => change({ acknowledgedOn }, 'acknowledgedOn')}
        />
        <fieldset className={`field${methodError ? ' has-error' : ''}`} id={fieldId('method')} tabIndex={-1}>
          <legend>How the client reviewed the plan</legend>
          {methodError ? <p className="field-error">{methodError}</p> : null}
          <label className="choice">
            <input
              type="radio"
              name="ack-method"
              checked={form.method === 'in_person'}
              onChange={() => change({ method: 'in_person' }, 'method')}
            />
            In person
          </label>
          <label className="choice">
            <input
              type="radio"
              name="ack-method"
              checked={form.method === 'remote'}
              onChange={() => change({ method: 'remote' }, 'method')}
            />
            Remote (video or phone)
          </label>
        </fieldset>
        <SignatureCanvas
          id={fieldId('signaturePng')}
          label="Client’s drawn signature"
          onChange={(drawing) => setForm((f) => ({ ...f, drawing }))}
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record acknowledgement'}
          </button>
          <button type="button" className="button secondary" onClick={close} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
