import { useState, type ChangeEvent } from 'react';
import { importsApi, type ClientImportPreview, type ClientImportResult } from '../../api/importsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { PageHeader } from '../../components/PageHeader.js';
import { fieldId } from '../../components/fields.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { ImportPreviewTable } from './ImportPreviewTable.js';

const MAX_BYTES = 1_000_000;

/** Client list from a CSV: choose the file, check the column mapping, fix problems, import all rows at once. */
export function ClientImportScreen() {
  const { me } = useSession();
  if (!hasRole(me, 'owner', 'admin', 'scheduler'))
    return (
      <>
        <PageHeader title="Import clients" />
        <p>
          Client lists are imported by owners, admins and the front desk. You can{' '}
          <Link to="/clients/import/fhir">import one client’s record from another system (FHIR)</Link>.
        </p>
      </>
    );
  return <CsvImport />;
}

function CsvImport() {
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<ClientImportPreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ClientImportResult | null>(null);

  const runPreview = async (text: string, mapping?: (string | null)[]) => {
    setBusy(true);
    setMessage(null);
    try {
      setPreview(await importsApi.previewClients(text, mapping));
    } catch (err) {
      setPreview(null);
      setMessage(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setResult(null);
    setPreview(null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setMessage('The file is larger than 1 MB. Split it into smaller files.');
      return;
    }
    const text = await file.text();
    setCsv(text);
    await runPreview(text);
  };

  const onMapping = (column: number, field: string) => {
    if (!csv || !preview) return;
    const mapping = preview.mapping.map((m, i) => (i === column ? field || null : m));
    void runPreview(csv, mapping);
  };

  const onImport = async () => {
    if (!csv || !preview) return;
    setBusy(true);
    setMessage(null);
    try {
      const res = await importsApi.importClients(csv, preview.mapping);
      setResult(res);
      setPreview(null);
      setCsv(null);
    } catch (err) {
      const e = toApiError(err);
      setMessage(e.detail);
      // The server checked the file again and found problems: show them as a fresh preview.
      if (e.status === 422) await runPreview(csv, preview.mapping);
    } finally {
      setBusy(false);
    }
  };

  const mappingErrors = Object.fromEntries(
    (preview?.mappingErrors ?? []).map((m, i) => [`${m.path}#${i}`, m.message]),
  );
  const ready =
    preview && preview.mappingErrors.length === 0 && preview.errorRowCount === 0 && preview.rowCount > 0;

  return (
    <>
      <PageHeader title="Import clients" />
      <p>
        <Link to="/clients">Back to clients</Link> ·{' '}
        <Link to="/clients/import/fhir">Import one client’s record (FHIR)</Link>
      </p>
      <ErrorSummary message={message} errors={{}} />
      {result ? (
        <Alert kind="success" title="Import complete">
          <p>
            Imported {result.created} {result.created === 1 ? 'client' : 'clients'}.{' '}
            <Link to="/clients">Go to the client list</Link>
          </p>
        </Alert>
      ) : null}
      <section aria-labelledby="import-file-h">
        <h2 id="import-file-h">1. Choose the file</h2>
        <div className="field">
          <label htmlFor="f-csv">CSV file</label>
          <p className="hint" id="f-csv-hint">
            A spreadsheet saved as CSV, first row naming the columns, up to 2,000 clients and 1 MB. Nothing is
            saved until you choose Import.
          </p>
          <input
            id="f-csv"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="f-csv-hint"
            onChange={(e) => void onFile(e)}
          />
        </div>
      </section>
      {preview ? (
        <>
          <section aria-labelledby="import-mapping-h">
            <h2 id="import-mapping-h">2. Match the columns</h2>
            <ErrorSummary errors={mappingErrors} message={null} />
            <div
              className="table-wrap"
              tabIndex={0}
              role="region"
              aria-label="Column mapping (scrolls sideways)"
            >
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">Column in the file</th>
                    <th scope="col">First value</th>
                    <th scope="col">Casebook field</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.headers.map((h, i) => (
                    <tr key={i}>
                      <th scope="row">{h || `(column ${i + 1})`}</th>
                      <td>{preview.rows[0] ? firstValue(preview, i) : ''}</td>
                      <td>
                        <label className="visually-hidden" htmlFor={fieldId(`mapping.${i}`)}>
                          Casebook field for column {h || i + 1}
                        </label>
                        <select
                          id={fieldId(`mapping.${i}`)}
                          value={preview.mapping[i] ?? ''}
                          disabled={busy}
                          onChange={(e) => onMapping(i, e.target.value)}
                        >
                          <option value="">Don’t import</option>
                          {preview.fields.map((f) => (
                            <option key={f.key} value={f.key}>
                              {f.label}
                              {f.required ? ' (required)' : ''}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="import-preview-h">
            <h2 id="import-preview-h">3. Check and import</h2>
            {preview.mappingErrors.length > 0 ? null : preview.errorRowCount > 0 ? (
              <Alert
                kind="warning"
                title={`${preview.errorRowCount} ${preview.errorRowCount === 1 ? 'row has' : 'rows have'} errors`}
              >
                <p>Fix them in the file and choose it again. Nothing is imported until every row is clean.</p>
                <ul className="import-error-list">
                  {preview.errors.slice(0, 50).map((e, i) => (
                    <li key={i}>
                      Row {e.row}
                      {e.field
                        ? `, ${preview.fields.find((f) => f.key === e.field)?.label ?? e.field}`
                        : ''}: {e.message}
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : (
              <Alert kind="info">
                All {preview.rowCount} {preview.rowCount === 1 ? 'row is' : 'rows are'} ready to import.
              </Alert>
            )}
            {preview.mappingErrors.length === 0 ? <ImportPreviewTable preview={preview} /> : null}
            <div className="button-row">
              <button
                type="button"
                className="button primary"
                disabled={!ready || busy}
                onClick={() => void onImport()}
              >
                {busy
                  ? 'Working…'
                  : `Import ${preview.rowCount} ${preview.rowCount === 1 ? 'client' : 'clients'}`}
              </button>
            </div>
          </section>
        </>
      ) : null}
    </>
  );
}

function firstValue(preview: ClientImportPreview, column: number): string {
  const field = preview.mapping[column];
  const row = preview.rows[0];
  return field && row ? (row.values[field] ?? '') : '';
}
