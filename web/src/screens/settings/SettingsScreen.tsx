import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { PracticeKind, PracticeSettings, SettingsPatch } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, SelectField, TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { timeZoneOptions } from '../../components/timeZones.js';
import { useSession } from '../../session.js';
import { Part2NoticeSettings } from '../consents/Part2NoticeSettings.js';

const LABELS = {
  name: 'Practice name',
  timeZone: 'Time zone',
  kind: 'Kind of practice',
  idleTimeoutMinutes: 'Idle time-out',
  breakGlassMinutes: 'Emergency access lasts',
  noteDueHours: 'Notes are due',
  noteReminderHours: 'Reminder',
  officePlaceOfService: 'Office place of service',
  planReviewDays: 'Plan review interval',
};

const DUE_PRESETS = ['24', '48', '72'];
const OFFICE_POS = [
  { value: '11', label: '11 — Office' },
  { value: '49', label: '49 — Independent clinic' },
  { value: '53', label: '53 — Community mental health center' },
  { value: '22', label: '22 — Outpatient hospital' },
  { value: '03', label: '03 — School' },
  { value: '99', label: '99 — Other place of service' },
];

/** Owner/admin: practice name, time zone, kind, and the security policies. */
export function SettingsScreen() {
  const { refresh } = useSession();
  const [settings, setSettings] = useState<PracticeSettings | null>(null);
  const [draft, setDraft] = useState<
    | (Omit<
        PracticeSettings,
        'idleTimeoutMinutes' | 'breakGlassMinutes' | 'noteDueHours' | 'noteReminderHours' | 'planReviewDays'
      > & {
        idleTimeoutMinutes: string;
        breakGlassMinutes: string;
        noteDueHours: string;
        noteReminderHours: string;
        planReviewDays: string;
        duePreset: string;
      })
    | null
  >(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const zones = useMemo(() => timeZoneOptions(draft?.timeZone ?? 'UTC'), [draft?.timeZone]);

  const adopt = (s: PracticeSettings) => {
    setSettings(s);
    setDraft({
      ...s,
      idleTimeoutMinutes: String(s.idleTimeoutMinutes),
      breakGlassMinutes: String(s.breakGlassMinutes),
      noteDueHours: String(s.noteDueHours),
      noteReminderHours: String(s.noteReminderHours),
      planReviewDays: String(s.planReviewDays),
      duePreset: DUE_PRESETS.includes(String(s.noteDueHours)) ? String(s.noteDueHours) : 'custom',
    });
  };

  useEffect(() => {
    api
      .settings()
      .then(adopt)
      .catch((err: unknown) => setLoadError(toApiError(err).detail));
  }, []);

  if (loadError) return <Alert kind="error">{loadError}</Alert>;
  if (!settings || !draft) return <p role="status">Loading settings…</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const idle = Number(draft.idleTimeoutMinutes);
    const bg = Number(draft.breakGlassMinutes);
    const due = Number(draft.duePreset === 'custom' ? draft.noteDueHours : draft.duePreset);
    const remind = Number(draft.noteReminderHours);
    const review = Number(draft.planReviewDays);
    const found: FieldErrors = {};
    if (!draft.name.trim()) found.name = 'Enter the practice name';
    if (!Number.isInteger(idle) || idle < 5 || idle > 60)
      found.idleTimeoutMinutes = 'Enter a whole number of minutes from 5 to 60';
    if (!Number.isInteger(bg) || bg < 5 || bg > 480)
      found.breakGlassMinutes = 'Enter a whole number of minutes from 5 to 480';
    if (!Number.isInteger(due) || due < 1 || due > 336)
      found.noteDueHours = 'Enter a whole number of hours from 1 to 336 (two weeks)';
    if (!Number.isInteger(remind) || remind < 0 || remind > 336)
      found.noteReminderHours = 'Enter a whole number of hours from 0 to 336';
    else if (Number.isInteger(due) && remind > due)
      found.noteReminderHours = `At most ${due}: the reminder cannot come before the session ends`;
    if (!Number.isInteger(review) || review < 7 || review > 365)
      found.planReviewDays = 'Enter a whole number of days from 7 to 365';
    if (!/^[0-9]{2}$/.test(draft.officePlaceOfService))
      found.officePlaceOfService = 'Two digits, e.g. 11 for office';
    if (!form.check(found)) return;
    const next: SettingsPatch = {
      name: draft.name.trim(),
      timeZone: draft.timeZone,
      kind: draft.kind,
      idleTimeoutMinutes: idle,
      mfaRequired: draft.mfaRequired,
      privacyMode: draft.privacyMode,
      adminsSeeAllClients: draft.adminsSeeAllClients,
      breakGlassMinutes: bg,
      noteDueHours: due,
      noteReminderHours: remind,
      officePlaceOfService: draft.officePlaceOfService,
      planReviewDays: review,
    };
    const patch = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => settings[k as keyof PracticeSettings] !== v),
    ) as SettingsPatch;
    if (Object.keys(patch).length === 0) {
      setSaved(true);
      return;
    }
    setBusy(true);
    try {
      adopt(await api.updateSettings(settings.version, patch));
      setSaved(true);
      await refresh();
    } catch (err) {
      if (toApiError(err).isStale) setStale(true);
      else form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (p: Partial<typeof draft>) => setDraft({ ...draft, ...p });
  return (
    <>
      <PageHeader title="Practice settings" />
      {saved ? <Alert kind="success">Settings saved.</Alert> : null}
      {stale ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Someone else changed the settings</p>
          <p>Your changes were not saved.</p>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setStale(false);
              void api.settings().then(adopt);
            }}
          >
            Load the current settings
          </button>
        </div>
      ) : null}
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      <form onSubmit={(e) => void submit(e)} noValidate className="narrow-form">
        <fieldset>
          <legend>Practice</legend>
          <TextField
            name="name"
            label="Practice name"
            value={draft.name}
            onChange={(v) => set({ name: v })}
            errors={form.errors}
            required
          />
          <SelectField
            name="timeZone"
            label="Time zone"
            value={draft.timeZone}
            onChange={(v) => set({ timeZone: v })}
            options={zones}
            errors={form.errors}
            required
          />
          <SelectField<PracticeKind>
            name="kind"
            label="Kind of practice"
            value={draft.kind}
            onChange={(v) => set({ kind: v })}
            options={[
              { value: 'clinical', label: 'Clinical (diagnoses, insurance)' },
              { value: 'coaching', label: 'Coaching (no diagnoses or insurance)' },
            ]}
            errors={form.errors}
            required
          />
        </fieldset>
        <fieldset>
          <legend>Security and privacy</legend>
          <TextField
            name="idleTimeoutMinutes"
            label="Idle time-out (minutes)"
            type="number"
            min={5}
            max={60}
            inputMode="numeric"
            value={draft.idleTimeoutMinutes}
            onChange={(v) => set({ idleTimeoutMinutes: v })}
            errors={form.errors}
            required
            className="narrow"
            hint="Sign people out after this many minutes without activity (5 to 60). They are warned 2 minutes before."
          />
          <CheckboxField
            name="mfaRequired"
            label="Require two-step sign-in for everyone"
            checked={draft.mfaRequired}
            onChange={(v) => set({ mfaRequired: v })}
            errors={form.errors}
            hint="Users without it must set it up at their next sign-in."
          />
          <CheckboxField
            name="privacyMode"
            label="Privacy mode: show client codes instead of names in lists"
            checked={draft.privacyMode}
            onChange={(v) => set({ privacyMode: v })}
            errors={form.errors}
            hint="Useful where screens can be seen by others."
          />
          <CheckboxField
            name="adminsSeeAllClients"
            label="Owners and admins can open every client record"
            checked={draft.adminsSeeAllClients}
            onChange={(v) => set({ adminsSeeAllClients: v })}
            errors={form.errors}
            hint="When off, they see only clients whose care team they are on."
          />
          <TextField
            name="breakGlassMinutes"
            label="Emergency access lasts (minutes)"
            type="number"
            min={5}
            max={480}
            inputMode="numeric"
            value={draft.breakGlassMinutes}
            onChange={(v) => set({ breakGlassMinutes: v })}
            errors={form.errors}
            required
            className="narrow"
          />
        </fieldset>
        <fieldset>
          <legend>Documentation deadlines</legend>
          <fieldset className="checkbox-group">
            <legend>Notes are due after the session ends</legend>
            {[...DUE_PRESETS, 'custom'].map((h) => (
              <div className="field checkbox" key={h}>
                <input
                  type="radio"
                  name="duePreset"
                  id={`due-${h}`}
                  value={h}
                  checked={draft.duePreset === h}
                  onChange={() => set(h === 'custom' ? { duePreset: h } : { duePreset: h, noteDueHours: h })}
                />
                <label htmlFor={`due-${h}`}>
                  {h === 'custom' ? 'Another number of hours' : `${h} hours`}
                </label>
              </div>
            ))}
          </fieldset>
          {draft.duePreset === 'custom' ? (
            <TextField
              name="noteDueHours"
              label="Hours until a note is due"
              type="number"
              min={1}
              max={336}
              inputMode="numeric"
              value={draft.noteDueHours}
              onChange={(v) => set({ noteDueHours: v })}
              errors={form.errors}
              required
              className="narrow"
              hint="From 1 to 336 (two weeks)."
            />
          ) : null}
          <TextField
            name="noteReminderHours"
            label="Remind the clinician this many hours before a note is due"
            type="number"
            min={0}
            max={336}
            inputMode="numeric"
            value={draft.noteReminderHours}
            onChange={(v) => set({ noteReminderHours: v })}
            errors={form.errors}
            required
            className="narrow"
            hint="0 means no advance reminder."
          />
          <SelectField
            name="officePlaceOfService"
            label="Place of service for in-person sessions"
            value={draft.officePlaceOfService}
            onChange={(v) => set({ officePlaceOfService: v })}
            options={
              OFFICE_POS.some((o) => o.value === draft.officePlaceOfService)
                ? OFFICE_POS
                : [
                    ...OFFICE_POS,
                    { value: draft.officePlaceOfService, label: `${draft.officePlaceOfService} — current` },
                  ]
            }
            errors={form.errors}
            required
            hint="Telehealth sessions use 10 (client at home) or 02 automatically."
          />
          <TextField
            name="planReviewDays"
            label="Plan review interval (days after signing)"
            type="number"
            min={7}
            max={365}
            inputMode="numeric"
            value={draft.planReviewDays}
            onChange={(v) => set({ planReviewDays: v })}
            errors={form.errors}
            required
            className="narrow"
            hint="From 7 to 365. 90 days is usual. Reviews due within two weeks show on the clinician's dashboard."
          />
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy || stale}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
      <Part2NoticeSettings canManage onSaved={() => void api.settings().then(adopt)} />
    </>
  );
}
