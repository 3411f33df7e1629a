import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { Alert } from '../../components/Alert.js';
import { AuthLayout } from '../../components/AuthLayout.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

/** One-time link from an administrator: the token arrives in the URL fragment and is removed from the address bar at once. */
export function SetPasswordScreen({ onDone }: { onDone: () => void }) {
  const [token] = useState(tokenFromHash);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (password.length < 12) found.password = 'Use at least 12 characters';
    if (password !== confirm) found.confirmPassword = 'The passwords do not match';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      await api.setPassword(token, password);
      setDone(true);
    } catch (err) {
      form.fromError(err, { token: 'password' });
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <AuthLayout title="Set your password">
        <Alert kind="error">
          This link is incomplete. Open the whole link you were given, or ask your practice administrator for
          a new one.
        </Alert>
        <button type="button" className="button secondary" onClick={onDone}>
          Go to sign in
        </button>
      </AuthLayout>
    );
  }
  if (done) {
    return (
      <AuthLayout title="Password set">
        <Alert kind="success">Your password is set. You can now sign in.</Alert>
        <button type="button" className="button primary" onClick={onDone}>
          Go to sign in
        </button>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Set your password">
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{ password: 'New password', confirmPassword: 'Confirm password' }}
      />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          name="password"
          label="New password"
          type="password"
          value={password}
          onChange={setPassword}
          errors={form.errors}
          required
          autoComplete="new-password"
          hint="At least 12 characters. Avoid common passwords and your name or email."
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
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Set password'}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}
