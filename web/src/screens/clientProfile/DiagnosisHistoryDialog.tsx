import { useEffect, useState } from 'react';
import { diagnosesApi, type Diagnosis, type DiagnosisHistory } from '../../api/diagnosesApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { Dialog } from '../../components/Dialog.js';
import { useSession } from '../../session.js';
import { CHANGED_FIELD_LABELS, DIAGNOSIS_STATUS_LABELS, RANK_LABELS } from './diagnosisLabels.js';

/** Every version of one diagnosis: when, who, the state it left, and what changed (highlighted). */
export function DiagnosisHistoryDialog({
  diagnosis,
  onClose,
}: {
  diagnosis: Diagnosis;
  onClose: () => void;
}) {
  const { me } = useSession();
  const [history, setHistory] = useState<DiagnosisHistory | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    diagnosesApi
      .history(diagnosis.id)
      .then((h) => live && setHistory(h))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [diagnosis.id]);

  const changed = (fields: string[], field: string) => (fields.includes(field) ? 'changed' : undefined);
  return (
    <Dialog
      open
      title={`History of ${diagnosis.code} ${diagnosis.description}`}
      onClose={onClose}
      className="dx-history"
    >
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!history && !error ? <p role="status">Loading history…</p> : null}
      {history ? (
        <div className="table-wrap">
          <table className="data-table compact">
            <caption className="visually-hidden">
              Versions, oldest first; changed values are highlighted
            </caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Rank</th>
                <th scope="col">Status</th>
                <th scope="col">Onset</th>
                <th scope="col">Resolved</th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {history.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{formatDateTime(v.changedAt, me.practice.timeZone)}</td>
                  <td>{v.changedBy.name}</td>
                  <td className={changed(v.changedFields, 'rank')}>{RANK_LABELS[v.rank]}</td>
                  <td className={changed(v.changedFields, 'status')}>{DIAGNOSIS_STATUS_LABELS[v.status]}</td>
                  <td className={changed(v.changedFields, 'onset_date')}>{formatDate(v.onsetDate)}</td>
                  <td className={changed(v.changedFields, 'resolved_date')}>{formatDate(v.resolvedDate)}</td>
                  <td>
                    {v.version === 1
                      ? 'Added'
                      : v.changedFields.map((f) => CHANGED_FIELD_LABELS[f] ?? f).join(', ') || 'Nothing'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="hint">Comments are not kept in the history; only that one was changed.</p>
      <div className="button-row">
        <button type="button" className="button secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
