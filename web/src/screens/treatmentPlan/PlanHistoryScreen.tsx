import { useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { treatmentPlanApi, type PlanChanges, type PlanVersionSummary } from '../../api/treatmentPlanApi.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { changeCountText, changeValueText } from './planHistory.js';
import './treatmentPlan.css';

/** Every version of a client's plan, newest first: who signed it when, and what changed from the one before. */
export function PlanHistoryScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const timeZone = me.practice.timeZone;
  const [versions, setVersions] = useState<PlanVersionSummary[] | null>(null);
  const [changes, setChanges] = useState<Record<string, PlanChanges | 'failed'>>({});
  const [client, setClient] = useState<ClientRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .client(clientId)
      .then((c) => live && setClient(c))
      .catch(() => undefined);
    treatmentPlanApi
      .versions(clientId)
      .then((r) => {
        if (!live) return;
        setVersions(r.items);
        for (const v of r.items)
          treatmentPlanApi
            .changes(v.id)
            .then((c) => live && setChanges((m) => ({ ...m, [v.id]: c })))
            .catch(() => live && setChanges((m) => ({ ...m, [v.id]: 'failed' })));
      })
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);

  const clientName = client
    ? `${client.preferredName ?? client.legalFirstName} ${client.legalLastName}`
    : null;
  return (
    <>
      <PageHeader title="Treatment plan history">
        <Link to={`/clients/${clientId}/plan`} className="button secondary">
          Current plan
        </Link>
      </PageHeader>
      <p className="record-meta">
        <Link to={`/clients/${clientId}`}>{clientName ?? 'Client record'}</Link>
      </p>
      {error ? (
        <Alert kind="error">{error}</Alert>
      ) : !versions ? (
        <p role="status">Loading history…</p>
      ) : versions.length === 0 ? (
        <p>There is no treatment plan for this client yet.</p>
      ) : (
        versions.map((v) => {
          const c = changes[v.id];
          return (
            <section
              className="panel tp-history-version"
              key={v.id}
              aria-labelledby={`tp-v-${v.id}`}
              data-testid="plan-version"
            >
              <div className="panel-header">
                <h2 id={`tp-v-${v.id}`}>
                  Version {v.versionNo}{' '}
                  {v.status === 'signed' ? (
                    <span className="badge badge-signed">Signed</span>
                  ) : (
                    <span className="badge badge-draft">Draft</span>
                  )}
                </h2>
              </div>
              <p className="muted">
                {v.signedAt
                  ? `Signed by ${v.signerName ?? 'a former user'} on ${formatDateTime(v.signedAt, timeZone)}`
                  : `Started ${formatDateTime(v.createdAt, timeZone)}, not signed`}
                {v.reviewDueDate ? ` · Review due ${formatDate(v.reviewDueDate)}` : ''}
                {v.status === 'signed'
                  ? v.acknowledged
                    ? ' · Acknowledged by the client'
                    : ' · Not acknowledged'
                  : ''}
              </p>
              {c === undefined ? (
                <p role="status">Loading changes…</p>
              ) : c === 'failed' ? (
                <Alert kind="error">The changes of this version could not be loaded.</Alert>
              ) : (
                <>
                  <p>{changeCountText(c)}</p>
                  {c.previous && c.changes.length > 0 ? (
                    <table className="tp-diff">
                      <caption className="visually-hidden">
                        Changes in version {v.versionNo} from version {c.previous.versionNo}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">What changed</th>
                          <th scope="col">Before</th>
                          <th scope="col">After</th>
                        </tr>
                      </thead>
                      <tbody>
                        {c.changes.map((ch) => (
                          <tr key={`${ch.path}|${ch.label}`}>
                            <th scope="row">{ch.label}</th>
                            <td>
                              {ch.before === null ? (
                                <span className="tp-empty">(none)</span>
                              ) : (
                                <del>{changeValueText(ch.before)}</del>
                              )}
                            </td>
                            <td>
                              {ch.after === null ? (
                                <span className="tp-empty">(none)</span>
                              ) : (
                                <ins>{changeValueText(ch.after)}</ins>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                </>
              )}
            </section>
          );
        })
      )}
    </>
  );
}
