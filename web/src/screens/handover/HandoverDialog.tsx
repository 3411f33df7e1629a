import { useState, type FormEvent } from 'react';
import { handoversApi, type HandoverMeta } from '../../api/handoversApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, SelectField, TextArea } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { useStaff } from '../../components/useStaff.js';

const NOTE_MAX = 2000;

/**
 * "Hand over": choose the clinician taking over and, optionally, write them a short note. The
 * server changes the primary clinician, takes the summary snapshot and audits it in one step.
 * Mounted only while open, so each opening starts fresh.
 */
export function HandoverDialog({
  record,
  onClose,
  onDone,
  onStale,
}: {
  record: ClientRecord;
  onClose: () => void;
  onDone: (h: HandoverMeta) => void;
  onStale: () => void;
}) {
  const { clinicians, loaded } = useStaff();
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [removePrevious, setRemovePrevious] = useState(false);
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);
  const form = useFormErrors();
  const current = record.careTeam.find((m) => m.isPrimary);
  const choices = clinicians.filter((c) => c.id !== record.primaryClinicianId);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!to) found.toClinicianId = 'Choose the clinician taking over';
    if (note.trim().length > NOTE_MAX) found.note = `Keep the note under ${NOTE_MAX} characters`;
    if (!form.check(found)) return;
    setBusy(true);
    try {
      onDone(
        await handoversApi.create(record.id, record.version, {
          toClinicianId: to,
          note: note.trim() || null,
          removePrevious,
        }),
      );
    } catch (err) {
      if (toApiError(err).isStale) setStale(true);
      else form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Hand over this client" onClose={onClose}>
      {stale ? (
        <>
          <div className="alert alert-error" role="alert">
            <p className="alert-title">Someone else changed this record</p>
            <p>Nothing was handed over. Reload the record to see the current care team, then try again.</p>
          </div>
          <div className="button-row">
            <button type="button" className="button primary" onClick={onStale}>
              Reload the record
            </button>
          </div>
        </>
      ) : !loaded ? (
        <p role="status">Loading clinicians…</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>
            The clinician you choose becomes the primary clinician and receives a hand-over summary of the
            chart as it stands now: diagnoses, treatment plan goals, recent sessions, latest measures, risk
            flags and open items. They confirm that they have read it. Psychotherapy notes are never handed
            over.
          </p>
          <ErrorSummary
            message={form.message}
            errors={form.errors}
            labels={{ toClinicianId: 'Clinician taking over', note: 'Hand-over note' }}
          />
          <SelectField
            name="toClinicianId"
            label="Clinician taking over"
            value={to}
            onChange={setTo}
            options={[
              { value: '', label: 'Choose…' },
              ...choices.map((c) => ({
                value: c.id,
                label: c.credentials ? `${c.fullName}, ${c.credentials}` : c.fullName,
              })),
            ]}
            errors={form.errors}
            required
          />
          <TextArea
            name="note"
            label="Hand-over note"
            hint={`For the clinician taking over: what to know first. Stored encrypted; up to ${NOTE_MAX} characters (${note.length} used).`}
            value={note}
            onChange={setNote}
            errors={form.errors}
            rows={5}
          />
          {current ? (
            <CheckboxField
              name="removePrevious"
              label={`Also take ${current.fullName} off the care team`}
              hint="Leave this unticked to keep them on the care team as a member."
              checked={removePrevious}
              onChange={setRemovePrevious}
            />
          ) : null}
          <div className="button-row">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Handing over…' : 'Hand over'}
            </button>
            <button type="button" className="button secondary" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
