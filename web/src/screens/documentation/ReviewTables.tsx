import type { AwaitingCosignItem, NeedsNoteItem, ReturnedItem } from '../../api/documentationApi.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { formatSpan } from './documentationVocabulary.js';

/** Notes the supervisor sent back with comments; the author revises and signs them again. */
export function ReturnedTable({
  items,
  sessions,
  now,
  timeZone,
  own,
}: {
  items: ReturnedItem[];
  /** The dashboard's sessions, to show a returned note's deadline when its session is listed. */
  sessions: NeedsNoteItem[];
  now: string;
  timeZone: string;
  own: boolean;
}) {
  if (items.length === 0) return null;
  const bySession = new Map(sessions.filter((s) => s.noteId).map((s) => [s.noteId, s]));
  return (
    <section className="doc-section doc-section-warning" aria-labelledby="doc-returned">
      <h2 id="doc-returned">
        Returned by supervisor <span className="doc-section-count">({items.length})</span>
      </h2>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Returned by supervisor (scrolls sideways)"
      >
        <table className="data-table doc-table">
          <caption className="visually-hidden">Returned by supervisor</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Date of service</th>
              <th scope="col">Status</th>
              <th scope="col" className="doc-action-col">
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((n) => {
              const session = bySession.get(n.noteId);
              const overdue = session?.deadline === 'overdue';
              return (
                <tr key={n.noteId} className={overdue ? 'doc-row-overdue' : undefined}>
                  <th scope="row">
                    <Link to={`/clients/${n.clientId}`}>{n.displayName}</Link>
                    <span className="sub">
                      <code>{n.clientCode}</code>
                    </span>
                  </th>
                  <td>{formatDate(n.dateOfService)}</td>
                  <td>
                    <strong className="doc-returned">Returned by supervisor — revise</strong>
                    <span className="sub">Returned {formatDateTime(n.returnedAt, timeZone)}</span>
                    {overdue && session ? (
                      <span className="sub doc-overdue">
                        Overdue by{' '}
                        {session.overdueFor ?? formatSpan(Date.parse(now) - Date.parse(session.noteDueAt))}
                      </span>
                    ) : null}
                  </td>
                  <td className="actions">
                    <Link
                      to={`/notes/${n.noteId}`}
                      className="button primary small"
                      aria-label={`${own ? 'Revise note' : 'Open note'} for ${n.displayName}, ${formatDate(n.dateOfService)}`}
                    >
                      {own ? 'Revise note' : 'Open note'}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Notes the author has signed that wait for the supervisor: nothing to do but know they wait. */
export function AwaitingTable({ items, timeZone }: { items: AwaitingCosignItem[]; timeZone: string }) {
  if (items.length === 0) return null;
  return (
    <section className="doc-section" aria-labelledby="doc-awaiting">
      <h2 id="doc-awaiting">
        Awaiting co-signature <span className="doc-section-count">({items.length})</span>
      </h2>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Awaiting co-signature (scrolls sideways)"
      >
        <table className="data-table doc-table">
          <caption className="visually-hidden">Awaiting co-signature</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Date of service</th>
              <th scope="col">Signed</th>
              <th scope="col" className="doc-action-col">
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((n) => (
              <tr key={n.noteId}>
                <th scope="row">
                  {n.displayName}
                  <span className="sub">
                    <code>{n.clientCode}</code>
                  </span>
                </th>
                <td>{formatDate(n.dateOfService)}</td>
                <td>
                  <span className="block">{formatDateTime(n.signedAt, timeZone)}</span>
                  <span className="sub">
                    {n.cosignerName ? `Waiting for ${n.cosignerName}` : 'Waiting for a co-signer'}
                  </span>
                </td>
                <td className="actions">
                  <Link
                    to={`/notes/${n.noteId}`}
                    className="button secondary small"
                    aria-label={`Open note for ${n.displayName}, ${formatDate(n.dateOfService)}`}
                  >
                    Open note
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
