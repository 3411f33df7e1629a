import { useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { ClientFields } from '../../components/ClientFields.js';
import {
  checkClientValues,
  clientErrorLabels,
  demographicsFromValues,
  emptyClientValues,
} from '../../components/clientFormValues.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField } from '../../components/fields.js';
import { setFlash } from '../../components/flash.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useStaff } from '../../components/useStaff.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';

/** Creates a client; a clinician creating one becomes the primary clinician. */
export function NewClientScreen() {
  const { me } = useSession();
  const [values, setValues] = useState(emptyClientValues);
  const [primary, setPrimary] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const isClinician = hasRole(me, 'clinician', 'supervisor');
  const { clinicians } = useStaff();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(checkClientValues(values))) return;
    setBusy(true);
    try {
      const created = await api.createClient({
        ...demographicsFromValues(values),
        ...(primary ? { primaryClinicianId: primary } : {}),
      });
      setFlash(`Client created with code ${created.clientCode}.`);
      navigate(`/clients/${created.id}`);
    } catch (err) {
      form.fromError(err);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="New client" />
      <p>
        <Link to="/clients">Back to clients</Link>
      </p>
      <ErrorSummary message={form.message} errors={form.errors} labels={clientErrorLabels(form.errors)} />
      <form onSubmit={(e) => void submit(e)} noValidate className="record-form">
        <ClientFields values={values} onChange={setValues} errors={form.errors} />
        <fieldset>
          <legend>Care team</legend>
          <SelectField
            name="primaryClinicianId"
            label="Primary clinician"
            value={primary}
            onChange={setPrimary}
            options={[
              { value: '', label: isClinician ? 'Me' : 'No primary clinician yet' },
              ...clinicians
                .filter((c) => c.id !== me.user.id)
                .map((c) => ({ value: c.id, label: c.fullName })),
            ]}
            errors={form.errors}
            hint="The primary clinician and the care team can open this record."
          />
        </fieldset>
        <div className="button-row sticky-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create client'}
          </button>
          <Link to="/clients" className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
