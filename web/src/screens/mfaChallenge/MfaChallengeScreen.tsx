import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { AuthLayout } from '../../components/AuthLayout.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

/** Second step of sign-in: a code from the authenticator app, or one of the recovery codes. */
export function MfaChallengeScreen({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const cleaned = code.replace(/[\s-]/g, '');
    if (
      !form.check(cleaned ? {} : { code: useRecovery ? 'Enter a recovery code' : 'Enter the 6-digit code' })
    )
      return;
    setBusy(true);
    try {
      await api.mfaChallenge(cleaned);
      onDone();
    } catch (err) {
      const e2 = form.fromError(err);
      if (e2.status === 401) form.check({ code: e2.detail });
      setCode('');
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Two-step sign-in">
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{ code: useRecovery ? 'Recovery code' : 'Authentication code' }}
      />
      <form onSubmit={(e) => void submit(e)} noValidate>
        {useRecovery ? (
          <TextField
            key="recovery"
            name="code"
            label="Recovery code"
            value={code}
            onChange={setCode}
            errors={form.errors}
            required
            autoComplete="off"
            spellCheck={false}
            hint="One of the 10 codes you saved when you set up two-step sign-in. Each works once."
          />
        ) : (
          <TextField
            key="totp"
            name="code"
            label="Authentication code"
            value={code}
            onChange={setCode}
            errors={form.errors}
            required
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            hint="Open your authenticator app and enter the 6-digit code for Casebook."
          />
        )}
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
          <button
            type="button"
            className="button link"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode('');
              form.clear();
            }}
          >
            {useRecovery ? 'Use a code from the app instead' : 'Use a recovery code instead'}
          </button>
        </div>
      </form>
      <p>
        <button type="button" className="button link" onClick={onCancel}>
          Cancel and sign out
        </button>
      </p>
    </AuthLayout>
  );
}
