import { useState } from 'react';
import { SelectField, TextField, type FieldErrors } from '../../components/fields.js';
import type { useFormErrors } from '../../components/formErrors.js';
import { options } from './requestLabels.js';

// Pieces the record-request dialogs share: the submit/cancel row, the "date received" field with
// its check, a choice from a label map, and the busy flag around a save whose errors go to the form.

/** The submit button (showing "Saving…" while busy) and Cancel. */
export function FormButtons({ busy, label, onClose }: { busy: boolean; label: string; onClose: () => void }) {
  return (
    <div className="button-row">
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Saving…' : label}
      </button>
      <button type="button" className="button secondary" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}

/** The date a request or statement arrived: today or earlier. */
export function ReceivedOnField({
  value,
  onChange,
  errors,
  today,
}: {
  value: string;
  onChange: (v: string) => void;
  errors: FieldErrors;
  today: string;
}) {
  return (
    <TextField
      name="receivedOn"
      label="Date received"
      type="date"
      value={value}
      onChange={onChange}
      errors={errors}
      max={today}
      required
    />
  );
}

/** Adds the error for a missing or future `receivedOn` to `found`. */
export function checkReceivedOn(found: FieldErrors, receivedOn: string, today: string): void {
  if (!receivedOn) found.receivedOn = 'Enter the date the request arrived';
  else if (receivedOn > today) found.receivedOn = 'Enter today or an earlier date';
}

/**
 * A busy flag and a runner for a save: while `save` runs the flag is set, and whatever it throws
 * is shown on the form.
 */
export function useSave(form: ReturnType<typeof useFormErrors>) {
  const [busy, setBusy] = useState(false);
  const run = async (save: () => Promise<void>) => {
    setBusy(true);
    try {
      await save();
    } catch (err) {
      form.fromError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** A required choice from one of the label maps in requestLabels. */
export function ChoiceField<T extends string>({
  name,
  label,
  value,
  onChange,
  labels,
  errors,
}: {
  name: string;
  label: string;
  value: T;
  onChange: (v: T) => void;
  labels: Record<T, string>;
  errors: FieldErrors;
}) {
  return (
    <SelectField
      name={name}
      label={label}
      value={value}
      onChange={onChange}
      options={options(labels)}
      errors={errors}
      required
    />
  );
}

/** The props of a dialog that records a new request of either kind. */
export interface NewRequestDialogProps<T> {
  clientId: string;
  today: string;
  onClose: () => void;
  onCreated: (created: T) => void;
}
