import type { DocumentationDashboard } from '../../api/documentationApi.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';

type PlanReviewItem = DocumentationDashboard['planReviews'][number];

/** "Overdue by 3 days" / "Due today" / "Due in 5 days". */
export function reviewWhen(daysUntilDue: number): string {
  if (daysUntilDue < 0) return `Overdue by ${-daysUntilDue} ${daysUntilDue === -1 ? 'day' : 'days'}`;
  if (daysUntilDue === 0) return 'Due today';
  return `Due in ${daysUntilDue} ${daysUntilDue === 1 ? 'day' : 'days'}`;
}

/** The dashboard's treatment plans whose review is due soon or overdue, most overdue first. */
export function PlanReviewsTable({ items }: { items: PlanReviewItem[] }) {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => a.daysUntilDue - b.daysUntilDue);
  const overdue = items.some((r) => r.state === 'overdue');
  return (
    <section
      className={`doc-section ${overdue ? 'doc-section-danger' : 'doc-section-warning'}`}
      aria-labelledby="doc-plan-reviews"
    >
      <h2 id="doc-plan-reviews">
        Treatment plan reviews <span className="doc-section-count">({items.length})</span>
      </h2>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Treatment plan reviews (scrolls sideways)"
      >
        <table className="data-table doc-table">
          <caption className="visually-hidden">Treatment plans due for review</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Plan</th>
              <th scope="col">Review due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.versionId} className={r.state === 'overdue' ? 'doc-row-overdue' : undefined}>
                <th scope="row">
                  <Link to={`/clients/${r.clientId}/plan`}>{r.displayName}</Link>
                  <span className="sub">
                    <code>{r.clientCode}</code>
                  </span>
                </th>
                <td>Version {r.versionNo}</td>
                <td>{formatDate(r.reviewDueDate)}</td>
                <td>
                  <span className={`badge ${r.state === 'overdue' ? 'badge-overdue' : 'badge-due-soon'}`}>
                    {r.state === 'overdue' ? 'Overdue' : 'Due soon'}
                  </span>{' '}
                  {reviewWhen(r.daysUntilDue)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
