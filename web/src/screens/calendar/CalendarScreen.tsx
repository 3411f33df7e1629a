import { useEffect, useState } from 'react';
import { toApiError } from '../../api/http.js';
import type { SessionView } from '../../api/clinicalTypes.js';
import { sessionsApi } from '../../api/sessionsApi.js';
import { Alert } from '../../components/Alert.js';
import { takeFlash } from '../../components/flash.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useStaff } from '../../components/useStaff.js';
import {
  addDays,
  formatDateRange,
  formatLongDate,
  localDateOf,
  localDaysRange,
  mondayOf,
} from '../../components/practiceTime.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { CalendarGrid } from './CalendarGrid.js';
import { rememberCalendar, rememberedCalendar, type CalendarView } from './calendarMemory.js';
import './calendar.css';

/** Day and week calendar of sessions in the practice's time zone; others' calendars for those allowed. */
export function CalendarScreen() {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const today = localDateOf(new Date(), tz);
  const isClinician = hasRole(me, 'clinician', 'supervisor');
  const seesOthers = hasRole(me, 'owner', 'admin', 'supervisor', 'scheduler');
  const canBook = hasRole(me, 'clinician', 'supervisor', 'owner', 'admin', 'scheduler');
  const defaultWho = isClinician ? 'me' : 'all';

  const [state, setState] = useState<CalendarView>(() => {
    const r = rememberedCalendar();
    const who = r.who && (seesOthers || r.who === 'me') ? r.who : defaultWho;
    return { view: r.view, date: r.date ?? today, who };
  });
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [flash] = useState(() => takeFlash());
  const { clinicians } = useStaff(seesOthers);

  useEffect(() => rememberCalendar(state), [state]);

  const date = state.date ?? today;
  const who = state.who ?? defaultWho;
  const first = state.view === 'week' ? mondayOf(date) : date;
  const days = Array.from({ length: state.view === 'week' ? 7 : 1 }, (_, i) => addDays(first, i));
  const last = days[days.length - 1] ?? first;

  useEffect(() => {
    const ctrl = new AbortController();
    const range = localDaysRange(first, state.view === 'week' ? 7 : 1, tz);
    setLoading(true);
    setError(null);
    sessionsApi
      .calendar(range.from, range.to, who === 'me' ? undefined : who, ctrl.signal)
      .then((r) => setSessions(r.sessions))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setSessions([]);
        setError(toApiError(err).detail);
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [first, state.view, who, tz]);

  const set = (p: Partial<CalendarView>) => setState((s) => ({ ...s, ...p }));
  const step = state.view === 'week' ? 7 : 1;
  const unit = state.view === 'week' ? 'week' : 'day';
  const rangeLabel = state.view === 'week' ? formatDateRange(first, last) : formatLongDate(date);
  const whoOptions = [
    ...(isClinician ? [{ value: 'me', label: 'My calendar' }] : []),
    { value: 'all', label: 'Whole practice' },
    ...clinicians.filter((c) => c.id !== me.user.id).map((c) => ({ value: c.id, label: c.fullName })),
  ];
  const live = sessions.filter((s) => !s.cancelledAt).length;

  return (
    <>
      <PageHeader title="Calendar">
        {canBook ? (
          <Link to="/sessions/new" className="button primary">
            Book session
          </Link>
        ) : null}
      </PageHeader>
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      <div className="cal-toolbar">
        <div className="cal-nav" role="group" aria-label={`Change ${unit}`}>
          <button
            type="button"
            className="button secondary small"
            onClick={() => set({ date: addDays(date, -step) })}
          >
            <span aria-hidden="true">‹</span> Previous {unit}
          </button>
          <button
            type="button"
            className="button secondary small"
            onClick={() => set({ date: today })}
            aria-pressed={days.includes(today)}
          >
            Today
          </button>
          <button
            type="button"
            className="button secondary small"
            onClick={() => set({ date: addDays(date, step) })}
          >
            Next {unit} <span aria-hidden="true">›</span>
          </button>
        </div>
        <h2 className="cal-range" aria-live="polite">
          {rangeLabel}
        </h2>
        <div className="cal-view" role="group" aria-label="View">
          {(['day', 'week'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={`button small ${state.view === v ? 'primary' : 'secondary'}`}
              aria-pressed={state.view === v}
              onClick={() => set({ view: v })}
            >
              {v === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
        {seesOthers ? (
          <div className="field cal-who">
            <label htmlFor="cal-who">Calendar of</label>
            <select id="cal-who" value={who} onChange={(e) => set({ who: e.target.value })}>
              {whoOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <p className="cal-summary muted" role="status">
        {loading
          ? 'Loading sessions…'
          : `${live === 0 ? 'No' : live} session${live === 1 ? '' : 's'} this ${unit}. Times are in the practice's time zone (${tz}).`}
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <CalendarGrid
        days={days}
        sessions={sessions}
        timeZone={tz}
        today={today}
        showClinician={who === 'all'}
        {...(state.view === 'week' ? { onOpenDay: (d: string) => set({ view: 'day', date: d }) } : {})}
      />
    </>
  );
}
