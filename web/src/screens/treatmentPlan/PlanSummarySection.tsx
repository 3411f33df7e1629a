import { useEffect, useState } from 'react';
import { toApiError } from '../../api/http.js';
import { treatmentPlanApi, type TreatmentPlanView } from '../../api/treatmentPlanApi.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { ReviewBadge, reviewText } from './ReviewBadge.js';
import './treatmentPlan.css';

/** The client page's view of the treatment plan: which version is signed, the review date, an open draft. */
export function PlanSummarySection({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [plan, setPlan] = useState<TreatmentPlanView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    treatmentPlanApi
      .plan(clientId)
      .then((p) => live && setPlan(p))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);

  const current = plan?.current ?? null;
  return (
    <section className="panel" aria-labelledby="plan-summary-title" data-testid="plan-summary">
      <div className="panel-header">
        <h2 id="plan-summary-title">Treatment plan</h2>
        <Link to={`/clients/${clientId}/plan`} className="button secondary small">
          {plan?.canEdit && !plan.current && !plan.draft ? 'Start a plan' : 'Open plan'}
        </Link>
      </div>
      {error ? (
        <p className="muted">{error}</p>
      ) : !plan ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          {current?.signature ? (
            <p>
              Version {current.versionNo}, signed by {current.signature.name} on{' '}
              {formatDateTime(current.signature.signedAt, me.practice.timeZone)}.
              {current.acknowledgements.length === 0 ? (
                <span className="muted"> Not yet acknowledged by the client.</span>
              ) : null}
            </p>
          ) : !plan.draft ? (
            <p className="muted">No treatment plan yet.</p>
          ) : null}
          {plan.review ? (
            <p>
              {reviewText(plan.review)} <ReviewBadge state={plan.review.state} />
            </p>
          ) : null}
          {plan.draft ? (
            <p>
              <span className="badge badge-draft">Draft</span> Version {plan.draft.versionNo} is being
              written.
            </p>
          ) : null}
          {current ? (
            <p>
              <Link to={`/clients/${clientId}/plan/history`}>Plan history</Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
