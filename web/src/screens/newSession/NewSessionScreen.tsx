import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../api/casebookApi.js';
import {
  overlapsOf,
  sessionsApi,
  type BookSessionInput,
  type Modality,
  type Overlap,
  type ServiceType,
} from '../../api/sessionsApi.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextField, fieldId, type FieldErrors } from '../../components/fields.js';
import { setFlash } from '../../components/flash.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ServiceTypeField, SessionSettingFields, SessionWhenFields } from '../../components/SessionFields.js';
import { formatSessionWhen, isLocalDate, localDateOf, localTimeOf } from '../../components/practiceTime.js';
import { useStaff } from '../../components/useStaff.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { showOnCalendar } from '../calendar/calendarMemory.js';
import { OverlapWarning } from '../calendar/OverlapWarning.js';
import { DEFAULT_MINUTES } from '../../components/sessionLabels.js';
import { ClientPicker, type PickedClient } from './ClientPicker.js';
import './newSession.css';

type Repeat = 'none' | 'weekly' | 'every_other_week';

interface Draft {
  clients: PickedClient[];
  clinicianId: string;
  serviceType: ServiceType;
  date: string;
  time: string;
  duration: string;
  durationTouched: boolean;
  modality: Modality;
  location: string;
  clientAtHome: boolean;
  participants: string[];
  repeat: Repeat;
  ends: 'count' | 'until';
  count: string;
  until: string;
}

const LABELS: Record<string, string> = {
  clientIds: 'Client',
  clinicianId: 'Clinician',
  serviceType: 'Service',
  date: 'Date',
  time: 'Start time',
  duration: 'Length',
  modality: 'How',
  location: 'Location',
  repeat: 'Repeat',
  count: 'Number of sessions',
  until: 'Last date',
  otherParticipants: 'Others present',
};

// Server field paths shown against the form's own fields.
const RENAME: Record<string, string> = {
  startLocal: 'date',
  durationMinutes: 'duration',
  recurrence: 'repeat',
  'recurrence.count': 'count',
  'recurrence.until': 'until',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function nextWholeHour(timeZone: string): { date: string; time: string } {
  const at = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  return { date: localDateOf(at, timeZone), time: localTimeOf(at, timeZone) };
}

/** One way a series can end: its radio button, and the field it needs once chosen. */
function EndsOption({
  value,
  label,
  chosen,
  onChoose,
  children,
}: {
  value: Draft['ends'];
  label: string;
  chosen: boolean;
  onChoose: () => void;
  children: ReactNode;
}) {
  return (
    <div className="ends-row">
      <label className="choice">
        <input type="radio" name="ends" value={value} checked={chosen} onChange={onChoose} />
        {label}
      </label>
      {chosen ? children : null}
    </div>
  );
}

/** Book a session or a weekly / every-other-week series; a double booking must be confirmed. */
export function NewSessionScreen() {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const isClinician = hasRole(me, 'clinician', 'supervisor');
  const booksForOthers = hasRole(me, 'scheduler', 'owner', 'admin');
  const { clinicians } = useStaff(booksForOthers);
  const form = useFormErrors();
  const [draft, setDraft] = useState<Draft>(() => {
    const start = nextWholeHour(tz);
    return {
      clients: [],
      clinicianId: isClinician ? me.user.id : '',
      serviceType: 'individual',
      date: start.date,
      time: start.time,
      duration: String(DEFAULT_MINUTES.individual),
      durationTouched: false,
      modality: 'in_person',
      location: '',
      clientAtHome: false,
      participants: [],
      repeat: 'none',
      ends: 'count',
      count: '4',
      until: '',
    };
  });
  const [overlaps, setOverlaps] = useState<Overlap[] | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<BookSessionInput | null>(null);

  // "Book session" from a client's record arrives with that client chosen.
  useEffect(() => {
    const clientId = new URLSearchParams(window.location.search).get('clientId');
    if (!clientId || !UUID.test(clientId)) return undefined;
    let live = true;
    api
      .client(clientId)
      .then((c) => {
        if (!live) return;
        const name = `${c.preferredName ?? c.legalFirstName} ${c.legalLastName}`;
        setDraft((d) => (d.clients.length ? d : { ...d, clients: [{ id: c.id, name, code: c.clientCode }] }));
      })
      .catch(() => form.setMessage('The client from the link could not be opened. Search for them below.'));
    return () => {
      live = false;
    };
  }, []);

  const set = (p: Partial<Draft>) => {
    setOverlaps(null);
    setDraft((d) => ({ ...d, ...p }));
  };

  const validate = (): BookSessionInput | null => {
    const found: FieldErrors = {};
    if (draft.clients.length === 0) found.clientIds = 'Choose a client';
    else if (draft.serviceType !== 'group' && draft.clients.length > 1)
      found.clientIds = 'Only a group session has several clients; remove the others or choose Group';
    if (!draft.clinicianId) found.clinicianId = 'Choose the clinician';
    if (!isLocalDate(draft.date)) found.date = 'Enter a date';
    if (!/^\d{2}:\d{2}$/.test(draft.time)) found.time = 'Enter a start time';
    const minutes = Number(draft.duration);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 480)
      found.duration = 'Enter a whole number of minutes from 5 to 480';
    const count = Number(draft.count);
    if (draft.repeat !== 'none') {
      if (draft.ends === 'count' && (!Number.isInteger(count) || count < 1 || count > 104))
        found.count = 'Enter a number of sessions from 1 to 104';
      if (draft.ends === 'until') {
        if (!isLocalDate(draft.until)) found.until = 'Enter the date of the last session';
        else if (isLocalDate(draft.date) && draft.until < draft.date)
          found.until = 'The last date must be on or after the first';
      }
    }
    const participants = draft.participants.map((p) => p.trim()).filter(Boolean);
    if (participants.some((p) => p.length > 100))
      found.otherParticipants = 'Keep each role under 100 characters';
    if (!form.check(found)) return null;
    return {
      clientIds: draft.clients.map((c) => c.id),
      clinicianId: draft.clinicianId,
      serviceType: draft.serviceType,
      startLocal: `${draft.date}T${draft.time}`,
      durationMinutes: minutes,
      modality: draft.modality,
      location: draft.location.trim() || null,
      clientAtHome: draft.modality !== 'in_person' && draft.clientAtHome,
      otherParticipants: participants,
      recurrence:
        draft.repeat === 'none'
          ? { kind: 'none' }
          : draft.ends === 'count'
            ? { kind: draft.repeat, count }
            : { kind: draft.repeat, until: draft.until },
      allowOverlap: false,
    };
  };

  const book = async (body: BookSessionInput) => {
    setBusy(true);
    try {
      const { sessions } = await sessionsApi.book(body);
      const first = sessions[0];
      if (first) {
        const names = first.clients.map((c) => c.displayName).join(', ');
        const when = formatSessionWhen(first.scheduledStart, first.scheduledEnd, tz);
        setFlash(
          sessions.length === 1
            ? `Booked ${names} on ${when}.`
            : `Booked ${sessions.length} sessions for ${names}, the first on ${when}.`,
        );
        showOnCalendar(
          localDateOf(first.scheduledStart, tz),
          body.clinicianId === me.user.id ? 'me' : body.clinicianId,
        );
      }
      navigate('/calendar');
    } catch (err) {
      const clashes = overlapsOf(err);
      if (clashes) {
        pending.current = body;
        form.clear();
        setOverlaps(clashes);
      } else {
        form.fromError(err, RENAME);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOverlaps(null);
    const body = validate();
    if (body) void book(body);
  };

  const bookAnyway = () => {
    if (pending.current) void book({ ...pending.current, allowOverlap: true });
  };

  const clinicianOptions = [
    ...(draft.clinicianId ? [] : [{ value: '', label: 'Choose a clinician' }]),
    ...clinicians.map((c) => ({ value: c.id, label: c.fullName })),
  ];
  const submitLabel = draft.repeat === 'none' ? 'Book session' : 'Book series';
  const endsFieldProps = { errors: form.errors, required: true, className: 'narrow' };

  return (
    <>
      <PageHeader title="Book a session" />
      <p className="record-meta">
        <Link to="/calendar">Calendar</Link> · Times are in the practice&rsquo;s time zone ({tz}).
      </p>
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      {overlaps ? (
        <OverlapWarning
          overlaps={overlaps}
          timeZone={tz}
          confirmLabel="Book anyway"
          busy={busy}
          onConfirm={bookAnyway}
          onChange={() => {
            setOverlaps(null);
            document.getElementById(fieldId('date'))?.focus();
          }}
        />
      ) : null}
      <form onSubmit={submit} noValidate className="record-form book-form">
        <fieldset>
          <legend>Who</legend>
          <ServiceTypeField
            value={draft.serviceType}
            onChange={(v) =>
              set({
                serviceType: v,
                ...(draft.durationTouched ? {} : { duration: String(DEFAULT_MINUTES[v]) }),
              })
            }
            errors={form.errors}
            className="medium"
          />
          <ClientPicker
            picked={draft.clients}
            onChange={(clients) => set({ clients })}
            multiple={draft.serviceType === 'group'}
            error={form.errors.clientIds}
          />
          {booksForOthers ? (
            <SelectField
              name="clinicianId"
              label="Clinician"
              value={draft.clinicianId}
              onChange={(v) => set({ clinicianId: v })}
              options={clinicianOptions}
              errors={form.errors}
              required
              className="medium"
            />
          ) : (
            <div className="field">
              <span className="field-label">Clinician</span>
              <p className="static-value">{me.user.fullName}</p>
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>When</legend>
          <SessionWhenFields
            value={draft}
            onChange={({ date, time, duration }) =>
              set({
                date,
                time,
                duration,
                durationTouched: draft.durationTouched || duration !== draft.duration,
              })
            }
            errors={form.errors}
            labels={{ date: 'Date', time: 'Start time', duration: 'Length (minutes)' }}
          />
          <fieldset className={`choice-group${form.errors.repeat ? ' has-error' : ''}`}>
            <legend>Repeat</legend>
            {form.errors.repeat ? (
              <p className="field-error" id={`${fieldId('repeat')}-error`}>
                <span className="visually-hidden">Error: </span>
                {form.errors.repeat}
              </p>
            ) : null}
            {(
              [
                ['none', 'Does not repeat'],
                ['weekly', 'Every week'],
                ['every_other_week', 'Every other week'],
              ] as const
            ).map(([value, label], i) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="repeat"
                  id={i === 0 ? fieldId('repeat') : undefined}
                  value={value}
                  checked={draft.repeat === value}
                  onChange={() => set({ repeat: value })}
                />
                {label}
              </label>
            ))}
          </fieldset>
          {draft.repeat !== 'none' ? (
            <fieldset className="choice-group">
              <legend>Ends</legend>
              <EndsOption
                value="count"
                label="After a number of sessions"
                chosen={draft.ends === 'count'}
                onChoose={() => set({ ends: 'count' })}
              >
                <TextField
                  name="count"
                  label="Number of sessions"
                  hint="Including the first."
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={104}
                  value={draft.count}
                  onChange={(v) => set({ count: v })}
                  {...endsFieldProps}
                />
              </EndsOption>
              <EndsOption
                value="until"
                label="On a date"
                chosen={draft.ends === 'until'}
                onChoose={() => set({ ends: 'until' })}
              >
                <TextField
                  name="until"
                  label="Last date"
                  hint="A session on this date is included."
                  type="date"
                  value={draft.until}
                  onChange={(v) => set({ until: v })}
                  {...endsFieldProps}
                />
              </EndsOption>
            </fieldset>
          ) : null}
        </fieldset>

        <fieldset>
          <legend>Setting</legend>
          <SessionSettingFields
            value={draft}
            onChange={set}
            errors={form.errors}
            modalityName="modality"
            atHomeLabel="The client joins from home"
            atHomeHint="Telehealth in the client’s home is place of service 10; elsewhere it is 02."
            locationHint="Seen by everyone who can see the calendar: no client details."
            locationClassName="medium"
          />
        </fieldset>

        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Booking…' : submitLabel}
          </button>
          <Link to="/calendar" className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
