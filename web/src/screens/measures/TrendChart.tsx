import { useId, useState } from 'react';
import type { ChartAnnotation, MeasureSeries } from '../../api/measuresApi.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { MeasureAnswersDialog } from './MeasureAnswersDialog.js';

// Severity zones from calm to alarming; the palette is spread over however many bands there are.
const ZONE_COLOURS = ['#e3f1e7', '#eef5e0', '#fbf3d6', '#fde7cf', '#fbdcd2', '#f7d0d2'];
const ZONE_TEXT = ['#1e6b3a', '#3d6b1e', '#6b5200', '#7a4300', '#8a2f1a', '#8a1f25'];

const W = 760;
const H = 280;
const M = { top: 28, right: 150, bottom: 36, left: 40 };
const DAY = 86_400_000;

function zoneIndex(i: number, count: number): number {
  if (count <= 1) return 0;
  return Math.round((i * (ZONE_COLOURS.length - 1)) / (count - 1));
}

/** A band label on one or two lines: long labels break at the space nearest the middle. */
function wrap(label: string): string[] {
  if (label.length <= 12) return [label];
  const mid = label.length / 2;
  let best = -1;
  for (let i = 0; i < label.length; i++)
    if (label[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return best < 0 ? [label] : [label.slice(0, best), label.slice(best + 1)];
}

function dayOf(iso: string): number {
  return Date.parse(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
}

function shortDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    month: 'short',
    day: 'numeric',
    year: '2-digit',
  }).format(new Date(ms));
}

/**
 * One instrument's scores over time: severity bands as coloured zones with their labels, the
 * scores as points joined by a line, a date axis, and annotations as labelled vertical markers.
 * The SVG is an image for assistive technology; the table below it carries the same data.
 */
export function TrendChart({
  series,
  annotations,
  timeZone,
}: {
  series: MeasureSeries;
  annotations: readonly ChartAnnotation[];
  timeZone: string;
}) {
  const id = useId();
  const [openId, setOpenId] = useState<string | null>(null);
  const points = series.points.map((p) => ({ ...p, t: dayOf(p.administeredAt) }));
  const times = points.map((p) => p.t);
  let start = Math.min(...times);
  let end = Math.max(...times);
  if (end - start < 14 * DAY) {
    const mid = (start + end) / 2;
    start = mid - 10 * DAY;
    end = mid + 10 * DAY;
  }
  const pad = (end - start) * 0.04;
  start -= pad;
  end += pad;
  const marks = annotations
    .map((a) => ({ ...a, t: dayOf(a.date) }))
    .filter((a) => a.t >= start && a.t <= end)
    .sort((a, b) => a.t - b.t);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (t: number) => M.left + ((t - start) / (end - start)) * plotW;
  const y = (v: number) => M.top + plotH - (v / series.maxTotal) * plotH;
  // Band boundaries on the value axis, skipping any too close to the one below to read.
  const yTicks: number[] = [];
  for (const v of [...series.bands.map((b) => b.min), series.maxTotal])
    if (yTicks.length === 0 || y(yTicks[yTicks.length - 1] ?? 0) - y(v) >= 12) yTicks.push(v);
  const ticks = 5;
  const xTicks = Array.from({ length: ticks }, (_, i) => start + ((end - start) * (i + 0.5)) / ticks);
  const rows = [
    ...points.map((p) => ({ kind: 'score' as const, t: p.t, p })),
    ...marks.map((a) => ({ kind: 'annotation' as const, t: a.t, a })),
  ].sort((a, b) => a.t - b.t);
  const latest = points.at(-1);
  const summary = latest
    ? `${points.length} score${points.length === 1 ? '' : 's'}; latest ${latest.total} (${latest.band.label}) on ${formatDateTime(latest.administeredAt, timeZone)}.`
    : 'No scores yet.';

  return (
    <figure className="trend">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="trend-svg"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{`${series.name} scores over time`}</title>
        <desc id={`${id}-desc`}>{`${summary} The table below lists every score.`}</desc>
        {series.bands.map((b, i) => {
          const top = y(b.max + (i === series.bands.length - 1 ? 0 : 1));
          const bottom = y(b.min);
          const z = zoneIndex(i, series.bands.length);
          return (
            <g key={b.key}>
              <rect x={M.left} y={top} width={plotW} height={bottom - top} fill={ZONE_COLOURS[z]} />
              <text
                x={W - M.right + 8}
                y={(top + bottom) / 2}
                dominantBaseline="middle"
                className="trend-band-label"
                fill={ZONE_TEXT[z]}
              >
                {wrap(b.label).map((line, j, all) => (
                  <tspan
                    key={line}
                    x={W - M.right + 8}
                    dy={j === 0 ? `${-(all.length - 1) * 0.55}em` : '1.1em'}
                  >
                    {line}
                    {j === all.length - 1 ? (
                      <tspan className="trend-band-range">
                        {b.min === b.max ? ` ${b.min}` : ` ${b.min}–${b.max}`}
                      </tspan>
                    ) : null}
                  </tspan>
                ))}
              </text>
            </g>
          );
        })}
        {yTicks.map((v) => (
          <text
            key={v}
            x={M.left - 6}
            y={y(v)}
            textAnchor="end"
            dominantBaseline="middle"
            className="trend-axis"
          >
            {v}
          </text>
        ))}
        <line
          x1={M.left}
          y1={M.top + plotH}
          x2={M.left + plotW}
          y2={M.top + plotH}
          className="trend-axis-line"
        />
        {xTicks.map((t) => (
          <text key={t} x={x(t)} y={H - M.bottom + 20} textAnchor="middle" className="trend-axis">
            {shortDate(t, timeZone)}
          </text>
        ))}
        {marks.map((a, i) => (
          <g key={a.id} className="trend-annotation">
            <line x1={x(a.t)} y1={M.top - 4} x2={x(a.t)} y2={M.top + plotH} />
            <text x={x(a.t) + 4} y={M.top - 14 + (i % 2) * 10} className="trend-annotation-text">
              {a.text.length > 34 ? `${a.text.slice(0, 33)}…` : a.text}
            </text>
          </g>
        ))}
        {points.length > 1 ? (
          <polyline
            className="trend-line"
            points={points.map((p) => `${x(p.t)},${y(p.total)}`).join(' ')}
            fill="none"
          />
        ) : null}
        {points.map((p) => (
          <g key={p.id}>
            <circle
              cx={x(p.t)}
              cy={y(p.total)}
              r={p.item9Positive ? 7 : 5}
              className={p.item9Positive ? 'trend-point trend-point-risk' : 'trend-point'}
            />
            <text x={x(p.t)} y={y(p.total) - 11} textAnchor="middle" className="trend-value">
              {p.total}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="trend-caption">{series.bandNote}</figcaption>
      <table className="data-table trend-table">
        <caption>{`${series.name} scores`}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Score</th>
            <th scope="col">Band</th>
            <th scope="col">Given</th>
            <th scope="col">
              <span className="visually-hidden">Answers</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            r.kind === 'annotation' ? (
              <tr key={r.a.id} className="trend-table-annotation">
                <th scope="row">{formatDate(r.a.date)}</th>
                <td colSpan={4}>Annotation: {r.a.text}</td>
              </tr>
            ) : (
              <tr key={r.p.id}>
                <th scope="row">{formatDateTime(r.p.administeredAt, timeZone)}</th>
                <td>
                  {r.p.total} of {series.maxTotal}
                </td>
                <td>
                  {r.p.band.label}
                  {r.p.item9Positive ? <span className="badge badge-emergency">Item 9 risk</span> : null}
                </td>
                <td>{r.p.source === 'client_link' ? 'By the client (link)' : 'In session'}</td>
                <td>
                  <button type="button" className="button link small" onClick={() => setOpenId(r.p.id)}>
                    Answers
                    <span className="visually-hidden">
                      {' '}
                      of {formatDateTime(r.p.administeredAt, timeZone)}
                    </span>
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {openId ? (
        <MeasureAnswersDialog measureId={openId} timeZone={timeZone} onClose={() => setOpenId(null)} />
      ) : null}
    </figure>
  );
}
