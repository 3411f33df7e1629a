import { useEffect, useState } from 'react';
import { handoversApi, type PendingHandover } from '../../api/handoversApi.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';

/**
 * Clients handed over to the signed-in clinician whose hand-over summary they have not yet
 * confirmed reading. Shown on their own dashboard only; nothing when there are none.
 */
export function HandoversToRead({ timeZone }: { timeZone: string }) {
  const [items, setItems] = useState<PendingHandover[]>([]);
  useEffect(() => {
    const ctrl = new AbortController();
    handoversApi
      .pending(ctrl.signal)
      .then((r) => setItems(r.items))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, []);
  if (items.length === 0) return null;
  return (
    <section className="doc-section doc-handovers" aria-labelledby="doc-handovers">
      <h2 id="doc-handovers">
        Hand-overs to read <span className="doc-section-count">({items.length})</span>
      </h2>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Hand-overs to read (scrolls sideways)"
      >
        <table className="data-table doc-table">
          <caption className="visually-hidden">Hand-overs to read</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">From</th>
              <th scope="col">Handed over</th>
              <th scope="col" className="doc-action-col">
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id}>
                <th scope="row">
                  <Link to={`/clients/${h.clientId}`}>{h.displayName}</Link>
                  <span className="sub">
                    <code>{h.clientCode}</code>
                  </span>
                </th>
                <td>{h.from?.name ?? 'No previous primary clinician'}</td>
                <td>{formatDateTime(h.createdAt, timeZone)}</td>
                <td className="actions">
                  <Link
                    to={`/handovers/${h.id}`}
                    className="button primary small"
                    aria-label={`Read the hand-over of ${h.displayName}`}
                  >
                    Read hand-over
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
