import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { setCsrfToken } from '../../api/http.js';
import type { AuthStage } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { AuthLayout } from '../../components/AuthLayout.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

/** Password step of sign-in. The server gives one message for every failure. */
export function LoginScreen({
  notice,
  onSignedIn,
}: {
  notice?: string | undefined;
  onSignedIn: (stage: AuthStage) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!email.trim()) found.email = 'Enter your email address';
    if (!password) found.password = 'Enter your password';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      const r = await api.login(email.trim(), password);
      setCsrfToken(r.csrfToken);
      onSignedIn(r.stage);
    } catch (err) {
      form.fromError(err);
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in">
      {notice ? <Alert kind="info">{notice}</Alert> : null}
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{ email: 'Email', password: 'Password' }}
      />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          name="email"
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          errors={form.errors}
          required
          autoComplete="username"
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          errors={form.errors}
          required
          autoComplete="current-password"
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p className="hint">
        Forgot your password? Ask your practice owner or administrator for a new set-password link.
      </p>
    </AuthLayout>
  );
}
