import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../api/http.js';
import type { SessionView } from '../../api/clinicalTypes.js';
import { sessionsApi, staleSessionOf, type SessionPatch } from '../../api/sessionsApi.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatSessionWhen, localDateOf } from '../../components/practiceTime.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { showOnCalendar } from '../calendar/calendarMemory.js';
import { MODALITY_LABELS, SERVICE_TYPE_LABELS } from '../../components/sessionLabels.js';
import { AttendanceSection } from './AttendanceSection.js';
import { CptSection } from './CptSection.js';
import { FactsSection } from './FactsSection.js';
import './sessionDetail.css';

/** One session: attendance and notes per client, the session's facts, and its CPT code. */
export function SessionDetailScreen({ sessionId }: { sessionId: string }) {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [stale, setStale] = useState(false);
  // Bumped when the page adopts someone else's version, so every form starts again from it.
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    try {
      setSession(await sessionsApi.session(sessionId));
      setError(null);
    } catch (err) {
      setError(toApiError(err));
    }
  }, [sessionId]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (patch: SessionPatch): Promise<void> => {
    if (!session) return;
    setStale(false);
    try {
      setSession(await sessionsApi.update(session.id, session.version, patch));
    } catch (err) {
      if (toApiError(err).isStale) {
        setStale(true);
        const current = staleSessionOf(err);
        if (current) setSession(current);
        else await load();
        setGeneration((g) => g + 1);
      }
      throw err;
    }
  };

  if (error) {
    return (
      <>
        <PageHeader title="Session" />
        <Alert kind="error">
          {error.status === 404 ? 'There is no session at this address in your practice.' : error.detail}
        </Alert>
        <Link to="/calendar">Back to the calendar</Link>
      </>
    );
  }
  if (!session) return <p role="status">Loading session…</p>;

  const s = session;
  return (
    <>
      <PageHeader title={`Session ${formatSessionWhen(s.scheduledStart, s.scheduledEnd, tz)}`} />
      <p className="record-meta">
        <Link to="/calendar" onClick={() => showOnCalendar(localDateOf(s.scheduledStart, tz), null)}>
          Calendar
        </Link>{' '}
        · {SERVICE_TYPE_LABELS[s.serviceType]} · {MODALITY_LABELS[s.modality]}
        {s.location ? ` · ${s.location}` : ''} · with {s.clinicianName}
        {s.seriesId ? ' · part of a repeating series' : ''}
        {s.cancelledAt ? <span className="badge badge-discharged">Cancelled</span> : null}
      </p>
      {stale ? (
        <Alert kind="error" title="Changed by someone else">
          <p>
            Someone else changed this session while you had it open, so your change was not saved. The current
            version is shown below; make your change again if it is still needed.
          </p>
        </Alert>
      ) : null}
      <AttendanceSection session={s} onChange={setSession} />
      <div className="session-grid">
        <FactsSection key={`facts-${generation}`} session={s} save={save} />
        <CptSection key={`cpt-${generation}`} session={s} save={save} />
      </div>
    </>
  );
}
