import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { useStaff } from '../../components/useStaff.js';

/** Primary clinician and other members; every change is audited by the server. */
export function CareTeamSection({
  record,
  onChange,
}: {
  record: ClientRecord;
  onChange: (r: ClientRecord) => void;
}) {
  const [editing, setEditing] = useState(false);
  return (
    <section className="panel" aria-labelledby="team-title">
      <div className="panel-header">
        <h2 id="team-title">Care team</h2>
        {record.access.canManageCareTeam && !editing ? (
          <button type="button" className="button secondary small" onClick={() => setEditing(true)}>
            Change care team
          </button>
        ) : null}
      </div>
      {editing ? (
        <CareTeamForm
          record={record}
          onCancel={() => setEditing(false)}
          onSaved={(r) => {
            onChange(r);
            setEditing(false);
          }}
        />
      ) : record.careTeam.length === 0 ? (
        <p className="muted">No one is on the care team yet.</p>
      ) : (
        <ul className="plain team-list">
          {record.careTeam.map((m) => (
            <li key={m.userId}>
              {m.fullName}
              {m.credentials ? <span className="muted">, {m.credentials}</span> : null}
              {m.isPrimary ? <span className="badge badge-primary">Primary</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CareTeamForm({
  record,
  onCancel,
  onSaved,
}: {
  record: ClientRecord;
  onCancel: () => void;
  onSaved: (r: ClientRecord) => void;
}) {
  const { clinicians, loaded } = useStaff();
  const [primary, setPrimary] = useState(record.primaryClinicianId ?? '');
  const [members, setMembers] = useState<string[]>(
    record.careTeam.filter((m) => !m.isPrimary).map((m) => m.userId),
  );
  const [busy, setBusy] = useState(false);
  const [stale, setStale] = useState(false);
  const form = useFormErrors();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(primary ? {} : { primaryClinicianId: 'Choose the primary clinician' })) return;
    setBusy(true);
    try {
      onSaved(
        await api.setCareTeam(
          record.id,
          record.version,
          primary,
          members.filter((m) => m !== primary),
        ),
      );
    } catch (err) {
      if (toApiError(err).isStale) setStale(true);
      else form.fromError(err);
      setBusy(false);
    }
  };

  if (!loaded) return <p role="status">Loading staff…</p>;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      {stale ? (
        <Alert kind="error" title="Someone else changed this record">
          The care team was not changed. Reload the page to see the current record, then try again.
        </Alert>
      ) : null}
      <ErrorSummary
        message={form.message}
        errors={form.errors}
        labels={{ primaryClinicianId: 'Primary clinician', memberIds: 'Other members' }}
      />
      <SelectField
        name="primaryClinicianId"
        label="Primary clinician"
        hint="Changing the primary clinician records a hand-over for them to read. To write them a note, use Hand over instead."
        value={primary}
        onChange={setPrimary}
        options={[
          { value: '', label: 'Choose…' },
          ...clinicians.map((c) => ({ value: c.id, label: c.fullName })),
        ]}
        errors={form.errors}
        required
      />
      <fieldset className="checkbox-group">
        <legend>Other members</legend>
        {clinicians
          .filter((c) => c.id !== primary)
          .map((c) => (
            <div className="field checkbox" key={c.id}>
              <input
                type="checkbox"
                id={`member-${c.id}`}
                checked={members.includes(c.id)}
                onChange={(e) =>
                  setMembers(e.target.checked ? [...members, c.id] : members.filter((m) => m !== c.id))
                }
              />
              <label htmlFor={`member-${c.id}`}>
                {c.fullName}
                {c.credentials ? `, ${c.credentials}` : ''}
              </label>
            </div>
          ))}
      </fieldset>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy || stale}>
          {busy ? 'Saving…' : 'Save care team'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
