import { useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { setCsrfToken } from '../../api/http.js';
import type { AuthStage, PracticeKind } from '../../api/types.js';
import { AuthLayout } from '../../components/AuthLayout.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { CheckboxField, SelectField, TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { browserTimeZone, timeZoneOptions } from '../../components/timeZones.js';

const LABELS: Record<string, string> = {
  practiceName: 'Practice name',
  timeZone: 'Time zone',
  kind: 'Kind of practice',
  'owner.fullName': 'Your full name',
  'owner.email': 'Email',
  'owner.credentials': 'Credentials',
  'owner.password': 'Password',
  confirmPassword: 'Confirm password',
};

/** First visit: create the practice and its owner account, then sign the owner in. */
export function SetupScreen({ onDone }: { onDone: (stage: AuthStage) => void }) {
  const [practiceName, setPracticeName] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const [kind, setKind] = useState<PracticeKind>('clinical');
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [credentials, setCredentials] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [alsoClinician, setAlsoClinician] = useState(true);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const zones = useMemo(() => timeZoneOptions(timeZone), [timeZone]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!practiceName.trim()) found.practiceName = 'Enter the practice name';
    if (!fullName.trim()) found['owner.fullName'] = 'Enter your name';
    if (!email.trim()) found['owner.email'] = 'Enter your email address';
    if (password.length < 12) found['owner.password'] = 'Use at least 12 characters';
    if (password !== confirm) found.confirmPassword = 'The passwords do not match';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      await api.setup({
        practiceName: practiceName.trim(),
        timeZone,
        kind,
        owner: {
          email: email.trim(),
          fullName: fullName.trim(),
          password,
          credentials: credentials.trim() || null,
          alsoClinician,
        },
      });
      const r = await api.login(email.trim(), password);
      setCsrfToken(r.csrfToken);
      onDone(r.stage);
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Set up Casebook" wide>
      <p className="lead">
        Welcome. Create your practice and the owner account. You can add staff and change these settings
        later.
      </p>
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>Practice</legend>
          <TextField
            name="practiceName"
            label="Practice name"
            value={practiceName}
            onChange={setPracticeName}
            errors={form.errors}
            required
            autoComplete="organization"
          />
          <div className="field-row">
            <SelectField
              name="timeZone"
              label="Time zone"
              value={timeZone}
              onChange={setTimeZone}
              options={zones}
              errors={form.errors}
              required
              hint="Used for dates of service and times shown."
            />
            <SelectField
              name="kind"
              label="Kind of practice"
              value={kind}
              onChange={setKind}
              options={[
                { value: 'clinical', label: 'Clinical (diagnoses, insurance)' },
                { value: 'coaching', label: 'Coaching (no diagnoses or insurance)' },
              ]}
              errors={form.errors}
              required
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Owner account</legend>
          <div className="field-row">
            <TextField
              name="owner.fullName"
              label="Your full name"
              value={fullName}
              onChange={setFullName}
              errors={form.errors}
              required
              autoComplete="name"
            />
            <TextField
              name="owner.credentials"
              label="Credentials"
              value={credentials}
              onChange={setCredentials}
              errors={form.errors}
              hint="For example LCSW or PhD."
            />
          </div>
          <TextField
            name="owner.email"
            label="Email"
            type="email"
            value={email}
            onChange={setEmail}
            errors={form.errors}
            required
            autoComplete="username"
          />
          <div className="field-row">
            <TextField
              name="owner.password"
              label="Password"
              type="password"
              value={password}
              onChange={setPassword}
              errors={form.errors}
              required
              autoComplete="new-password"
              hint="At least 12 characters. A short sentence is easy to remember and hard to guess."
            />
            <TextField
              name="confirmPassword"
              label="Confirm password"
              type="password"
              value={confirm}
              onChange={setConfirm}
              errors={form.errors}
              required
              autoComplete="new-password"
            />
          </div>
          <CheckboxField
            name="owner.alsoClinician"
            label="I also see clients (add the clinician role to my account)"
            checked={alsoClinician}
            onChange={setAlsoClinician}
            errors={form.errors}
          />
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating practice…' : 'Create practice'}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}
