import type { ToCosignItem } from '../../api/documentationApi.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import './cosignQueue.css';

/** Supervisees' signed notes waiting for the supervisor's co-signature, oldest first. */
export function CosignTable({
  items,
  timeZone,
  caption,
}: {
  items: ToCosignItem[];
  timeZone: string;
  caption: string;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${caption} (scrolls sideways)`}>
      <table className="data-table cosign-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Author</th>
            <th scope="col">Client</th>
            <th scope="col">Date of service</th>
            <th scope="col">Signed</th>
            <th scope="col">Review</th>
          </tr>
        </thead>
        <tbody>
          {items.map((n) => (
            <tr key={n.noteId}>
              <th scope="row">{n.authorName}</th>
              <td>
                {n.displayName}
                <span className="sub">
                  <code>{n.clientCode}</code>
                </span>
              </td>
              <td className="nowrap">{formatDate(n.dateOfService)}</td>
              <td>
                <span className="nowrap">{formatDateTime(n.signedAt, timeZone)}</span>
                {n.lateEntry ? (
                  <span className="sub">
                    <span className="badge badge-late">Late entry</span>
                  </span>
                ) : null}
              </td>
              <td className="actions">
                <Link
                  to={`/notes/${n.noteId}`}
                  className="button secondary small"
                  aria-label={`Review ${n.authorName}'s note for ${n.displayName}, ${formatDate(n.dateOfService)}`}
                >
                  Review
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
