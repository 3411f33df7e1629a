import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

export function ChangePasswordSection() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const found: FieldErrors = {};
    if (!currentPassword) found.currentPassword = 'Enter your current password';
    if (newPassword.length < 12) found.newPassword = 'Use at least 12 characters';
    if (newPassword !== confirm) found.confirmNewPassword = 'The passwords do not match';
    if (!form.check(found)) return;
    setBusy(true);
    try {
      await api.changePassword(currentPassword, newPassword);
      setDone(true);
      setCurrent('');
      setNew('');
      setConfirm('');
    } catch (err) {
      form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      {done ? <Alert kind="success">Your password has been changed.</Alert> : null}
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{
          currentPassword: 'Current password',
          newPassword: 'New password',
          confirmNewPassword: 'Confirm new password',
        }}
      />
      <form onSubmit={(e) => void submit(e)} noValidate className="narrow-form">
        <TextField
          name="currentPassword"
          label="Current password"
          type="password"
          value={currentPassword}
          onChange={setCurrent}
          errors={form.errors}
          required
          autoComplete="current-password"
        />
        <TextField
          name="newPassword"
          label="New password"
          type="password"
          value={newPassword}
          onChange={setNew}
          errors={form.errors}
          required
          autoComplete="new-password"
          hint="At least 12 characters."
        />
        <TextField
          name="confirmNewPassword"
          label="Confirm new password"
          type="password"
          value={confirm}
          onChange={setConfirm}
          errors={form.errors}
          required
          autoComplete="new-password"
        />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
