import { useEffect, useState } from 'react';
import { consentsApi, type DisclosureView } from '../../api/consentsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { TextField } from '../../components/fields.js';
import { RELEASE_CATEGORY_LABELS } from '../../../../src/domain/releaseScope.js';
import { saveFile } from './saveFile.js';

/** The disclosure log (newest first, paged) and the accounting of disclosures downloads. */
export function DisclosuresSection({
  clientId,
  today,
  reloadKey,
}: {
  clientId: string;
  today: string;
  reloadKey: number;
}) {
  const [items, setItems] = useState<DisclosureView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  useEffect(() => {
    let live = true;
    consentsApi
      .disclosures(clientId)
      .then((d) => {
        if (!live) return;
        setItems(d.items);
        setNext(d.nextCursor);
      })
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId, reloadKey]);

  const more = async () => {
    if (!next) return;
    try {
      const d = await consentsApi.disclosures(clientId, next);
      setItems((cur) => [...(cur ?? []), ...d.items]);
      setNext(d.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };
  const accounting = async (format: 'pdf' | 'csv') => {
    setError(null);
    try {
      const f = await consentsApi.accounting(clientId, format, from || undefined, to || undefined);
      saveFile(f.blob, f.filename);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  return (
    <section className="panel" aria-labelledby="disclosures-title">
      <h2 id="disclosures-title">Disclosures</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="filters" role="group" aria-label="Accounting of disclosures">
        <TextField
          name="accountingFrom"
          label="Accounting from"
          type="date"
          hint="Default: six years back"
          max={today}
          value={from}
          onChange={setFrom}
        />
        <TextField name="accountingTo" label="to" type="date" max={today} value={to} onChange={setTo} />
        <div className="button-row">
          <button type="button" className="button secondary" onClick={() => void accounting('pdf')}>
            Accounting of disclosures (PDF)
          </button>
          <button type="button" className="button secondary" onClick={() => void accounting('csv')}>
            Accounting of disclosures (CSV)
          </button>
        </div>
      </div>
      {items === null ? (
        <p role="status">Loading disclosures…</p>
      ) : items.length === 0 ? (
        <p className="muted">No releases recorded.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" aria-label="Disclosure log">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Recipient</th>
                <th scope="col">What</th>
                <th scope="col">Basis</th>
                <th scope="col">Format</th>
                <th scope="col">In the accounting</th>
                <th scope="col">Released by</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td>{formatDate(d.disclosedOn)}</td>
                  <td>
                    {d.recipient.name}
                    {d.recipient.contact ? <div className="muted">{d.recipient.contact}</div> : null}
                  </td>
                  <td>
                    {d.categories.map((c) => RELEASE_CATEGORY_LABELS[c]).join(', ')}
                    <div className="muted">{d.purpose}</div>
                  </td>
                  <td>{d.basisLabel}</td>
                  <td>
                    {d.format.toUpperCase()}
                    {d.channel === 'outside' ? <div className="muted">outside Casebook</div> : null}
                  </td>
                  <td>{d.accountable ? 'Yes' : 'No'}</td>
                  <td>{d.releasedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <button type="button" className="button secondary" onClick={() => void more()}>
          Show older releases
        </button>
      ) : null}
    </section>
  );
}
