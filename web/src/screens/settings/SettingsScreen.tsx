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

const LABELS = {
  name: 'Practice name',
  timeZone: 'Time zone',
  kind: 'Kind of practice',
  idleTimeoutMinutes: 'Idle time-out',
  breakGlassMinutes: 'Emergency access lasts',
};

/** Owner/admin: practice name, time zone, kind, and the security policies. */
export function SettingsScreen() {
  const { refresh } = useSession();
  const [settings, setSettings] = useState<PracticeSettings | null>(null);
  const [draft, setDraft] = useState<
    | (Omit<PracticeSettings, 'idleTimeoutMinutes' | 'breakGlassMinutes'> & {
        idleTimeoutMinutes: string;
        breakGlassMinutes: string;
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
    const found: FieldErrors = {};
    if (!draft.name.trim()) found.name = 'Enter the practice name';
    if (!Number.isInteger(idle) || idle < 5 || idle > 60)
      found.idleTimeoutMinutes = 'Enter a whole number of minutes from 5 to 60';
    if (!Number.isInteger(bg) || bg < 5 || bg > 480)
      found.breakGlassMinutes = 'Enter a whole number of minutes from 5 to 480';
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
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy || stale}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </>
  );
}
