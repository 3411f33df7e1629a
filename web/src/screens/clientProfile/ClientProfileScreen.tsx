import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { takeFlash } from '../../components/flash.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { openAuditForClient } from '../audit/auditFilterMemory.js';
import { ChartSection } from '../clientChart/ChartSection.js';
import { PlanSummarySection } from '../treatmentPlan/PlanSummarySection.js';
import { ClientGoalProgressSection } from '../goalProgress/ClientGoalProgressSection.js';
import { BackgroundSection } from './BackgroundSection.js';
import { ImportedDocumentsSection } from '../clientImport/ImportedDocumentsSection.js';
import { BreakGlassRequest } from './BreakGlassRequest.js';
import { CareTeamSection } from './CareTeamSection.js';
import { DiagnosesSection } from './DiagnosesSection.js';
import { AnnotationsSection } from './AnnotationsSection.js';
import { StatusDialog } from './StatusDialog.js';
import { ProgressReportAction } from './ProgressReportAction.js';
import { ClientRiskAlerts } from '../measures/ClientRiskAlerts.js';
import { HandoverAction, HandoverBanner, HandoverHistory } from '../handover/ClientHandovers.js';

const GROUNDS: Record<string, string> = {
  care_team: 'You are on the care team.',
  primary: 'You are the primary clinician.',
  supervision: 'You supervise a member of the care team.',
  break_glass:
    'You are viewing this record under emergency access. This access is time-limited and reviewed.',
  practice_setting: 'Practice settings let owners and admins see every client.',
  front_office: 'Front-office access: demographics only.',
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="dl-row">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">Not recorded</span>}</dd>
    </div>
  );
}

/** One client's record: demographics, contacts, background, care team, status and emergency access. */
export function ClientProfileScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [record, setRecord] = useState<ClientRecord | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [flash, setFlashMessage] = useState<string | null>(() => takeFlash());
  const [statusOpen, setStatusOpen] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .client(clientId)
      .then((r) => live && setRecord(r))
      .catch((err: unknown) => live && setError(toApiError(err)));
    return () => {
      live = false;
    };
  }, [clientId, reloadKey]);

  if (error?.status === 403) {
    return (
      <>
        <PageHeader title="Client record" />
        <BreakGlassRequest
          clientId={clientId}
          reason={error.detail}
          onGranted={(until) => {
            setFlashMessage(
              `Emergency access granted until ${formatDateTime(until, me.practice.timeZone)}. Owners and admins have been alerted.`,
            );
            setReloadKey((k) => k + 1);
          }}
        />
      </>
    );
  }
  if (error) {
    return (
      <>
        <PageHeader title="Client record" />
        <Alert kind="error">
          {error.status === 404 ? 'There is no client with this address in your practice.' : error.detail}
        </Alert>
        <Link to="/clients">Back to clients</Link>
      </>
    );
  }
  if (!record) return <p role="status">Loading record…</p>;

  const c = record;
  const name = `${c.preferredName ?? c.legalFirstName} ${c.legalLastName}`;
  const address = c.address
    ? [
        c.address.line1,
        c.address.line2,
        `${c.address.city}${c.address.state ? `, ${c.address.state}` : ''} ${c.address.postalCode}`.trim(),
        c.address.country,
      ].filter(Boolean)
    : null;
  return (
    <>
      <PageHeader title={name}>
        {c.access.canEdit ? (
          <Link to={`/clients/${c.id}/edit`} className="button primary">
            Edit details
          </Link>
        ) : null}
        {c.status === 'active' && hasRole(me, 'clinician', 'supervisor', 'scheduler', 'owner', 'admin') ? (
          <Link to={`/sessions/new?clientId=${c.id}`} className="button secondary">
            Book session
          </Link>
        ) : null}
        <HandoverAction
          record={c}
          onDone={(h) => {
            setFlashMessage(`Handed over to ${h.to.name}. They will see the hand-over summary to read.`);
            setReloadKey((k) => k + 1);
          }}
          onStale={() => setReloadKey((k) => k + 1)}
        />
        {c.access.canChangeStatus ? (
          <button type="button" className="button secondary" onClick={() => setStatusOpen(true)}>
            {c.status === 'active' ? 'Discharge or deactivate' : 'Reactivate'}
          </button>
        ) : null}
        {hasRole(me, 'auditor', 'owner') ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              openAuditForClient(c.id, c.clientCode);
              navigate('/audit');
            }}
          >
            Audit history
          </button>
        ) : null}
        {c.access.canSeeBackground ? (
          <Link to={`/clients/${c.id}/measures`} className="button secondary">
            Outcome measures
          </Link>
        ) : null}
        {c.access.canSeeBackground ? <ProgressReportAction clientId={c.id} /> : null}
        {c.access.canSeeBackground || hasRole(me, 'scheduler') ? (
          <Link to={`/clients/${c.id}/requests`} className="button secondary">
            Record requests
          </Link>
        ) : null}
        {c.access.canSeeBackground || hasRole(me, 'scheduler') ? (
          <Link to={`/clients/${c.id}/consents`} className="button secondary">
            Consents &amp; releases
          </Link>
        ) : null}
      </PageHeader>
      <p className="record-meta">
        <Link to="/clients">Clients</Link> · Code <code>{c.clientCode}</code> ·{' '}
        <StatusBadge status={c.status} />
        {c.statusReason ? <span className="muted"> ({c.statusReason})</span> : null}
      </p>
      {c.access.canSeeBackground ? <ClientRiskAlerts clientId={c.id} /> : null}
      {c.access.canSeeBackground ? <HandoverBanner clientId={c.id} version={c.version} /> : null}
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      <p className={`grounds${c.access.grounds === 'break_glass' ? ' grounds-emergency' : ''}`}>
        {c.access.grounds === 'front_office' && hasRole(me, 'biller')
          ? 'Billing access: demographics, schedule and diagnosis codes only.'
          : (GROUNDS[c.access.grounds] ?? '')}
      </p>

      <div className="record-grid">
        <section className="panel" aria-labelledby="demo-title">
          <h2 id="demo-title">Demographics</h2>
          <dl className="dl">
            <Row label="Legal name">{`${c.legalFirstName} ${c.legalLastName}`}</Row>
            <Row label="Preferred name">{c.preferredName}</Row>
            <Row label="Pronouns">{c.pronouns}</Row>
            <Row label="Date of birth">{formatDate(c.dateOfBirth)}</Row>
            <Row label="Gender identity">{c.genderIdentity}</Row>
            <Row label="Sex">{c.sex}</Row>
            <Row label="Preferred language">{c.preferredLanguage}</Row>
            <Row label="Phone">
              {c.phones.length ? (
                <ul className="plain">
                  {c.phones.map((p, i) => (
                    <li key={i}>
                      {p.number}{' '}
                      <span className="muted">
                        ({p.kind}
                        {p.mayLeaveMessage ? ', may leave a message' : ', no messages'})
                      </span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </Row>
            <Row label="Email">{c.email}</Row>
            <Row label="Address">
              {address ? (
                <address>
                  {address.map((l, i) => (
                    <span key={i} className="block">
                      {l}
                    </span>
                  ))}
                </address>
              ) : null}
            </Row>
            <Row label="Intake date">{c.intakeDate ? formatDate(c.intakeDate) : null}</Row>
            <Row label="Referral source">{c.referralSource}</Row>
          </dl>
        </section>

        <div className="stack">
          <CareTeamSection record={c} onChange={setRecord} />
          {c.access.canSeeBackground ? <HandoverHistory clientId={c.id} version={c.version} /> : null}
          <section className="panel" aria-labelledby="contacts-title">
            <h2 id="contacts-title">Contacts</h2>
            {c.contacts.length === 0 ? (
              <p className="muted">No contacts recorded.</p>
            ) : (
              <ul className="contact-list">
                {c.contacts.map((k) => (
                  <li key={k.id}>
                    <p className="contact-name">
                      {k.name} <span className="muted">· {k.relationship}</span>
                      {k.isEmergency ? <span className="badge badge-emergency">Emergency</span> : null}
                    </p>
                    <p>
                      {k.phone ?? ''} {k.email ? `· ${k.email}` : ''}
                    </p>
                    <p className={k.mayContact ? 'consent-yes' : 'consent-no'}>
                      {k.mayContact
                        ? 'Client agrees we may contact them.'
                        : 'Do not contact without asking the client.'}
                    </p>
                    {k.notes ? <p className="muted">{k.notes}</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>

      {c.access.canSeeBackground ? <PlanSummarySection clientId={c.id} /> : null}
      {c.access.canSeeBackground ? <ClientGoalProgressSection clientId={c.id} /> : null}
      {c.access.canSeeBackground ? <BackgroundSection clientId={c.id} /> : null}
      {c.access.canSeeBackground ? <ImportedDocumentsSection clientId={c.id} /> : null}
      {/* A coaching practice keeps no diagnosis codes. */}
      {me.practice.kind !== 'coaching' && (c.access.canSeeBackground || hasRole(me, 'biller')) ? (
        <DiagnosesSection clientId={c.id} />
      ) : null}
      {c.access.canSeeBackground ? (
        <AnnotationsSection
          clientId={c.id}
          canWrite={
            hasRole(me, 'clinician', 'supervisor') &&
            (c.access.grounds === 'care_team' || c.access.grounds === 'primary')
          }
        />
      ) : null}
      {c.access.canSeeBackground ? <ChartSection clientId={c.id} access={c.access} /> : null}

      {statusOpen ? (
        <StatusDialog
          record={c}
          onClose={() => setStatusOpen(false)}
          onChanged={(r) => {
            setRecord(r);
            setStatusOpen(false);
            setFlashMessage(`Status changed to ${r.status}.`);
          }}
          onStale={() => {
            setStatusOpen(false);
            setFlashMessage(null);
            setReloadKey((k) => k + 1);
          }}
        />
      ) : null}
    </>
  );
}
