import { useState, type FormEvent } from 'react';
import { toApiError } from '../../api/http.js';
import type { SessionView } from '../../api/clinicalTypes.js';
import {
  overlapsOf,
  type Modality,
  type Overlap,
  type ServiceType,
  type SessionPatch,
} from '../../api/sessionsApi.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, TextField, fieldId, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import {
  isLocalDate,
  localDateOf,
  localTimeOf,
  toLocalInput,
  zonedToUtc,
} from '../../components/practiceTime.js';
import { ServiceTypeField, SessionSettingFields, SessionWhenFields } from '../../components/SessionFields.js';
import { useSession } from '../../session.js';
import { OverlapWarning } from '../calendar/OverlapWarning.js';
import { PLACE_OF_SERVICE_LABELS } from '../../components/sessionLabels.js';

interface Draft {
  serviceType: ServiceType;
  date: string;
  time: string;
  duration: string;
  actualStart: string;
  actualEnd: string;
  modality: Modality;
  clientAtHome: boolean;
  location: string;
  participants: string[];
  interactiveComplexity: boolean;
}

const LABELS: Record<string, string> = {
  serviceType: 'Service',
  date: 'Date',
  time: 'Start time',
  duration: 'Length',
  actualStart: 'Actual start',
  actualEnd: 'Actual end',
  location: 'Location',
  otherParticipants: 'Others present',
};
const RENAME: Record<string, string> = { scheduledStart: 'date', scheduledEnd: 'duration' };
const ACTUAL_TIMES = [
  { name: 'actualStart', label: 'Start' },
  { name: 'actualEnd', label: 'End' },
] as const;

function draftOf(s: SessionView, tz: string): Draft {
  return {
    serviceType: s.serviceType,
    date: localDateOf(s.scheduledStart, tz),
    time: localTimeOf(s.scheduledStart, tz),
    duration: String(Math.round((Date.parse(s.scheduledEnd) - Date.parse(s.scheduledStart)) / 60_000)),
    actualStart: s.actualStart ? toLocalInput(s.actualStart, tz) : '',
    actualEnd: s.actualEnd ? toLocalInput(s.actualEnd, tz) : '',
    modality: s.modality,
    clientAtHome: s.clientAtHome,
    location: s.location ?? '',
    participants: [...s.otherParticipants],
    interactiveComplexity: s.interactiveComplexity,
  };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The session's facts: when it was booked and when it really ran (the minutes drive the CPT
 * code), how and where, who else was there. Only changed fields are sent.
 */
export function FactsSection({
  session,
  save,
}: {
  session: SessionView;
  /** PATCH with If-Match; rejects with the API error (a 412 is handled by the page). */
  save: (patch: SessionPatch) => Promise<void>;
}) {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const [draft, setDraft] = useState<Draft>(() => draftOf(session, tz));
  const [overlaps, setOverlaps] = useState<Overlap[] | null>(null);
  const [pending, setPending] = useState<SessionPatch | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const form = useFormErrors();

  const set = (p: Partial<Draft>) => {
    setOverlaps(null);
    setStatus('');
    setDraft((d) => ({ ...d, ...p }));
  };
  const start = draft.actualStart ? zonedToUtc(draft.actualStart, tz) : null;
  const end = draft.actualEnd ? zonedToUtc(draft.actualEnd, tz) : null;
  const minutes = start && end && end > start ? Math.round((end.getTime() - start.getTime()) / 60_000) : null;
  const telehealth = draft.modality !== 'in_person';

  const buildPatch = (): SessionPatch | null => {
    const found: FieldErrors = {};
    const duration = Number(draft.duration);
    if (!isLocalDate(draft.date)) found.date = 'Enter a date';
    if (!/^\d{2}:\d{2}$/.test(draft.time)) found.time = 'Enter a start time';
    if (!Number.isInteger(duration) || duration < 5 || duration > 480)
      found.duration = 'Enter a whole number of minutes from 5 to 480';
    if (draft.actualStart && !start) found.actualStart = 'Enter a date and time, or leave it empty';
    if (draft.actualEnd && !end) found.actualEnd = 'Enter a date and time, or leave it empty';
    if (start && end && end <= start) found.actualEnd = 'The end must be after the start';
    const participants = draft.participants.map((p) => p.trim()).filter(Boolean);
    if (!form.check(found)) return null;

    const patch: SessionPatch = {};
    const scheduledStart = zonedToUtc(`${draft.date}T${draft.time}`, tz);
    if (scheduledStart) {
      const scheduledEnd = new Date(scheduledStart.getTime() + duration * 60_000);
      if (scheduledStart.getTime() !== Date.parse(session.scheduledStart))
        patch.scheduledStart = scheduledStart.toISOString();
      if (scheduledEnd.getTime() !== Date.parse(session.scheduledEnd))
        patch.scheduledEnd = scheduledEnd.toISOString();
    }
    const actualStart = start?.toISOString() ?? null;
    const actualEnd = end?.toISOString() ?? null;
    const was = (iso: string | null) => (iso ? new Date(iso).toISOString() : null);
    if (actualStart !== was(session.actualStart)) patch.actualStart = actualStart;
    if (actualEnd !== was(session.actualEnd)) patch.actualEnd = actualEnd;
    if (draft.serviceType !== session.serviceType) patch.serviceType = draft.serviceType;
    if (draft.modality !== session.modality) patch.modality = draft.modality;
    const atHome = telehealth && draft.clientAtHome;
    if (atHome !== session.clientAtHome) patch.clientAtHome = atHome;
    const location = draft.location.trim() || null;
    if (location !== session.location) patch.location = location;
    if (!sameList(participants, session.otherParticipants)) patch.otherParticipants = participants;
    if (draft.interactiveComplexity !== session.interactiveComplexity)
      patch.interactiveComplexity = draft.interactiveComplexity;
    return patch;
  };

  const send = async (patch: SessionPatch) => {
    setBusy(true);
    try {
      await save(patch);
      setOverlaps(null);
      setStatus('Saved.');
    } catch (err) {
      const clashes = overlapsOf(err);
      if (clashes) {
        setPending(patch);
        form.clear();
        setOverlaps(clashes);
      } else if (!toApiError(err).isStale) {
        form.fromError(err, RENAME);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOverlaps(null);
    const patch = buildPatch();
    if (!patch) return;
    if (Object.keys(patch).length > 0) void send(patch);
    else setStatus('Nothing has changed.');
  };

  const useScheduled = () =>
    set({
      actualStart: toLocalInput(session.scheduledStart, tz),
      actualEnd: toLocalInput(session.scheduledEnd, tz),
    });

  return (
    <section className="panel" aria-labelledby="facts-title">
      <h2 id="facts-title">Session details</h2>
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      {overlaps && pending ? (
        <OverlapWarning
          overlaps={overlaps}
          timeZone={tz}
          confirmLabel="Save anyway"
          busy={busy}
          onConfirm={() => void send({ ...pending, allowOverlap: true })}
          onChange={() => {
            setOverlaps(null);
            document.getElementById(fieldId('date'))?.focus();
          }}
        />
      ) : null}
      <form onSubmit={submit} noValidate className="facts-form">
        <ServiceTypeField
          value={draft.serviceType}
          onChange={(v) => set({ serviceType: v })}
          errors={form.errors}
        />
        <fieldset className="choice-group">
          <legend>Booked for</legend>
          <SessionWhenFields
            value={draft}
            onChange={({ date, time, duration }) => set({ date, time, duration })}
            errors={form.errors}
            labels={{ date: 'Date', time: 'Start', duration: 'Minutes' }}
          />
        </fieldset>
        <fieldset className="choice-group">
          <legend>Actually held</legend>
          <p className="hint">The face-to-face time decides a time-based CPT code.</p>
          <div className="field-row">
            {ACTUAL_TIMES.map(({ name, label }) => (
              <TextField
                key={name}
                name={name}
                label={label}
                type="datetime-local"
                value={draft[name]}
                onChange={(v) => set({ [name]: v })}
                errors={form.errors}
              />
            ))}
          </div>
          <div className="minutes-row">
            <p aria-live="polite" className="minutes">
              {minutes === null ? 'Minutes: not yet known' : `Minutes: ${minutes}`}
            </p>
            <button type="button" className="button secondary small" onClick={useScheduled}>
              Use the booked times
            </button>
          </div>
        </fieldset>
        <SessionSettingFields
          value={draft}
          onChange={set}
          errors={form.errors}
          modalityName="facts-modality"
          atHomeLabel="The client joined from home"
          atHomeHint="Place of service 10 at home, 02 elsewhere."
        >
          <p className="pos">
            Place of service: <strong>{session.placeOfService}</strong>{' '}
            <span className="muted">
              {PLACE_OF_SERVICE_LABELS[session.placeOfService] ?? ''} (updated when you save)
            </span>
          </p>
        </SessionSettingFields>
        <CheckboxField
          name="interactiveComplexity"
          label="Interactive complexity"
          checked={draft.interactiveComplexity}
          onChange={(v) => set({ interactiveComplexity: v })}
          hint="Communication was complicated, e.g. by a third party or an interpreter (adds 90785 where allowed)."
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save details'}
          </button>
          <span role="status" className="save-status">
            {status}
          </span>
        </div>
      </form>
    </section>
  );
}
