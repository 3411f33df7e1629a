import { GoalTrendChart, useClientGoalProgress } from '../../components/GoalTrend.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { GOAL_STATUS_LABEL } from '../treatmentPlan/planLabels.js';

/** The client page's "Goal progress": one trend chart per goal of the signed plan. */
export function ClientGoalProgressSection({ clientId }: { clientId: string }) {
  const { data, error } = useClientGoalProgress(clientId);
  return (
    <section className="panel" aria-labelledby="goal-progress-title" data-testid="client-goal-progress">
      <div className="panel-header">
        <h2 id="goal-progress-title">Goal progress</h2>
        {data?.planVersionId ? (
          <Link to={`/clients/${clientId}/plan`} className="button secondary small">
            Open plan
          </Link>
        ) : null}
      </div>
      {error ? (
        <p className="muted">{error}</p>
      ) : !data ? (
        <p role="status">Loading…</p>
      ) : data.goals.length === 0 ? (
        <p className="muted">No signed treatment plan with goals yet.</p>
      ) : (
        <div className="goal-progress-grid">
          {data.goals.map((g, i) => (
            <div key={g.goalId} className="goal-progress-item">
              <h3>
                Goal {i + 1}: {g.statement || 'No statement'}{' '}
                <span className="badge badge-primary">{GOAL_STATUS_LABEL[g.status]}</span>
              </h3>
              {g.targetDate ? <p className="hint">Target date {formatDate(g.targetDate)}</p> : null}
              <GoalTrendChart goal={g} label={`Goal ${i + 1}`} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
