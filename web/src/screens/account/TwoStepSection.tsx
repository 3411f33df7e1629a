import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { MfaEnrolment } from '../../components/MfaEnrolment.js';
import { useSession } from '../../session.js';

export function TwoStepSection() {
  const { me, refresh } = useSession();
  const [mode, setMode] = useState<'view' | 'enrol' | 'disable'>('view');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const disable = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(password ? {} : { password: 'Enter your password' })) return;
    setBusy(true);
    try {
      await api.disableMfa(password);
      setMode('view');
      setNotice('Two-step sign-in is off.');
      await refresh();
    } catch (err) {
      const apiErr = form.fromError(err);
      if (apiErr.status === 401) form.check({ password: apiErr.detail });
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step sign-in</h2>
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {mode === 'enrol' ? (
        <MfaEnrolment
          onCancel={() => setMode('view')}
          onDone={() => {
            setMode('view');
            setNotice('Two-step sign-in is on. You will enter a code from your app each time you sign in.');
            void refresh();
          }}
        />
      ) : mode === 'disable' ? (
        <form onSubmit={(e) => void disable(e)} noValidate className="narrow-form">
          <ErrorSummary message={form.message} errors={form.errors} labels={{ password: 'Password' }} />
          <TextField
            name="password"
            label="Your password"
            type="password"
            value={password}
            onChange={setPassword}
            errors={form.errors}
            required
            autoComplete="current-password"
            hint="Confirm it is you before turning two-step sign-in off."
          />
          <div className="button-row">
            <button type="submit" className="button danger" disabled={busy}>
              Turn off two-step sign-in
            </button>
            <button type="button" className="button secondary" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </form>
      ) : me.user.mfaEnabled ? (
        <>
          <p>
            <span className="badge badge-active">On</span> You enter a code from your authenticator app when
            you sign in.
          </p>
          {me.practice.mfaRequired ? (
            <p className="hint">Your practice requires two-step sign-in, so it cannot be turned off.</p>
          ) : (
            <button type="button" className="button secondary" onClick={() => setMode('disable')}>
              Turn off two-step sign-in
            </button>
          )}
        </>
      ) : (
        <>
          <p>
            <span className="badge badge-inactive">Off</span> Protect client records with a code from an
            authenticator app on your phone, in addition to your password.
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setNotice(null);
              setMode('enrol');
            }}
          >
            Set up two-step sign-in
          </button>
        </>
      )}
    </section>
  );
}
