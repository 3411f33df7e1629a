import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/casebookApi.js';
import { toApiError } from '../api/http.js';
import type { MfaEnrolment as Enrolment } from '../api/types.js';
import { Alert } from './Alert.js';
import { ErrorSummary } from './ErrorSummary.js';
import { CheckboxField, TextField } from './fields.js';
import { useFormErrors } from './formErrors.js';

function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * TOTP enrolment in three steps: scan the QR code (or type the key), confirm with a first
 * code, then save the 10 recovery codes, which are shown only this once.
 */
export function MfaEnrolment({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const form = useFormErrors();
  const started = useRef(false);
  const codesHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api
      .startMfaEnrolment()
      .then(setEnrolment)
      .catch((err: unknown) => setLoadError(toApiError(err).detail));
  }, []);

  useEffect(() => {
    if (codes) codesHeading.current?.focus();
  }, [codes]);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    const cleaned = code.replace(/\s/g, '');
    if (!form.check(/^\d{6}$/.test(cleaned) ? {} : { code: 'Enter the 6-digit code from your app' })) return;
    setBusy(true);
    try {
      const r = await api.confirmMfaEnrolment(cleaned);
      setCodes(r.recoveryCodes);
    } catch (err) {
      form.fromError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Alert kind="error">{loadError}</Alert>;
  if (!enrolment) return <p role="status">Preparing your key…</p>;

  if (codes) {
    return (
      <section className="mfa-codes" aria-labelledby="recovery-title">
        <Alert kind="success">Two-step sign-in is on.</Alert>
        <h2 id="recovery-title" tabIndex={-1} ref={codesHeading}>
          Save your recovery codes
        </h2>
        <p>
          If you lose your phone, each of these codes lets you sign in once. Store them somewhere safe, such
          as a password manager or a printed copy kept locked away.{' '}
          <strong>They will not be shown again.</strong>
        </p>
        <ol className="recovery-codes" aria-label="Recovery codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="button-row">
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              void navigator.clipboard
                ?.writeText(codes.join('\n'))
                .then(() => setCopied(true))
                .catch(() => setCopied(false));
            }}
          >
            Copy codes
          </button>
          <span role="status">{copied ? 'Copied to the clipboard.' : ''}</span>
        </div>
        <CheckboxField
          name="savedCodes"
          label="I have saved my recovery codes somewhere safe"
          checked={saved}
          onChange={setSaved}
        />
        <div className="button-row">
          <button type="button" className="button primary" disabled={!saved} onClick={onDone}>
            Continue
          </button>
        </div>
      </section>
    );
  }

  return (
    <div className="mfa-enrol">
      <ErrorSummary message={form.message} errors={form.errors} labels={{ code: 'Code from the app' }} />
      <ol className="steps">
        <li>
          <h2>Scan this code with your authenticator app</h2>
          <p>Use an app such as 1Password, Google Authenticator, Microsoft Authenticator or Aegis.</p>
          <div className="qr-row">
            <img
              src={enrolment.qrCodeDataUrl}
              width={220}
              height={220}
              alt="QR code for adding Casebook to an authenticator app"
            />
            <div>
              <p id="mfa-secret-label">Can&rsquo;t scan it? Enter this key in the app instead:</p>
              <p>
                <code className="secret" data-testid="mfa-secret" aria-labelledby="mfa-secret-label">
                  {groupSecret(enrolment.secret)}
                </code>
              </p>
              <p className="hint">Type: time-based (TOTP), 6 digits, every 30 seconds.</p>
            </div>
          </div>
        </li>
        <li>
          <h2>Enter the code the app shows</h2>
          <form onSubmit={(e) => void confirm(e)} noValidate>
            <TextField
              name="code"
              label="Code from the app"
              value={code}
              onChange={setCode}
              errors={form.errors}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              className="narrow"
            />
            <div className="button-row">
              <button type="submit" className="button primary" disabled={busy}>
                {busy ? 'Checking…' : 'Turn on two-step sign-in'}
              </button>
              {onCancel ? (
                <button type="button" className="button secondary" onClick={onCancel}>
                  Cancel
                </button>
              ) : null}
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
