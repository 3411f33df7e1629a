import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { ClientFields } from '../../components/ClientFields.js';
import {
  changedDemographics,
  checkClientValues,
  clientErrorLabels,
  clientFieldLabel,
  demographicsFromValues,
  valuesFromRecord,
  type ClientFormValues,
} from '../../components/clientFormValues.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { setFlash } from '../../components/flash.js';
import { useFormErrors } from '../../components/formErrors.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link, navigate } from '../../router.js';

interface Conflict {
  current: ClientRecord;
  theirChanges: string[];
  yourChanges: string[];
}

function isClientRecord(v: unknown): v is ClientRecord {
  return typeof v === 'object' && v !== null && 'version' in v && 'legalFirstName' in v && 'contacts' in v;
}

/** Edits demographics and contacts on the version read; a stale save is refused and explained, never merged. */
export function ClientEditScreen({ clientId }: { clientId: string }) {
  const [record, setRecord] = useState<ClientRecord | null>(null);
  const [values, setValues] = useState<ClientFormValues | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [noChanges, setNoChanges] = useState(false);
  const form = useFormErrors();

  useEffect(() => {
    let live = true;
    api
      .client(clientId)
      .then((r) => {
        if (!live) return;
        setRecord(r);
        setValues(valuesFromRecord(r));
      })
      .catch((err: unknown) => live && setLoadError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId]);

  if (loadError) {
    return (
      <>
        <PageHeader title="Edit client" />
        <Alert kind="error">{loadError}</Alert>
        <Link to="/clients">Back to clients</Link>
      </>
    );
  }
  if (!record || !values) return <p role="status">Loading record…</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNoChanges(false);
    setReloaded(false);
    if (!form.check(checkClientValues(values))) return;
    const patch = changedDemographics(
      demographicsFromValues(valuesFromRecord(record)),
      demographicsFromValues(values),
    );
    if (Object.keys(patch).length === 0) {
      setNoChanges(true);
      return;
    }
    setBusy(true);
    try {
      await api.updateClient(record.id, record.version, patch);
      setFlash('Changes saved.');
      navigate(`/clients/${record.id}`);
    } catch (err) {
      const apiErr = toApiError(err);
      const current = apiErr.problem.current;
      if (apiErr.isStale && isClientRecord(current)) {
        form.clear();
        const theirs = Object.keys(
          changedDemographics(
            demographicsFromValues(valuesFromRecord(record)),
            demographicsFromValues(valuesFromRecord(current)),
          ),
        );
        setConflict({
          current,
          theirChanges: theirs.map(clientFieldLabel),
          yourChanges: Object.keys(patch).map(clientFieldLabel),
        });
      } else {
        form.fromError(err);
      }
      setBusy(false);
    }
  };

  const loadTheirVersion = () => {
    if (!conflict) return;
    setRecord(conflict.current);
    setValues(valuesFromRecord(conflict.current));
    setConflict(null);
    setReloaded(true);
  };

  const name = `${record.preferredName ?? record.legalFirstName} ${record.legalLastName}`;
  return (
    <>
      <PageHeader title={`Edit ${name}`} />
      <p>
        <Link to={`/clients/${record.id}`}>Back to the record</Link> · Client code{' '}
        <code>{record.clientCode}</code>
      </p>
      {conflict ? (
        <div className="alert alert-error conflict" role="alert" aria-labelledby="conflict-title">
          <h2 id="conflict-title">Someone else changed this record</h2>
          <p>
            This client&rsquo;s details were changed by someone else after you opened this form.{' '}
            <strong>Your changes have not been saved</strong>, and nothing was overwritten.
          </p>
          {conflict.theirChanges.length ? <p>They changed: {conflict.theirChanges.join(', ')}.</p> : null}
          <p>You changed: {conflict.yourChanges.join(', ')}.</p>
          <p>Load their version, check it, then make your change again.</p>
          <div className="button-row">
            <button type="button" className="button primary" onClick={loadTheirVersion}>
              Load their version
            </button>
          </div>
        </div>
      ) : null}
      {reloaded ? (
        <Alert kind="info">Showing the current version of the record. Make your change again and save.</Alert>
      ) : null}
      {noChanges ? <Alert kind="info">You have not changed anything yet.</Alert> : null}
      <ErrorSummary message={form.message} errors={form.errors} labels={clientErrorLabels(form.errors)} />
      <form onSubmit={(e) => void submit(e)} noValidate className="record-form">
        <ClientFields values={values} onChange={setValues} errors={form.errors} />
        <div className="button-row sticky-actions">
          <button type="submit" className="button primary" disabled={busy || conflict !== null}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <Link to={`/clients/${record.id}`} className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
