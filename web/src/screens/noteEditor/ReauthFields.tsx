import type { Reauth } from '../../api/notesApi.js';

export type ReauthMethod = 'password' | 'code';

export interface ReauthValue {
  method: ReauthMethod;
  secret: string;
}

export function reauthOf(v: ReauthValue): Reauth {
  return v.method === 'password' ? { password: v.secret } : { code: v.secret.replace(/\s/g, '') };
}

/** Password, or (for a user with two-step sign-in) a code from the authenticator app. */
export function ReauthFields({
  idPrefix,
  value,
  onChange,
  error,
  mfaEnabled,
}: {
  idPrefix: string;
  value: ReauthValue;
  onChange: (v: ReauthValue) => void;
  error: string | null;
  mfaEnabled: boolean;
}) {
  const inputId = `${idPrefix}-secret`;
  const errorId = `${idPrefix}-error`;
  return (
    <>
      {mfaEnabled ? (
        <fieldset className="reauth-method">
          <legend>Confirm who you are with</legend>
          <label className="choice">
            <input
              type="radio"
              name={`${idPrefix}-method`}
              checked={value.method === 'password'}
              onChange={() => onChange({ method: 'password', secret: '' })}
            />
            Your password
          </label>
          <label className="choice">
            <input
              type="radio"
              name={`${idPrefix}-method`}
              checked={value.method === 'code'}
              onChange={() => onChange({ method: 'code', secret: '' })}
            />
            A code from your authenticator app
          </label>
        </fieldset>
      ) : null}
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={inputId}>
          {value.method === 'password' ? 'Your password' : 'Authentication code'}
        </label>
        {error ? (
          <p className="field-error" id={errorId} role="alert">
            <span className="visually-hidden">Error: </span>
            {error}
          </p>
        ) : null}
        <input
          id={inputId}
          type={value.method === 'password' ? 'password' : 'text'}
          autoComplete={value.method === 'password' ? 'current-password' : 'one-time-code'}
          inputMode={value.method === 'code' ? 'numeric' : undefined}
          value={value.secret}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => onChange({ ...value, secret: e.target.value })}
        />
      </div>
    </>
  );
}
