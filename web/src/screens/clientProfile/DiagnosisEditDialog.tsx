import { useState, type FormEvent } from 'react';
import {
  diagnosesApi,
  type Diagnosis,
  type DiagnosisChange,
  type DiagnosisStatus,
} from '../../api/diagnosesApi.js';
import { toApiError } from '../../api/http.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { DIAGNOSIS_STATUS_LABELS, RANK_OPTIONS } from './diagnosisLabels.js';

const P = 'dxEdit.';
const LABELS: Record<string, string> = {
  [`${P}rank`]: 'Rank',
  [`${P}status`]: 'Status',
  [`${P}onsetDate`]: 'Onset date',
  [`${P}resolvedDate`]: 'Resolved date',
  [`${P}comment`]: 'Comment',
};
const RENAME = Object.fromEntries(Object.keys(LABELS).map((k) => [k.slice(P.length), k]));
const STATUS_OPTIONS = (Object.keys(DIAGNOSIS_STATUS_LABELS) as DiagnosisStatus[]).map((value) => ({
  value,
  label: DIAGNOSIS_STATUS_LABELS[value],
}));

/** Changes rank, status, dates or comment of one diagnosis, on the version it was read at. */
export function DiagnosisEditDialog({
  diagnosis: d,
  today,
  onClose,
  onSaved,
  onStale,
}: {
  diagnosis: Diagnosis;
  today: string;
  onClose: () => void;
  onSaved: () => Promise<void>;
  onStale: () => Promise<void>;
}) {
  const [rank, setRank] = useState(d.rank);
  const [status, setStatus] = useState(d.status);
  const [onset, setOnset] = useState(d.onsetDate ?? '');
  const [resolved, setResolved] = useState(d.resolvedDate ?? '');
  const [comment, setComment] = useState(d.comment ?? '');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const change: DiagnosisChange = {};
    if (rank !== d.rank) change.rank = rank;
    if (status !== d.status) change.status = status;
    if (onset !== (d.onsetDate ?? '')) change.onsetDate = onset || null;
    // Leaving "resolved" clears the date on the server; resolving without one means today.
    if (status === 'resolved' && resolved && resolved !== d.resolvedDate) change.resolvedDate = resolved;
    if (comment.trim() !== (d.comment ?? '')) change.comment = comment.trim() || null;
    if (Object.keys(change).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      await diagnosesApi.change(d.id, d.version, change);
      await onSaved();
    } catch (err) {
      if (toApiError(err).isStale) await onStale();
      else form.fromError(err, RENAME);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={`Change ${d.code} ${d.description}`} onClose={onClose}>
      <form onSubmit={(e) => void save(e)} noValidate>
        <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
        <div className="field-row">
          <SelectField
            name={`${P}rank`}
            label="Rank"
            value={rank}
            onChange={setRank}
            options={RANK_OPTIONS}
            required
            errors={form.errors}
          />
          <SelectField
            name={`${P}status`}
            label="Status"
            value={status}
            onChange={setStatus}
            options={STATUS_OPTIONS}
            required
            errors={form.errors}
          />
        </div>
        {rank === 'primary' && status === 'active' && !(d.rank === 'primary' && d.status === 'active') ? (
          <p className="hint">The client&rsquo;s current primary diagnosis will become secondary.</p>
        ) : null}
        <div className="field-row dx-dates">
          <TextField
            name={`${P}onsetDate`}
            label="Onset date"
            type="date"
            max={today}
            value={onset}
            onChange={setOnset}
            errors={form.errors}
          />
          {status === 'resolved' ? (
            <TextField
              name={`${P}resolvedDate`}
              label="Resolved date"
              type="date"
              max={today}
              value={resolved}
              onChange={setResolved}
              errors={form.errors}
              hint={d.status === 'resolved' ? undefined : 'Leave empty for today.'}
            />
          ) : null}
        </div>
        <TextArea
          name={`${P}comment`}
          label="Comment"
          value={comment}
          onChange={setComment}
          errors={form.errors}
          rows={3}
          required={status === 'entered_in_error' && d.status !== 'entered_in_error'}
          hint={
            status === 'entered_in_error'
              ? 'Say why this was entered in error. It cannot be changed afterwards.'
              : undefined
          }
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
