import type { DocumentationDashboard } from '../../api/documentationApi.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';

type RiskAlertItem = DocumentationDashboard['riskAlerts'][number];

/**
 * Open risk alerts on the clinician's caseload (clients whose primary clinician they are), shown
 * above everything else: each waits for a clinician to review it and acknowledge it on the
 * client's measures page.
 */
export function RiskAlertsTable({ items, timeZone }: { items: RiskAlertItem[]; timeZone: string }) {
  if (items.length === 0) return null;
  return (
    <section className="doc-section doc-section-danger doc-risk-alerts" aria-labelledby="doc-risk-alerts">
      <h2 id="doc-risk-alerts">
        Risk alerts to acknowledge <span className="doc-section-count">({items.length})</span>
      </h2>
      <p className="doc-risk-alerts-lead">
        A client answered PHQ-9 item 9 (thoughts of being better off dead or of self-harm) above zero. Review
        each one and acknowledge it on the client&apos;s measures page.
      </p>
      <div
        className="table-wrap"
        tabIndex={0}
        role="region"
        aria-label="Risk alerts to acknowledge (scrolls sideways)"
      >
        <table className="data-table doc-table">
          <caption className="visually-hidden">Risk alerts to acknowledge</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Alert</th>
              <th scope="col">Raised</th>
              <th scope="col" className="doc-action-col">
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.alertId} className="doc-row-overdue">
                <th scope="row">
                  <Link to={`/clients/${a.clientId}/measures`}>{a.displayName}</Link>
                  <span className="sub">
                    <code>{a.clientCode}</code>
                  </span>
                </th>
                <td>
                  <strong className="doc-overdue">PHQ-9 item 9 answered {a.itemValue}</strong>
                </td>
                <td>{formatDateTime(a.raisedAt, timeZone)}</td>
                <td className="actions">
                  <Link
                    to={`/clients/${a.clientId}/measures`}
                    className="button primary small"
                    aria-label={`Review risk alert for ${a.displayName}`}
                  >
                    Review alert
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
