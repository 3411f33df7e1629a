import { useEffect, useState, type FormEvent } from 'react';
import {
  diagnosesApi,
  type Diagnosis,
  type DiagnosisList,
  type NewDiagnosis,
} from '../../api/diagnosesApi.js';
import { toApiError } from '../../api/http.js';
import type { Icd10Item } from '../../api/notesApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextArea, TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { Icd10Search } from '../../components/Icd10Search.js';
import { localDateOf } from '../../components/practiceTime.js';
import { useSession } from '../../session.js';
import { DiagnosisEditDialog } from './DiagnosisEditDialog.js';
import { DiagnosisHistoryDialog } from './DiagnosisHistoryDialog.js';
import { byListOrder, DIAGNOSIS_STATUS_LABELS, RANK_LABELS, RANK_OPTIONS } from './diagnosisLabels.js';
import './diagnoses.css';

const P = 'dx.';
const LABELS: Record<string, string> = {
  [`${P}code`]: 'Diagnosis',
  [`${P}rank`]: 'Rank',
  [`${P}status`]: 'Status',
  [`${P}onsetDate`]: 'Onset date',
  [`${P}resolvedDate`]: 'Resolved date',
  [`${P}comment`]: 'Comment',
};
const RENAME = Object.fromEntries(Object.keys(LABELS).map((k) => [k.slice(P.length), k]));
type NewStatus = NonNullable<NewDiagnosis['status']>;
const NEW_STATUS_OPTIONS: { value: NewStatus; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'rule_out', label: 'Rule-out' },
  { value: 'resolved', label: 'Resolved' },
];

function AddDiagnosisForm({
  clientId,
  today,
  hasPrimary,
  onAdded,
  onCancel,
}: {
  clientId: string;
  today: string;
  hasPrimary: boolean;
  onAdded: (d: Diagnosis) => Promise<void>;
  onCancel: () => void;
}) {
  const [picked, setPicked] = useState<Icd10Item | null>(null);
  const [rank, setRank] = useState<Diagnosis['rank']>(hasPrimary ? 'secondary' : 'primary');
  const [status, setStatus] = useState<NewStatus>('active');
  const [onset, setOnset] = useState('');
  const [resolved, setResolved] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(picked ? {} : { [`${P}code`]: 'Search for a code and choose one' })) return;
    if (!picked) return;
    setBusy(true);
    try {
      const added = await diagnosesApi.add(clientId, {
        code: picked.code,
        rank,
        status,
        onsetDate: onset || null,
        resolvedDate: status === 'resolved' && resolved ? resolved : null,
        comment: comment.trim() || null,
      });
      await onAdded(added);
    } catch (err) {
      form.fromError(err, RENAME);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="dx-add" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="dx-add-title">
      <h3 id="dx-add-title">Add a diagnosis</h3>
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      <Icd10Search
        name={`${P}code`}
        label="Diagnosis (ICD-10-CM)"
        hint="Type a code such as F41.1 or words such as “generalized anxiety”."
        picked={picked}
        onPick={setPicked}
        error={form.errors[`${P}code`]}
      />
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
          options={NEW_STATUS_OPTIONS}
          required
          errors={form.errors}
        />
      </div>
      {hasPrimary && rank === 'primary' && status === 'active' ? (
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
            hint="Leave empty for today."
          />
        ) : null}
      </div>
      <TextArea
        name={`${P}comment`}
        label="Comment"
        value={comment}
        onChange={setComment}
        errors={form.errors}
        rows={2}
        hint="Seen by the care team only; billing sees the code without it."
      />
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add diagnosis'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The client's diagnosis list: codes, rank, status, onset; add, change and see each one's history. */
export function DiagnosesSection({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const today = localDateOf(new Date(), me.practice.timeZone);
  const [list, setList] = useState<DiagnosisList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning'; text: string } | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Diagnosis | null>(null);
  const [historyOf, setHistoryOf] = useState<Diagnosis | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    diagnosesApi
      .list(clientId, ctrl.signal)
      .then((l) => setList(l))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(toApiError(err).detail);
      });
    return () => ctrl.abort();
  }, [clientId]);

  /** Reloads the list, then shows the message with it, so what it says is on screen. */
  const refresh = async (text: string, kind: 'success' | 'warning' = 'success') => {
    try {
      setList(await diagnosesApi.list(clientId));
      setError(null);
    } catch (err) {
      setError(toApiError(err).detail);
    }
    setNotice({ kind, text });
  };
  const items = list ? [...list.items].sort(byListOrder) : [];
  const hasPrimary = items.some((d) => d.rank === 'primary' && d.status === 'active');
  const showComments = items.some((d) => d.comment !== undefined);

  return (
    <section className="panel diagnoses" aria-labelledby="dx-title">
      <div className="panel-header">
        <h2 id="dx-title">Diagnoses</h2>
        {list?.canEdit && !adding ? (
          <button type="button" className="button secondary small" onClick={() => setAdding(true)}>
            Add diagnosis
          </button>
        ) : null}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      {!list && !error ? <p role="status">Loading diagnoses…</p> : null}
      {list && items.length === 0 ? <p className="muted">No diagnoses recorded.</p> : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table dx-table">
            <caption className="visually-hidden">Diagnoses, working diagnoses first</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Diagnosis</th>
                <th scope="col">Rank</th>
                <th scope="col">Status</th>
                <th scope="col">Onset</th>
                <th scope="col">Resolved</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} className={d.status === 'entered_in_error' ? 'dx-error' : undefined}>
                  <td className="dx-code">{d.code}</td>
                  <th scope="row" className="dx-description">
                    {d.description}
                    {showComments && d.comment ? <span className="dx-comment">{d.comment}</span> : null}
                  </th>
                  <td>
                    {d.rank === 'primary' ? (
                      <span className="badge badge-primary">Primary</span>
                    ) : (
                      RANK_LABELS[d.rank]
                    )}
                  </td>
                  <td>
                    <span className={`badge dx-status badge-dx-${d.status}`}>
                      {DIAGNOSIS_STATUS_LABELS[d.status]}
                    </span>
                  </td>
                  <td>{formatDate(d.onsetDate)}</td>
                  <td>{formatDate(d.resolvedDate)}</td>
                  <td>
                    <div className="dx-actions">
                      {list?.canEdit && d.status !== 'entered_in_error' ? (
                        <button
                          type="button"
                          className="button secondary small"
                          aria-label={`Change ${d.code} ${d.description}`}
                          onClick={() => setEditing(d)}
                        >
                          Change
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="button secondary small"
                        aria-label={`History of ${d.code} ${d.description}`}
                        onClick={() => setHistoryOf(d)}
                      >
                        History
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list && !showComments && items.length > 0 ? (
        <p className="hint">Comments on diagnoses are visible to the care team only.</p>
      ) : null}
      {adding ? (
        <AddDiagnosisForm
          clientId={clientId}
          today={today}
          hasPrimary={hasPrimary}
          onCancel={() => setAdding(false)}
          onAdded={async (d) => {
            await refresh(`Added ${d.code} ${d.description}.`);
            setAdding(false);
          }}
        />
      ) : null}
      {editing ? (
        <DiagnosisEditDialog
          diagnosis={editing}
          today={today}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            await refresh(`Saved ${editing.code}.`);
            setEditing(null);
          }}
          onStale={async () => {
            setEditing(null);
            await refresh(
              `Someone else changed ${editing.code} since you opened it. Your change was not saved; the list now shows their version.`,
              'warning',
            );
          }}
        />
      ) : null}
      {historyOf ? <DiagnosisHistoryDialog diagnosis={historyOf} onClose={() => setHistoryOf(null)} /> : null}
    </section>
  );
}
