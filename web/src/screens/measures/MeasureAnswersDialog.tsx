import { useEffect, useState } from 'react';
import { INSTRUMENTS } from '../../../../src/domain/measureInstruments.js';
import { measuresApi, type MeasureDetail } from '../../api/measuresApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { Dialog } from '../../components/Dialog.js';
import { formatDateTime } from '../../components/dateFormat.js';

/** One questionnaire's item answers, read (and audited) only when the clinician opens it. */
export function MeasureAnswersDialog({
  measureId,
  timeZone,
  onClose,
}: {
  measureId: string;
  timeZone: string;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<MeasureDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    measuresApi
      .detail(measureId)
      .then(setDetail)
      .catch((err: unknown) => setError(toApiError(err).detail));
  }, [measureId]);
  const def = detail ? INSTRUMENTS[detail.instrument] : null;
  const label = (value: number | undefined, options: { value: number; label: string }[]) =>
    value === undefined
      ? 'Not answered'
      : `${value} — ${options.find((o) => o.value === value)?.label ?? ''}`;
  return (
    <Dialog
      open
      title={def ? `${def.shortName} answers` : 'Answers'}
      onClose={onClose}
      className="measure-answers-dialog"
    >
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!detail || !def ? (
        !error ? (
          <p role="status">Loading…</p>
        ) : null
      ) : (
        <>
          <p>
            {formatDateTime(detail.administeredAt, timeZone)} · total {detail.total} of {def.maxTotal},{' '}
            {detail.band.label} ·{' '}
            {detail.source === 'client_link' ? 'completed by the client by link' : 'given in session'}
            {detail.recordedBy ? ` by ${detail.recordedBy.name}` : ''}
          </p>
          <table className="data-table measure-answers">
            <caption>{def.timeframe}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Question</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {def.items.map((item) => (
                <tr key={item.id} className={detail.answers[item.id] ? '' : 'muted'}>
                  <td>{item.number}</td>
                  <th scope="row">{item.text}</th>
                  <td>{label(detail.answers[item.id], def.options)}</td>
                </tr>
              ))}
              {def.difficulty ? (
                <tr>
                  <td />
                  <th scope="row">{def.difficulty.text} (not scored)</th>
                  <td>{label(detail.answers[def.difficulty.id], def.difficulty.options)}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <div className="button-row">
            <button type="button" className="button secondary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
