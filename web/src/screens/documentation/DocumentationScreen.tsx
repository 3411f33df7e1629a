import { useEffect, useState } from 'react';
import { documentationApi, type DocumentationDashboard } from '../../api/documentationApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useStaff } from '../../components/useStaff.js';
import { navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { CosignTable } from '../cosignQueue/CosignTable.js';
import { PlanReviewsTable } from '../treatmentPlan/PlanReviewsTable.js';
import { groupWork, isUpToDate, type WorkRow } from './dashboardRows.js';
import { AwaitingTable, ReturnedTable } from './ReviewTables.js';
import { RiskAlertsTable } from './RiskAlertsTable.js';
import { HandoversToRead } from './HandoversToRead.js';
import { SummaryCards } from './SummaryCards.js';
import { WorkTable } from './WorkTable.js';
import './documentation.css';

/**
 * A clinician's documentation dashboard: what is overdue, what falls due soon, what the
 * supervisor returned, and what waits for co-signature. Supervisors and owners may open a
 * colleague's dashboard (/documentation/:clinicianId); the server decides whether they may.
 */
export function DocumentationScreen({ clinicianId }: { clinicianId?: string }) {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const isOwner = hasRole(me, 'owner');
  const isSupervisor = hasRole(me, 'supervisor');
  const writesNotes = hasRole(me, 'clinician', 'supervisor');
  const canPick = isOwner || isSupervisor;
  const { clinicians } = useStaff(canPick);
  const viewing = clinicianId ?? (writesNotes ? me.user.id : null);
  const own = viewing === me.user.id;

  const [data, setData] = useState<DocumentationDashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);

  useEffect(() => {
    if (!viewing) return undefined;
    const ctrl = new AbortController();
    setData(null);
    setError(null);
    documentationApi
      .dashboard(own ? undefined : viewing, ctrl.signal)
      .then(setData)
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(toApiError(err).detail);
      });
    return () => ctrl.abort();
  }, [viewing, own]);

  // Owners pick from every clinician; a supervisor from themselves and their supervisees.
  const choices = clinicians.filter((c) => isOwner || c.id === me.user.id || c.supervisorId === me.user.id);
  const viewedName = own ? null : (clinicians.find((c) => c.id === viewing)?.fullName ?? null);
  const title = own ? 'Documentation' : `Documentation: ${viewedName ?? 'clinician'}`;

  const write = async (row: WorkRow) => {
    if (!row.session) return;
    setBusyKey(row.key);
    setActionError(null);
    try {
      const noteId = await documentationApi.startSessionNote({
        clientId: row.clientId,
        sessionId: row.session.id,
        shortNoteOnly: row.session.shortNoteOnly,
      });
      navigate(`/notes/${noteId}`);
    } catch (err) {
      setActionError(toApiError(err).detail);
      setBusyKey(null);
    }
  };

  const groups = data ? groupWork(data) : null;

  return (
    <>
      <PageHeader title={title} />
      {canPick ? (
        <div className="doc-picker field">
          <label htmlFor="doc-clinician">Show the documentation of</label>
          <select
            id="doc-clinician"
            value={viewing ?? ''}
            onChange={(e) =>
              navigate(e.target.value === me.user.id ? '/documentation' : `/documentation/${e.target.value}`)
            }
          >
            {viewing ? null : <option value="">Choose a clinician</option>}
            {writesNotes ? <option value={me.user.id}>Me ({me.user.fullName})</option> : null}
            {choices
              .filter((c) => c.id !== me.user.id)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.fullName}
                </option>
              ))}
            {viewing && !own && !choices.some((c) => c.id === viewing) ? (
              <option value={viewing}>{viewedName ?? 'This clinician'}</option>
            ) : null}
          </select>
        </div>
      ) : null}
      {!viewing ? (
        <p>
          {canPick
            ? 'Choose a clinician to see their notes and deadlines.'
            : 'Only clinicians and their supervisors have a documentation dashboard.'}
        </p>
      ) : error ? (
        <Alert kind="error">{error}</Alert>
      ) : !data || !groups ? (
        <p role="status">Loading documentation…</p>
      ) : (
        <>
          <p className="doc-policy">
            Notes are due {data.policy.noteDueHours} hours after the session. Reminders start{' '}
            {data.policy.reminderHoursBefore} hours before the deadline.
          </p>
          <RiskAlertsTable items={data.riskAlerts} timeZone={tz} />
          {own ? <HandoversToRead timeZone={tz} /> : null}
          <SummaryCards counts={data.counts} showToCosign={isSupervisor || data.counts.toCosign > 0} />
          <div aria-live="polite">{actionError ? <Alert kind="error">{actionError}</Alert> : null}</div>
          {isUpToDate(data, groups) ? (
            <p className="doc-up-to-date" role="status">
              {own ? 'You are up to date.' : `${viewedName ?? 'This clinician'} is up to date.`}
            </p>
          ) : null}
          <WorkTable
            id="doc-overdue"
            title="Overdue"
            tone="danger"
            rows={groups.overdue}
            now={data.now}
            timeZone={tz}
            own={own}
            busyKey={busyKey}
            onWrite={(r) => void write(r)}
          />
          <WorkTable
            id="doc-due-soon"
            title="Due soon"
            tone="warning"
            rows={groups.dueSoon}
            now={data.now}
            timeZone={tz}
            own={own}
            busyKey={busyKey}
            onWrite={(r) => void write(r)}
          />
          <PlanReviewsTable items={data.planReviews} />
          <ReturnedTable
            items={data.returned}
            sessions={data.needsNote}
            now={data.now}
            timeZone={tz}
            own={own}
          />
          <WorkTable
            id="doc-later"
            title="Not due yet"
            rows={groups.later}
            now={data.now}
            timeZone={tz}
            own={own}
            busyKey={busyKey}
            onWrite={(r) => void write(r)}
          />
          <AwaitingTable items={data.awaitingCosign} timeZone={tz} />
          {data.toCosign.length > 0 ? (
            <section className="doc-section" aria-labelledby="doc-to-cosign">
              <h2 id="doc-to-cosign">
                To co-sign <span className="doc-section-count">({data.toCosign.length})</span>
              </h2>
              <CosignTable items={data.toCosign} timeZone={tz} caption="Notes to co-sign" />
            </section>
          ) : null}
        </>
      )}
    </>
  );
}
