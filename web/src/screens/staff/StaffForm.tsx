import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import { ROLES, type Role, type SetPasswordLink, type StaffMember } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { roleLabel } from '../../components/AppShell.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { fieldId, SelectField, TextField, type FieldErrors } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';

const ROLE_HINTS: Record<Role, string> = {
  owner: 'Everything an admin can do, plus the audit report.',
  admin: 'Manages staff and practice settings.',
  clinician: 'Sees clients on their care team.',
  supervisor: "Also sees supervisees' clients.",
  biller: 'Billing data, never clinical narrative.',
  scheduler: 'Demographics and the schedule.',
  auditor: 'Audit reports only.',
};

const LABELS = {
  email: 'Email',
  fullName: 'Full name',
  roles: 'Roles',
  credentials: 'Credentials',
  licenseNumber: 'License number',
  supervisorId: 'Supervisor',
};

export function StaffForm({
  user,
  staff,
  canMakeOwner,
  onCancel,
  onCreated,
  onSaved,
}: {
  user: StaffMember | null;
  staff: StaffMember[];
  canMakeOwner: boolean;
  onCancel: () => void;
  onCreated: (u: StaffMember, link: SetPasswordLink) => void;
  onSaved: (u: StaffMember) => void;
}) {
  const [email, setEmail] = useState(user?.email ?? '');
  const [fullName, setFullName] = useState(user?.fullName ?? '');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? ['clinician']);
  const [credentials, setCredentials] = useState(user?.credentials ?? '');
  const [licenseNumber, setLicenseNumber] = useState(user?.licenseNumber ?? '');
  const [supervisorId, setSupervisorId] = useState(user?.supervisorId ?? '');
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);
  const form = useFormErrors();
  const supervisors = staff.filter((s) => s.active && s.roles.includes('supervisor') && s.id !== user?.id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!user && !email.trim()) found.email = 'Enter an email address';
    if (!fullName.trim()) found.fullName = 'Enter a name';
    if (roles.length === 0) found.roles = 'Choose at least one role';
    if (!form.check(found)) return;
    setBusy(true);
    const common = {
      fullName: fullName.trim(),
      roles,
      credentials: credentials.trim() || null,
      licenseNumber: licenseNumber.trim() || null,
      supervisorId: supervisorId || null,
    };
    try {
      if (user) onSaved(await api.updateStaff(user.id, user.version, common));
      else {
        const r = await api.createStaff({ email: email.trim(), ...common });
        onCreated(r.user, r.setPasswordLink);
      }
    } catch (err) {
      if (toApiError(err).isStale) setStale(true);
      else form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="narrow-form">
      {stale ? (
        <Alert kind="error" title="Someone else changed this user">
          Your changes were not saved. Go back to the staff list to see the current details, then try again.
        </Alert>
      ) : null}
      <ErrorSummary message={form.message} errors={form.errors} labels={LABELS} />
      {user ? (
        <p>
          Email: <strong>{user.email}</strong>
        </p>
      ) : (
        <TextField
          name="email"
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          errors={form.errors}
          required
          autoComplete="off"
        />
      )}
      <TextField
        name="fullName"
        label="Full name"
        value={fullName}
        onChange={setFullName}
        errors={form.errors}
        required
        autoComplete="off"
      />
      <fieldset
        className={`checkbox-group${form.errors.roles ? ' has-error' : ''}`}
        aria-describedby={form.errors.roles ? `${fieldId('roles')}-error` : undefined}
      >
        <legend>Roles</legend>
        {form.errors.roles ? (
          <p className="field-error" id={`${fieldId('roles')}-error`}>
            {form.errors.roles}
          </p>
        ) : null}
        {ROLES.filter((r) => r !== 'owner' || canMakeOwner).map((r, i) => (
          <div className="field checkbox" key={r}>
            <input
              type="checkbox"
              id={i === 0 ? fieldId('roles') : `role-${r}`}
              checked={roles.includes(r)}
              onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
              aria-describedby={`role-${r}-hint`}
            />
            <label htmlFor={i === 0 ? fieldId('roles') : `role-${r}`}>{roleLabel(r)}</label>
            <p className="hint" id={`role-${r}-hint`}>
              {ROLE_HINTS[r]}
            </p>
          </div>
        ))}
      </fieldset>
      <div className="field-row">
        <TextField
          name="credentials"
          label="Credentials"
          value={credentials}
          onChange={setCredentials}
          errors={form.errors}
          hint="For example LCSW, LPC, PhD."
          autoComplete="off"
        />
        <TextField
          name="licenseNumber"
          label="License number"
          value={licenseNumber}
          onChange={setLicenseNumber}
          errors={form.errors}
          autoComplete="off"
        />
      </div>
      <SelectField
        name="supervisorId"
        label="Supervisor"
        value={supervisorId}
        onChange={setSupervisorId}
        options={[
          { value: '', label: 'No supervisor' },
          ...supervisors.map((s) => ({ value: s.id, label: s.fullName })),
        ]}
        errors={form.errors}
        hint="For a clinician under supervision. Only users with the supervisor role are listed."
      />
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy || stale}>
          {busy ? 'Saving…' : user ? 'Save changes' : 'Add user and create link'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
