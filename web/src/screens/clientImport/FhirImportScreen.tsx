import { useState, type ChangeEvent } from 'react';
import { importsApi, type FhirImportPreview } from '../../api/importsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SelectField } from '../../components/fields.js';
import { setFlash } from '../../components/flash.js';
import { useStaff } from '../../components/useStaff.js';
import { Link, navigate } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import './clientImport.css';

const MAX_BYTES = 15 * 1024 * 1024;
const COUNT_LABELS: Record<string, string> = {
  diagnoses: 'Diagnoses',
  notes: 'Notes (read-only, as the other provider signed them)',
  addenda: 'Addenda to those notes',
  plans: 'Signed treatment plans (read-only)',
  measures: 'Outcome measures',
  measuresScored: '…of which re-scored from complete answers',
};

/** One client's record from a FHIR R4 Bundle (another Casebook or another system) into a new client. */
export function FhirImportScreen() {
  const { me } = useSession();
  const manager = hasRole(me, 'owner', 'admin');
  const { clinicians } = useStaff(manager);
  const [bundle, setBundle] = useState<unknown>(null);
  const [primary, setPrimary] = useState('');
  const [preview, setPreview] = useState<FhirImportPreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const fail = (err: unknown) => {
    const e = toApiError(err);
    setMessage(e.detail);
    setErrors(Object.fromEntries(e.fieldErrors.slice(0, 10).map((f) => [f.path, f.message])));
  };

  const runPreview = async (b: unknown, clinicianId: string) => {
    setBusy(true);
    setMessage(null);
    setErrors({});
    setPreview(null);
    try {
      setPreview(await importsApi.previewFhir(b, clinicianId || undefined));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setPreview(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setMessage('The file is larger than 15 MB.');
      return;
    }
    try {
      const parsed: unknown = JSON.parse(await file.text());
      setBundle(parsed);
      await runPreview(parsed, primary);
    } catch {
      setMessage('The file is not JSON. Choose the FHIR bundle (.json) the other system exported.');
    }
  };

  const onImport = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const res = await importsApi.importFhir(bundle, primary || undefined);
      setFlash(
        'The record was imported. Imported notes are read-only; review the diagnoses and write your own plan.',
      );
      navigate(`/clients/${res.clientId}`);
    } catch (err) {
      fail(err);
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Import a client record (FHIR)" />
      <p>
        <Link to="/clients">Back to clients</Link>
        {hasRole(me, 'owner', 'admin', 'scheduler') ? (
          <>
            {' '}
            · <Link to="/clients/import">Import a client list (CSV)</Link>
          </>
        ) : null}
      </p>
      <ErrorSummary message={message} errors={errors} />
      <p>
        Creates a new client from a FHIR R4 Bundle, such as a record another Casebook practice released to
        you. Nothing is saved until you choose Import.
      </p>
      {manager ? (
        <SelectField
          name="primaryClinicianId"
          label="Primary clinician"
          required
          value={primary}
          onChange={(v) => {
            setPrimary(v);
            if (bundle) void runPreview(bundle, v);
          }}
          options={[
            { value: '', label: 'Choose a clinician' },
            ...clinicians.map((c) => ({ value: c.id, label: c.fullName })),
          ]}
          errors={errors}
          hint="The clinician who will treat this client and review the imported record."
        />
      ) : null}
      <div className="field">
        <label htmlFor="f-bundle">FHIR bundle file</label>
        <p className="hint" id="f-bundle-hint">
          A .json file, up to 15 MB.
        </p>
        <input
          id="f-bundle"
          type="file"
          accept=".json,application/json,application/fhir+json"
          aria-describedby="f-bundle-hint"
          onChange={(e) => void onFile(e)}
        />
      </div>
      {preview ? (
        <section aria-labelledby="fhir-preview-h">
          <h2 id="fhir-preview-h">What will be imported</h2>
          <p>
            A new client{' '}
            <strong>
              {preview.client.legalFirstName} {preview.client.legalLastName}
            </strong>
            , born {preview.client.dateOfBirth}, from {preview.sourceSystem}.
          </p>
          <dl className="import-summary">
            {Object.entries(preview.counts).map(([k, n]) => (
              <div key={k}>
                <dt>{COUNT_LABELS[k] ?? k}</dt>
                <dd>{n}</dd>
              </div>
            ))}
          </dl>
          {preview.refused.length > 0 ? (
            <Alert kind="warning" title="Not imported: psychotherapy notes">
              <ul>
                {preview.refused.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {preview.warnings.length > 0 ? (
            <Alert kind="warning" title="Check these">
              <ul>
                {preview.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          {preview.skipped.length > 0 ? (
            <p>
              Skipped (Casebook keeps no such records):{' '}
              {preview.skipped.map((s) => `${s.resourceType} (${s.count})`).join(', ')}.
            </p>
          ) : null}
          <div className="button-row">
            <button type="button" className="button primary" disabled={busy} onClick={() => void onImport()}>
              {busy ? 'Importing…' : 'Import this record'}
            </button>
          </div>
        </section>
      ) : null}
    </>
  );
}
