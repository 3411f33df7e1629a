import { useEffect, useState } from 'react';
import { recordRequestsApi, type RequestsDue } from '../../api/recordRequestsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { DueBadge } from './requestLabels.js';
import './recordRequests.css';

/** Open copy and amendment requests due within a week or overdue: all clients for owners/admins, own for clinicians. */
export function RequestsDueScreen() {
  const [data, setData] = useState<RequestsDue | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    recordRequestsApi
      .due()
      .then((d) => live && setData(d))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, []);
  return (
    <>
      <PageHeader title="Requests due" />
      <p className="hint">
        Requests for a copy of the record (due 30 days after receipt) and to amend it (60 days), open and due
        within the next 7 days or overdue.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!data && !error ? <p role="status">Loading…</p> : null}
      {data && data.items.length === 0 ? <p>No requests are due in the next 7 days.</p> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Requests due</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Request</th>
                <th scope="col">Received</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/clients/${r.client.id}/requests`}>{r.client.name}</Link>{' '}
                    <span className="sub">{r.client.clientCode}</span>
                  </th>
                  <td>{r.kind === 'copy' ? 'Copy of the record' : 'Amendment'}</td>
                  <td>{formatDate(r.receivedOn)}</td>
                  <td>
                    <DueBadge state={r.dueState} due={r.effectiveDueOn} />
                    {r.extended ? <span className="sub"> (extended)</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
