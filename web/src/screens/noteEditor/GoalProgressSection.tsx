import { useEffect, useRef, useState } from 'react';
import type { GoalStatus } from '../../../../src/domain/treatmentPlan.js';
import {
  FIVE_POINT_LEVELS,
  goalProgressApi,
  type GoalProgressSave,
  type NoteGoal,
  type NoteGoalProgress,
  type RatingScale,
} from '../../api/goalProgressApi.js';
import { toApiError } from '../../api/http.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { GOAL_STATUS_LABEL } from '../treatmentPlan/planLabels.js';
import './goalProgress.css';

interface Entry {
  rating: number | null;
  comment: string;
  newStatus: GoalStatus | null;
}

const EMPTY: Entry = { rating: null, comment: '', newStatus: null };
const STATUSES = Object.keys(GOAL_STATUS_LABEL) as GoalStatus[];
const SCALE_LABEL: Record<RatingScale, string> = { five_point: 'Regressed to met', zero_to_ten: '0 to 10' };

function entriesOf(gp: NoteGoalProgress): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const g of gp.goals)
    if (g.rating)
      out[g.goalId] = { rating: g.rating.rating, comment: g.rating.comment, newStatus: g.rating.newStatus };
  return out;
}

/** What the draft save sends: every goal with a rating, a comment or a new status. */
export function goalProgressSave(
  planVersionId: string,
  scale: RatingScale,
  entries: Record<string, Entry>,
): GoalProgressSave {
  return {
    planVersionId,
    ratings: Object.entries(entries)
      .filter(([, e]) => e.rating !== null || e.comment.trim() !== '' || e.newStatus !== null)
      .map(([goalId, e]) => ({
        goalId,
        scale,
        rating: e.rating,
        comment: e.comment,
        newStatus: e.newStatus,
      })),
  };
}

function GoalHeading({ goal, index }: { goal: NoteGoal; index: number }) {
  return (
    <>
      Goal {index + 1}: {goal.statement || 'No statement'}
      {goal.targetDate ? <span className="muted"> — by {formatDate(goal.targetDate)}</span> : null}
    </>
  );
}

/**
 * The client's active plan goals in a progress or plan-review note, each rated on the scale the
 * clinician picks, with a short comment (and, in a plan review, the goal's new status). Changes
 * go to the note's autosave through onChange; a signed note shows them read-only.
 */
export function GoalProgressSection({
  noteId,
  clientId,
  onChange,
}: {
  noteId: string;
  clientId: string;
  /** Given only while the note is being edited. */
  onChange?: (save: GoalProgressSave) => void;
}) {
  const [gp, setGp] = useState<NoteGoalProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scale, setScale] = useState<RatingScale>('five_point');
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const scaleRef = useRef(scale);
  const entriesRef = useRef(entries);

  useEffect(() => {
    let live = true;
    goalProgressApi
      .ofNote(noteId)
      .then((found) => {
        if (!live) return;
        setGp(found);
        const initial = entriesOf(found);
        entriesRef.current = initial;
        setEntries(initial);
        const stored = found.goals.find((g) => g.rating)?.rating?.scale;
        if (stored) {
          scaleRef.current = stored;
          setScale(stored);
        }
      })
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [noteId]);

  if (error) return <p className="alert alert-warning">Goal progress could not be loaded: {error}</p>;
  if (!gp) return <p role="status">Loading goals…</p>;
  if (!gp.applies) return null;
  const editable = gp.editable && onChange !== undefined;

  const emit = (nextEntries: Record<string, Entry>, nextScale: RatingScale) => {
    entriesRef.current = nextEntries;
    scaleRef.current = nextScale;
    setEntries(nextEntries);
    setScale(nextScale);
    if (gp.planVersionId && onChange) onChange(goalProgressSave(gp.planVersionId, nextScale, nextEntries));
  };
  const change = (goalId: string, patch: Partial<Entry>) =>
    emit(
      { ...entriesRef.current, [goalId]: { ...(entriesRef.current[goalId] ?? EMPTY), ...patch } },
      scaleRef.current,
    );
  const changeScale = (next: RatingScale) => {
    // A rating means nothing on the other scale: clear the ratings, keep comments and statuses.
    const cleared = Object.fromEntries(
      Object.entries(entriesRef.current).map(([id, e]) => [id, { ...e, rating: null }]),
    );
    emit(cleared, next);
  };

  return (
    <section
      className="panel goal-progress"
      aria-labelledby="goal-progress-title"
      data-testid="goal-progress"
    >
      <div className="panel-header">
        <h2 id="goal-progress-title">{gp.planReview ? 'Plan review: goals' : 'Progress on goals'}</h2>
        <Link to={`/clients/${clientId}/plan`} className="button secondary small">
          Open plan
        </Link>
      </div>
      {gp.planVersionId === null ? (
        <p className="muted">This client has no signed treatment plan, so there are no goals to rate.</p>
      ) : gp.goals.length === 0 ? (
        <p className="muted">
          {editable ? 'The treatment plan has no active goals.' : 'No goal ratings were recorded.'}
        </p>
      ) : editable ? (
        <>
          {gp.planChanged ? (
            <div className="alert alert-warning" role="status">
              <p>
                The treatment plan was changed after these ratings were saved. Check them against the goals
                below; they are saved against the current plan when you confirm.
              </p>
              <button
                type="button"
                className="button secondary small"
                onClick={() => {
                  emit(entries, scale);
                  setGp({ ...gp, planChanged: false });
                }}
              >
                Confirm ratings for the current plan
              </button>
            </div>
          ) : null}
          <fieldset className="gp-scale">
            <legend>Rating scale</legend>
            <div className="gp-scale-options">
              {(Object.keys(SCALE_LABEL) as RatingScale[]).map((s) => (
                <label key={s} className="choice">
                  <input
                    type="radio"
                    name="goal-rating-scale"
                    checked={scale === s}
                    onChange={() => changeScale(s)}
                  />
                  {SCALE_LABEL[s]}
                </label>
              ))}
            </div>
          </fieldset>
          {gp.goals.map((g, i) => {
            const e = entries[g.goalId] ?? EMPTY;
            const base = `goal-${g.goalId}`;
            return (
              <fieldset key={g.goalId} className="gp-goal">
                <legend>
                  <GoalHeading goal={g} index={i} />
                </legend>
                {g.problems.length > 0 ? <p className="hint">For: {g.problems.join('; ')}</p> : null}
                {scale === 'five_point' ? (
                  <div className="gp-levels" role="radiogroup" aria-label={`Progress on goal ${i + 1}`}>
                    {[{ value: null, label: 'Not rated' }, ...FIVE_POINT_LEVELS].map((l) => (
                      <label key={l.value ?? 'none'} className="gp-level">
                        <input
                          type="radio"
                          name={`${base}-rating`}
                          checked={e.rating === l.value}
                          onChange={() => change(g.goalId, { rating: l.value })}
                        />
                        {l.label}
                      </label>
                    ))}
                  </div>
                ) : (
                  <div className="field narrow">
                    <label htmlFor={`${base}-rating`}>Progress on goal {i + 1} (0 = none, 10 = met)</label>
                    <select
                      id={`${base}-rating`}
                      value={e.rating === null ? '' : String(e.rating)}
                      onChange={(ev) =>
                        change(g.goalId, { rating: ev.target.value === '' ? null : Number(ev.target.value) })
                      }
                    >
                      <option value="">Not rated</option>
                      {Array.from({ length: 11 }, (_, n) => (
                        <option key={n} value={n}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
                <div className="field">
                  <label htmlFor={`${base}-comment`}>Comment on goal {i + 1} (optional)</label>
                  <input
                    id={`${base}-comment`}
                    type="text"
                    maxLength={500}
                    value={e.comment}
                    onChange={(ev) => change(g.goalId, { comment: ev.target.value })}
                  />
                </div>
                {gp.planReview ? (
                  <div className="field narrow">
                    <label htmlFor={`${base}-status`}>Status after this review</label>
                    <select
                      id={`${base}-status`}
                      value={e.newStatus ?? ''}
                      onChange={(ev) =>
                        change(g.goalId, {
                          newStatus: ev.target.value === '' ? null : (ev.target.value as GoalStatus),
                        })
                      }
                    >
                      <option value="">Unchanged ({GOAL_STATUS_LABEL[g.status]})</option>
                      {STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {GOAL_STATUS_LABEL[s]}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
              </fieldset>
            );
          })}
          {gp.planReview ? (
            <p className="hint">
              When this note is signed, the plan gets a new signed version with these statuses and its review
              date starts again.
            </p>
          ) : null}
        </>
      ) : (
        <ul className="gp-read">
          {gp.goals.map((g, i) => (
            <li key={g.goalId}>
              <p className="gp-read-goal">
                <GoalHeading goal={g} index={i} />
              </p>
              <p>
                {g.rating && g.rating.rating !== null ? (
                  <strong>{g.rating.label}</strong>
                ) : (
                  <span className="gp-empty">Not rated</span>
                )}
                {g.rating?.comment ? <span className="narrative"> — {g.rating.comment}</span> : null}
              </p>
              {g.rating?.newStatus ? (
                <p className="muted">Status set to {GOAL_STATUS_LABEL[g.rating.newStatus]}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
