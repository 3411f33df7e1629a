import { useEffect, useState } from 'react';
import { goalProgressApi, type ClientGoalProgress, type GoalTrendData } from '../api/goalProgressApi.js';
import { toApiError } from '../api/http.js';
import { formatDate } from './dateFormat.js';
import './goalTrend.css';

// A small line chart of one goal's progress: ratings from signed notes (0–1: regressed … met,
// or 0–10 divided by ten) and, for a goal measured by a questionnaire, the progress its scores
// show towards the target. The same numbers are in a table for screen readers.

const W = 360;
const H = 130;
const LEFT = 44;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 22;
const INSTRUMENT: Record<string, string> = { phq9: 'PHQ-9', gad7: 'GAD-7', pcl5: 'PCL-5' };

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

interface Point {
  date: string;
  progress: number;
}

function pathOf(points: Point[], x: (d: string) => number, y: (p: number) => number): string {
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.date).toFixed(1)},${y(p.progress).toFixed(1)}`)
    .join(' ');
}

/** The chart and its data table for one goal. */
export function GoalTrendChart({ goal, label }: { goal: GoalTrendData; label: string }) {
  const ratings: Point[] = goal.ratings.flatMap((r) =>
    r.progress === null ? [] : [{ date: r.dateOfService, progress: r.progress }],
  );
  const measured: Point[] = goal.measurePoints.flatMap((m) =>
    m.progress === null ? [] : [{ date: m.date, progress: m.progress }],
  );
  const instrument = goal.measure ? (INSTRUMENT[goal.measure.instrument] ?? goal.measure.instrument) : null;
  if (ratings.length === 0 && measured.length === 0)
    return <p className="goal-trend-empty">No progress recorded yet.</p>;
  const days = [...ratings, ...measured].map((p) => dayOf(p.date));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const x = (d: string) =>
    last === first
      ? (LEFT + W - RIGHT) / 2
      : LEFT + ((dayOf(d) - first) / (last - first)) * (W - LEFT - RIGHT);
  const y = (p: number) => TOP + (1 - p) * (H - TOP - BOTTOM);
  const summary = [
    ratings.length > 0
      ? `${ratings.length} rating${ratings.length === 1 ? '' : 's'}, latest ${goal.ratings.at(-1)?.label ?? ''}`
      : null,
    goal.measureProgress && instrument && goal.measureProgress.latest !== null
      ? `${instrument} ${goal.measureProgress.latest} (target below ${goal.measureProgress.target})${goal.measureProgress.met ? ', met' : ''}`
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <figure className="goal-trend">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${label}: ${summary}`}
        className="goal-trend-svg"
        preserveAspectRatio="xMinYMin meet"
      >
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={LEFT} x2={W - RIGHT} y1={y(t)} y2={y(t)} className="gt-grid" />
            <text x={LEFT - 6} y={y(t) + 4} className="gt-axis" textAnchor="end">
              {t === 1 ? 'Met' : t === 0.5 ? 'Half' : 'None'}
            </text>
          </g>
        ))}
        <text x={LEFT} y={H - 6} className="gt-axis">
          {formatDate(ratings.concat(measured).reduce((a, b) => (a.date < b.date ? a : b)).date)}
        </text>
        {last !== first ? (
          <text x={W - RIGHT} y={H - 6} className="gt-axis" textAnchor="end">
            {formatDate(ratings.concat(measured).reduce((a, b) => (a.date > b.date ? a : b)).date)}
          </text>
        ) : null}
        {measured.length > 1 ? <path d={pathOf(measured, x, y)} className="gt-measure-line" /> : null}
        {measured.map((p, i) => (
          <rect
            key={`m${i}`}
            x={x(p.date) - 3.5}
            y={y(p.progress) - 3.5}
            width={7}
            height={7}
            className="gt-measure"
          />
        ))}
        {ratings.length > 1 ? <path d={pathOf(ratings, x, y)} className="gt-rating-line" /> : null}
        {ratings.map((p, i) => (
          <circle key={`r${i}`} cx={x(p.date)} cy={y(p.progress)} r={4} className="gt-rating" />
        ))}
      </svg>
      <figcaption className="goal-trend-legend" aria-hidden="true">
        {ratings.length > 0 ? <span className="gt-key gt-key-rating">Session ratings</span> : null}
        {measured.length > 0 ? (
          <span className="gt-key gt-key-measure">{instrument} progress to target</span>
        ) : null}
      </figcaption>
      <table className="visually-hidden">
        <caption>{label}: progress over time</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Source</th>
            <th scope="col">Value</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {goal.ratings.map((r) => (
            <tr key={`r-${r.noteId}`}>
              <td>{formatDate(r.dateOfService)}</td>
              <td>Session rating</td>
              <td>
                {r.label}
                {r.comment ? ` — ${r.comment}` : ''}
              </td>
              <td>{r.progress === null ? 'Not rated' : `${Math.round(r.progress * 100)}%`}</td>
            </tr>
          ))}
          {goal.measurePoints.map((m, i) => (
            <tr key={`m-${i}`}>
              <td>{formatDate(m.date)}</td>
              <td>{instrument}</td>
              <td>Score {m.total}</td>
              <td>{m.progress === null ? 'At target from the start' : `${Math.round(m.progress * 100)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

// One request per client however many goals show a trend at once.
const pending = new Map<string, Promise<ClientGoalProgress>>();

function loadClientProgress(clientId: string): Promise<ClientGoalProgress> {
  let p = pending.get(clientId);
  if (!p) {
    p = goalProgressApi.ofClient(clientId);
    pending.set(clientId, p);
    const forget = () => setTimeout(() => pending.delete(clientId), 1000);
    p.then(forget, forget);
  }
  return p;
}

/** The client's goal trends (shared by every chart on a screen). */
export function useClientGoalProgress(clientId: string): {
  data: ClientGoalProgress | null;
  error: string | null;
} {
  const [data, setData] = useState<ClientGoalProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadClientProgress(clientId)
      .then((d) => live && setData(d))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);
  return { data, error };
}

/** The trend of one goal of the client's plan, as shown beside the goal on the plan. */
export function GoalTrend({ clientId, goalId, label }: { clientId: string; goalId: string; label: string }) {
  const { data, error } = useClientGoalProgress(clientId);
  if (error) return <p className="goal-trend-empty">Progress could not be loaded.</p>;
  if (!data) return null;
  const goal = data.goals.find((g) => g.goalId === goalId);
  if (!goal) return null;
  return (
    <div className="goal-trend-box">
      <p className="goal-trend-title">Progress</p>
      <GoalTrendChart goal={goal} label={label} />
    </div>
  );
}
