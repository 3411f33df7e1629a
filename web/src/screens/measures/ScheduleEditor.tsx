import { useEffect, useState, type FormEvent } from 'react';
import {
  measuresApi,
  type InstrumentDefinition,
  type InstrumentId,
  type MeasureSchedule,
  type ScheduleEntryInput,
} from '../../api/measuresApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { formatDateTime } from '../../components/dateFormat.js';

type Choice = 'none' | 'every_session' | 'every_n_sessions' | 'monthly';
const CHOICES: { value: Choice; label: string }[] = [
  { value: 'none', label: 'Not scheduled' },
  { value: 'every_session', label: 'Every session' },
  { value: 'every_n_sessions', label: 'Every N sessions' },
  { value: 'monthly', label: 'Monthly' },
];

function describe(item: MeasureSchedule['items'][number]): string {
  if (item.frequency === 'every_n_sessions') return `Every ${item.everyN ?? '?'} sessions`;
  return item.frequency === 'monthly' ? 'Monthly' : 'Every session';
}

/** Which questionnaires recur for this client and whether each is due now; editable in place. */
export function ScheduleEditor({
  clientId,
  instruments,
  timeZone,
  canEdit,
  refreshKey,
}: {
  clientId: string;
  instruments: readonly InstrumentDefinition[];
  timeZone: string;
  canEdit: boolean;
  /** Changes when a measure is given, so "due" is worked out again. */
  refreshKey: number;
}) {
  const [schedule, setSchedule] = useState<MeasureSchedule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [choices, setChoices] = useState<Record<string, { choice: Choice; everyN: string }>>({});
  const [saved, setSaved] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    let live = true;
    measuresApi
      .schedule(clientId)
      .then((s) => live && setSchedule(s))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId, refreshKey]);

  const startEditing = () => {
    const next: Record<string, { choice: Choice; everyN: string }> = {};
    for (const def of instruments) {
      const item = schedule?.items.find((i) => i.instrument === def.id);
      next[def.id] = { choice: item?.frequency ?? 'none', everyN: item?.everyN ? String(item.everyN) : '2' };
    }
    setChoices(next);
    setSaved(false);
    form.clear();
    setEditing(true);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!schedule) return;
    const items: ScheduleEntryInput[] = [];
    const problems: Record<string, string> = {};
    instruments.forEach((def) => {
      const c = choices[def.id];
      if (!c || c.choice === 'none') return;
      const n = Number(c.everyN);
      if (c.choice === 'every_n_sessions' && (!Number.isInteger(n) || n < 2 || n > 52))
        problems[`items.${items.length}.everyN`] =
          `${def.shortName}: enter how many sessions apart, from 2 to 52`;
      items.push({
        instrument: def.id,
        frequency: c.choice,
        everyN: c.choice === 'every_n_sessions' ? n : null,
      });
    });
    if (!form.check(problems)) return;
    try {
      setSchedule(await measuresApi.saveSchedule(clientId, schedule.version, items));
      setEditing(false);
      setSaved(true);
    } catch (err) {
      const e2 = form.fromError(err);
      if (e2.isStale && e2.problem.current) setSchedule(e2.problem.current as MeasureSchedule);
    }
  };

  // The form's field ids are per instrument; server paths are per position: map them back.
  const everyNField = (id: InstrumentId) => {
    const index = instruments
      .filter((d) => choices[d.id] && choices[d.id]?.choice !== 'none')
      .findIndex((d) => d.id === id);
    return `items.${index}.everyN`;
  };

  return (
    <section className="panel" aria-labelledby="schedule-title">
      <div className="panel-header">
        <h2 id="schedule-title">Schedule</h2>
        {canEdit && !editing && schedule ? (
          <button type="button" className="button secondary" onClick={startEditing}>
            Change schedule
          </button>
        ) : null}
      </div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {saved ? <Alert kind="success">Schedule saved.</Alert> : null}
      {schedule && !editing ? (
        schedule.items.length === 0 ? (
          <p className="muted">No questionnaires are scheduled for this client.</p>
        ) : (
          <ul className="schedule-list">
            {schedule.items.map((i) => (
              <li key={i.instrument}>
                <strong>{i.name}</strong> · {describe(i)}{' '}
                {i.due ? (
                  <span className="badge badge-emergency" title={i.reason}>
                    Due now
                  </span>
                ) : (
                  <span className="badge badge-active" title={i.reason}>
                    Not due
                  </span>
                )}
                <span className="muted schedule-reason">
                  {i.reason}
                  {i.lastAdministeredAt ? ` · last ${formatDateTime(i.lastAdministeredAt, timeZone)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )
      ) : null}
      {editing ? (
        <form onSubmit={(e) => void save(e)} noValidate className="schedule-form">
          <ErrorSummary message={form.message} errors={form.errors} />
          {instruments.map((def) => {
            const c = choices[def.id] ?? { choice: 'none', everyN: '2' };
            return (
              <div key={def.id} className="schedule-row">
                <SelectField
                  name={`schedule-${def.id}`}
                  label={def.shortName}
                  value={c.choice}
                  options={CHOICES}
                  onChange={(v) => setChoices((p) => ({ ...p, [def.id]: { ...c, choice: v } }))}
                  required
                />
                {c.choice === 'every_n_sessions' ? (
                  <TextField
                    name={everyNField(def.id)}
                    label="Sessions apart"
                    type="number"
                    inputMode="numeric"
                    min={2}
                    max={52}
                    value={c.everyN}
                    onChange={(v) => setChoices((p) => ({ ...p, [def.id]: { ...c, everyN: v } }))}
                    errors={form.errors}
                    className="narrow"
                    required
                  />
                ) : null}
              </div>
            );
          })}
          <div className="button-row">
            <button type="submit" className="button primary">
              Save schedule
            </button>
            <button type="button" className="button secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
