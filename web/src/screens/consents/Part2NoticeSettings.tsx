import { useEffect, useState, type FormEvent } from 'react';
import { consentsApi, type Part2Notice } from '../../api/consentsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextArea } from '../../components/fields.js';

/** The 42 CFR Part 2 redisclosure notice printed on every release of Part 2 records (owner/admin). */
export function Part2NoticeSettings({ canManage, onSaved }: { canManage: boolean; onSaved: () => void }) {
  const [setting, setSetting] = useState<Part2Notice | null>(null);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const adopt = (s: Part2Notice) => {
    setSetting(s);
    setText(s.notice);
  };
  useEffect(() => {
    consentsApi
      .part2Notice()
      .then(adopt)
      .catch((err: unknown) => setMessage(toApiError(err).detail));
  }, []);

  const save = async (notice: string | null) => {
    if (!setting) return;
    setBusy(true);
    setSaved(null);
    setMessage(null);
    try {
      const next = await consentsApi.setPart2Notice(setting.version, notice);
      adopt(next);
      setErrors({});
      setSaved(next.isDefault ? 'The default notice is in use.' : 'Notice saved.');
      onSaved();
    } catch (err) {
      const ae = toApiError(err);
      setErrors(
        Object.fromEntries(
          ae.fieldErrors.map((f) => [f.path === 'notice' ? 'part2Notice' : f.path, f.message]),
        ),
      );
      setMessage(ae.fieldErrors.length ? null : ae.detail);
      if (ae.isStale) void consentsApi.part2Notice().then(adopt);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim().length < 20) {
      setErrors({ part2Notice: 'The notice is too short' });
      return;
    }
    void save(text);
  };

  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-labelledby="part2-notice-title">
      <h2 id="part2-notice-title">42 CFR Part 2 redisclosure notice</h2>
      <ErrorSummary message={message} errors={errors} labels={{ part2Notice: 'Redisclosure notice' }} />
      {saved ? <Alert kind="success">{saved}</Alert> : null}
      {!setting ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <TextArea
            name="part2Notice"
            label="Notice printed on every release of Part 2 records"
            rows={6}
            required
            value={text}
            errors={errors}
            onChange={setText}
            hint={
              setting.isDefault
                ? 'Casebook’s default text is in use. Have counsel confirm the wording your program must use.'
                : 'Your practice’s own text is in use.'
            }
          />
          {canManage ? (
            <div className="button-row">
              <button type="submit" className="button primary" disabled={busy}>
                Save notice
              </button>
              {!setting.isDefault ? (
                <button
                  type="button"
                  className="button secondary"
                  disabled={busy}
                  onClick={() => void save(null)}
                >
                  Use the default notice
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      )}
    </form>
  );
}
