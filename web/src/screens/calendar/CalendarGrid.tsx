import type { CSSProperties } from 'react';
import type { SessionView } from '../../api/clinicalTypes.js';
import {
  formatDayHeading,
  formatLongDate,
  formatClock,
  formatTimeRange,
  localDateOf,
  localMinuteOfDay,
} from '../../components/practiceTime.js';
import { Link } from '../../router.js';
import {
  MODALITY_LABELS,
  SERVICE_TYPE_LABELS,
  clientNames,
  sessionAttendance,
  sessionNoteStatus,
} from '../../components/sessionLabels.js';

const HOUR_PX = 80;
const MIN_BLOCK_PX = 30;

interface Placed {
  session: SessionView;
  startMin: number;
  endMin: number;
  lane: number;
  lanes: number;
}

/** Side-by-side lanes for sessions that overlap (a double booking or a group next to a one-to-one). */
function placeDay(sessions: SessionView[], date: string, timeZone: string): Placed[] {
  const items = sessions
    .map((s) => {
      const startMin =
        localDateOf(s.scheduledStart, timeZone) === date ? localMinuteOfDay(s.scheduledStart, timeZone) : 0;
      const endMin =
        localDateOf(s.scheduledEnd, timeZone) === date ? localMinuteOfDay(s.scheduledEnd, timeZone) : 24 * 60;
      return { session: s, startMin, endMin: Math.max(endMin, startMin + 5), lane: 0, lanes: 1 };
    })
    .sort((a, b) => a.startMin - b.startMin || b.endMin - a.endMin);
  const out: Placed[] = [];
  let cluster: Placed[] = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) out.push({ ...p, lanes });
    cluster = [];
  };
  for (const item of items) {
    if (item.startMin >= clusterEnd && cluster.length) close();
    const laneEnds: number[] = [];
    for (const p of cluster) laneEnds[p.lane] = Math.max(laneEnds[p.lane] ?? 0, p.endMin);
    let lane = laneEnds.findIndex((end) => end <= item.startMin);
    if (lane === -1) lane = laneEnds.length;
    cluster.push({ ...item, lane });
    clusterEnd = Math.max(clusterEnd, item.endMin);
  }
  if (cluster.length) close();
  return out;
}

function hourLabel(h: number): string {
  const suffix = h < 12 || h === 24 ? 'AM' : 'PM';
  const twelve = h % 12 === 0 ? 12 : h % 12;
  return `${twelve} ${suffix}`;
}

function SessionBlock({
  placed,
  firstHour,
  timeZone,
  now,
  showClinician,
}: {
  placed: Placed;
  firstHour: number;
  timeZone: string;
  now: number;
  showClinician: boolean;
}) {
  const s = placed.session;
  const top = ((placed.startMin - firstHour * 60) / 60) * HOUR_PX;
  const height = Math.max(((placed.endMin - placed.startMin) / 60) * HOUR_PX, MIN_BLOCK_PX);
  const attendance = sessionAttendance(s, now);
  const note = sessionNoteStatus(s, now);
  const style = {
    top: `${top}px`,
    '--block-h': `${height - 2}px`,
    '--lane-left': `calc(${(placed.lane / placed.lanes) * 100}% + 2px)`,
    '--lane-width': `calc(${100 / placed.lanes}% - 4px)`,
  } as CSSProperties;
  return (
    <li className={`cal-item${placed.lanes > 1 ? ' is-shared' : ''}`} style={style}>
      <Link
        to={`/sessions/${s.id}`}
        className={`cal-block${s.cancelledAt ? ' is-cancelled' : ''}${note.tone === 'overdue' ? ' is-overdue' : ''}`}
      >
        {/* The spaces keep the parts apart in the link's accessible name. */}
        <span className="cal-time">
          {/* A block sharing its column with a double booking has room for the start time only. */}
          <span className="cal-time-range">
            {formatTimeRange(s.scheduledStart, s.scheduledEnd, timeZone)}
          </span>
          <span className="cal-time-start" aria-hidden="true">
            {formatClock(s.scheduledStart, timeZone)}
          </span>
        </span>{' '}
        <span className="cal-names">{clientNames(s)}</span>{' '}
        <span className="cal-meta">
          {SERVICE_TYPE_LABELS[s.serviceType]} · {MODALITY_LABELS[s.modality]}
          {showClinician ? ` · ${s.clinicianName}` : ''}
        </span>{' '}
        {attendance || note.label ? (
          <span className="cal-badges">
            {attendance ? (
              <span className={`cal-badge attendance-${attendance.tone}`}>{attendance.label}</span>
            ) : null}{' '}
            {note.label ? <span className={`cal-badge note-${note.tone}`}>{note.label}</span> : null}
          </span>
        ) : null}
      </Link>
    </li>
  );
}

/**
 * A day or a week as columns of time: each session is a link placed at its practice-local time,
 * in time order in the page so Tab walks the day from morning to evening.
 */
export function CalendarGrid({
  days,
  sessions,
  timeZone,
  today,
  showClinician,
  onOpenDay,
}: {
  days: string[];
  sessions: SessionView[];
  timeZone: string;
  today: string;
  showClinician: boolean;
  onOpenDay?: (date: string) => void;
}) {
  const now = Date.now();
  const byDay = new Map<string, SessionView[]>(days.map((d) => [d, []]));
  for (const s of sessions) {
    const startDay = localDateOf(s.scheduledStart, timeZone);
    byDay.get(startDay)?.push(s);
  }
  const placedByDay = new Map(days.map((d) => [d, placeDay(byDay.get(d) ?? [], d, timeZone)]));
  const all = [...placedByDay.values()].flat();
  // Office hours by default, widened to show every session of the range.
  const firstHour = Math.min(8, ...all.map((p) => Math.floor(p.startMin / 60)));
  const lastHour = Math.max(18, ...all.map((p) => Math.ceil(p.endMin / 60)));
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const bodyHeight = (lastHour - firstHour) * HOUR_PX;
  const columns = { '--cal-days': days.length } as CSSProperties;

  return (
    <div
      className={`cal-scroll cal-${days.length === 1 ? 'day' : 'week'}`}
      tabIndex={0}
      role="region"
      aria-label="Sessions (scrolls sideways on narrow screens)"
    >
      <div className="cal-grid" style={columns}>
        <div className="cal-corner" aria-hidden="true" />
        {days.map((d) => {
          const h = formatDayHeading(d);
          const label = (
            <>
              <span className="cal-weekday">{h.weekday}</span> <span className="cal-date">{h.day}</span>
            </>
          );
          return (
            <h3
              key={d}
              id={`cal-day-${d}`}
              className={`cal-day-heading${d === today ? ' is-today' : ''}`}
              aria-label={`${formatLongDate(d)}${d === today ? ' (today)' : ''}`}
            >
              {onOpenDay ? (
                <button
                  type="button"
                  className="cal-day-button"
                  onClick={() => onOpenDay(d)}
                  aria-label={`${formatLongDate(d)}${d === today ? ' (today)' : ''}: show the day`}
                >
                  {label}
                </button>
              ) : (
                label
              )}
            </h3>
          );
        })}
        <div className="cal-gutter" style={{ height: `${bodyHeight}px` }} aria-hidden="true">
          {hours.map((h, i) => (
            <span key={h} className="cal-hour" style={{ top: `${i * HOUR_PX}px` }}>
              {hourLabel(h)}
            </span>
          ))}
        </div>
        {days.map((d) => {
          const placed = placedByDay.get(d) ?? [];
          return (
            <div
              key={d}
              className={`cal-column${d === today ? ' is-today' : ''}`}
              style={{ height: `${bodyHeight}px`, backgroundSize: `100% ${HOUR_PX}px` }}
            >
              {placed.length ? (
                <ol className="cal-list" aria-labelledby={`cal-day-${d}`}>
                  {placed.map((p) => (
                    <SessionBlock
                      key={p.session.id}
                      placed={p}
                      firstHour={firstHour}
                      timeZone={timeZone}
                      now={now}
                      showClinician={showClinician}
                    />
                  ))}
                </ol>
              ) : (
                <p className="visually-hidden">No sessions on {formatLongDate(d)}.</p>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
