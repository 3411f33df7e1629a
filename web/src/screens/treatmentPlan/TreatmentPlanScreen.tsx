import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import { notesApi } from '../../api/notesApi.js';
import {
  treatmentPlanApi,
  type DiagnosisOption,
  type PlanVersionView,
  type TreatmentPlanView,
} from '../../api/treatmentPlanApi.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { localDateOf } from '../../components/practiceTime.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { AcknowledgeDialog } from './AcknowledgeDialog.js';
import { PlanEditor } from './PlanEditor.js';
import { PlanContentView, PlanSignatureBlock } from './PlanReadView.js';
import { GoalTrend } from '../../components/GoalTrend.js';
import { ReviewBadge, reviewText } from './ReviewBadge.js';
import { planScreenParts } from './planScreen.js';
import './treatmentPlan.css';

type ServiceTypeOption = Parameters<typeof PlanEditor>[0]['serviceTypes'][number];

/**
 * A client's treatment plan: the open draft in the editor, otherwise the signed plan with its
 * signature, the client's acknowledgement and the review date; "Revise plan" starts a new version.
 */
export function TreatmentPlanScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const timeZone = me.practice.timeZone;
  const [plan, setPlan] = useState<TreatmentPlanView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [client, setClient] = useState<ClientRecord | null>(null);
  const [diagnoses, setDiagnoses] = useState<DiagnosisOption[]>([]);
  const [serviceTypes, setServiceTypes] = useState<ServiceTypeOption[]>([]);
  const [flash, setFlash] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [ackOpen, setAckOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [showSigned, setShowSigned] = useState(false);

  const load = useCallback(
    () =>
      treatmentPlanApi
        .plan(clientId)
        .then(setPlan)
        .catch((err: unknown) => setError(toApiError(err))),
    [clientId],
  );

  useEffect(() => {
    void load();
    let live = true;
    api
      .client(clientId)
      .then((c) => live && setClient(c))
      .catch(() => undefined);
    treatmentPlanApi
      .diagnoses(clientId)
      .then((r) => live && setDiagnoses(r.items))
      .catch(() => undefined);
    notesApi
      .noteOptions()
      .then((o) => live && setServiceTypes(o.serviceTypes))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [clientId, load]);

  const clientName = client
    ? `${client.preferredName ?? client.legalFirstName} ${client.legalLastName}`
    : null;
  const title = 'Treatment plan';

  if (error) {
    return (
      <>
        <PageHeader title={title} />
        <Alert kind="error">
          {error.status === 404
            ? 'There is no client at this address.'
            : error.status === 403
              ? `You cannot open this client's treatment plan. ${error.detail}`
              : error.detail}
        </Alert>
        <Link to={`/clients/${clientId}`}>Back to the client</Link>
      </>
    );
  }
  if (!plan) return <p role="status">Loading treatment plan…</p>;

  const replaceDraft = (draft: PlanVersionView, message: string | null) => {
    setPlan({ ...plan, draft });
    setFlash(message);
    setGeneration((g) => g + 1);
  };

  const startDraft = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const draft = await treatmentPlanApi.startDraft(clientId);
      replaceDraft(draft, plan.current ? `Version ${draft.versionNo} started from the signed plan.` : null);
    } catch (err) {
      const e = toApiError(err);
      const draftId = e.status === 409 ? e.problem.draftId : undefined;
      if (typeof draftId === 'string') {
        const draft = await treatmentPlanApi.version(draftId).catch(() => null);
        if (draft) replaceDraft(draft, 'A draft was already open; it is shown here.');
        else setActionError(e.detail);
      } else setActionError(e.detail);
    } finally {
      setBusy(false);
    }
  };

  const serviceTypeLabel = (v: string) =>
    serviceTypes.find((s) => s.value === v)?.label ?? v.replace(/_/g, ' ');
  const defaultClinicianId = plan.clinicians.some((c) => c.id === me.user.id) ? me.user.id : null;
  const current = plan.current;
  const draft = plan.draft;
  const parts = planScreenParts(plan);
  const signedContent = (version: PlanVersionView, withTrend: boolean) => (
    <>
      <PlanContentView
        content={version.content}
        clinicians={plan.clinicians}
        diagnoses={diagnoses}
        serviceTypeLabel={serviceTypeLabel}
        goalExtra={
          withTrend
            ? (goalId, i) => <GoalTrend clientId={clientId} goalId={goalId} label={`Goal ${i + 1}`} />
            : undefined
        }
      />
      <PlanSignatureBlock version={version} timeZone={timeZone} />
    </>
  );

  return (
    <div className="tp-screen">
      <PageHeader title={title}>
        <Link to={`/clients/${clientId}/plan/history`} className="button secondary">
          History
        </Link>
      </PageHeader>
      <p className="record-meta tp-meta">
        <Link to={`/clients/${clientId}`}>{clientName ?? 'Client record'}</Link>
        {draft && parts.editor ? (
          <span>
            Draft of version {draft.versionNo}
            {draft.basedOnVersionNo ? `, revising version ${draft.basedOnVersionNo}` : ''}{' '}
            <span className="badge badge-draft">Draft</span>
          </span>
        ) : current ? (
          <span>
            Version {current.versionNo} <span className="badge badge-signed">Signed</span>
          </span>
        ) : null}
        {plan.review ? (
          <span data-testid="plan-review">
            {reviewText(plan.review)} <ReviewBadge state={plan.review.state} />
          </span>
        ) : null}
      </p>
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      {actionError ? <Alert kind="error">{actionError}</Alert> : null}
      {parts.draftInProgress && draft ? (
        <Alert kind="info">
          A new version (version {draft.versionNo}) is being drafted by {draft.createdByName}. It takes effect
          only when it is signed.
        </Alert>
      ) : null}
      {parts.signedBanner && current ? (
        <section className="panel tp-signed-copy" aria-label={`Signed plan, version ${current.versionNo}`}>
          <div className="tp-signed-banner">
            <p>
              <strong>Version {current.versionNo} is the signed plan in force</strong> until this draft is
              signed.
            </p>
            <button
              type="button"
              className="button secondary"
              aria-expanded={showSigned}
              aria-controls="tp-signed-copy"
              onClick={() => setShowSigned((v) => !v)}
            >
              {showSigned ? `Hide version ${current.versionNo}` : `View signed version ${current.versionNo}`}
            </button>
          </div>
          {showSigned ? (
            <div id="tp-signed-copy" data-testid="signed-version-copy">
              {signedContent(current, false)}
            </div>
          ) : null}
        </section>
      ) : null}
      {parts.editor && draft ? (
        <PlanEditor
          key={`${draft.id}:${generation}`}
          initial={draft}
          clinicians={plan.clinicians}
          diagnoses={diagnoses}
          serviceTypes={serviceTypes}
          defaultClinicianId={defaultClinicianId}
          mfaEnabled={me.user.mfaEnabled}
          timeZone={timeZone}
          onSigned={(signed) => {
            setFlash(
              `Version ${signed.versionNo} signed. Record the client’s acknowledgement when they have reviewed it.`,
            );
            setGeneration((g) => g + 1);
            void load();
            window.scrollTo({ top: 0 });
          }}
          onReplace={replaceDraft}
          onDiscarded={() => {
            setFlash('Draft discarded.');
            void load();
          }}
        />
      ) : parts.signedView && current ? (
        <section className="panel" aria-labelledby="tp-current-title">
          <div className="panel-header">
            <h2 id="tp-current-title">Signed plan, version {current.versionNo}</h2>
            {parts.revise || parts.acknowledge ? (
              <div className="button-row">
                {parts.acknowledge ? (
                  <button type="button" className="button secondary" onClick={() => setAckOpen(true)}>
                    Record client acknowledgement
                  </button>
                ) : null}
                {parts.revise ? (
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy}
                    onClick={() => void startDraft()}
                  >
                    Revise plan
                  </button>
                ) : null}
              </div>
            ) : null}
          </div>
          {signedContent(current, true)}
          {parts.acknowledge ? (
            <AcknowledgeDialog
              open={ackOpen}
              versionId={current.id}
              versionNo={current.versionNo}
              today={localDateOf(new Date(), timeZone)}
              onClose={() => setAckOpen(false)}
              onRecorded={() => {
                setAckOpen(false);
                setFlash('The client’s acknowledgement was recorded.');
                void load();
              }}
            />
          ) : null}
        </section>
      ) : (
        <section className="panel" aria-labelledby="tp-none-title">
          <h2 id="tp-none-title">
            {parts.draftInProgress ? 'No signed treatment plan yet' : 'No treatment plan yet'}
          </h2>
          {parts.start ? (
            <p>
              Start with the client&rsquo;s problems and diagnoses, then set measurable, dated goals with the
              interventions that work towards them.
            </p>
          ) : (
            <p>Only clinicians on the client&rsquo;s care team can write the treatment plan.</p>
          )}
          {parts.start ? (
            <button
              type="button"
              className="button primary"
              disabled={busy}
              onClick={() => void startDraft()}
            >
              Start a treatment plan
            </button>
          ) : null}
        </section>
      )}
    </div>
  );
}
