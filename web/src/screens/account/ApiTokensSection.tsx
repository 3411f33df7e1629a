import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ApiToken } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField, TextField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { useSession } from '../../session.js';

/** Personal API tokens for scripts: the secret is shown once; revoking is immediate. */
export function ApiTokensSection() {
  const { me } = useSession();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiToken['scope']>('read');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const tz = me.practice.timeZone;

  const load = useCallback(async () => {
    try {
      setTokens((await api.tokens()).items);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(name.trim() ? {} : { name: 'Name the token' })) return;
    setBusy(true);
    try {
      const r = await api.createToken(name.trim(), scope);
      setSecret({ name: r.token.name, secret: r.secret });
      setName('');
      await load();
    } catch (err) {
      form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: ApiToken) => {
    try {
      await api.revokeToken(t.id);
      await load();
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  const live = tokens?.filter((t) => !t.revokedAt) ?? [];
  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal API tokens</h2>
      <p>
        For scripts that use the Casebook API as you. A token can do what you can do (read-only tokens cannot
        change anything). Revoke tokens you no longer use.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {secret ? (
        <div className="alert alert-success one-time" role="status">
          <p className="alert-title">Token &ldquo;{secret.name}&rdquo; created</p>
          <p>
            Copy it now and keep it secret. <strong>It will not be shown again.</strong>
          </p>
          <label htmlFor="token-secret">Token</label>
          <input
            id="token-secret"
            className="link-box"
            readOnly
            value={secret.secret}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" className="button link" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      ) : null}
      {live.length ? (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label="Your API tokens (scrolls sideways on narrow screens)"
        >
          <table className="data-table compact">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {live.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.name} <code className="muted">{t.prefix}…</code>
                  </th>
                  <td>{t.scope === 'read' ? 'Read only' : 'Read and write'}</td>
                  <td>{formatDateTime(t.createdAt, tz)}</td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt, tz) : 'Never'}</td>
                  <td>
                    <button
                      type="button"
                      className="button link danger"
                      onClick={() => void revoke(t)}
                      aria-label={`Revoke token ${t.name}`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : tokens ? (
        <p className="muted">You have no active tokens.</p>
      ) : null}
      <h3>Create a token</h3>
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{ name: 'Token name', scope: 'Scope' }}
      />
      <form onSubmit={(e) => void create(e)} noValidate className="inline-form">
        <TextField
          name="name"
          label="Token name"
          value={name}
          onChange={setName}
          errors={form.errors}
          required
          autoComplete="off"
          hint="What the token is for, e.g. “monthly export script”."
        />
        <SelectField<ApiToken['scope']>
          name="scope"
          label="Scope"
          value={scope}
          onChange={setScope}
          options={[
            { value: 'read', label: 'Read only' },
            { value: 'read-write', label: 'Read and write' },
          ]}
          errors={form.errors}
          required
        />
        <div className="button-row">
          <button type="submit" className="button secondary" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
    </section>
  );
}
