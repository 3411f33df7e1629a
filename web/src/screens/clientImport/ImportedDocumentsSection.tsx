import { useState } from 'react';
import './clientImport.css';
import { importedDocumentsApi, type ImportedDocument } from '../../api/importsApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { useSession } from '../../session.js';

const KIND: Record<ImportedDocument['kind'], string> = {
  note: 'Note',
  addendum: 'Addendum',
  plan: 'Treatment plan',
};

/** Another provider's notes and plans, read-only as they signed them; opened on request (each view is audited). */
export function ImportedDocumentsSection({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [docs, setDocs] = useState<ImportedDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setDocs((await importedDocumentsApi.list(clientId)).items);
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="imported-docs-title">
      <h2 id="imported-docs-title">Imported records</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {docs === null ? (
        <button type="button" className="button secondary" disabled={busy} onClick={() => void load()}>
          {busy ? 'Opening…' : 'Show imported records'}
        </button>
      ) : docs.length === 0 ? (
        <p>Nothing was imported for this client.</p>
      ) : (
        <ul className="imported-docs">
          {docs.map((d) => (
            <li key={d.id}>
              <details>
                <summary>
                  {KIND[d.kind]}: {d.title}
                  {d.serviceDate ? `, ${formatDate(d.serviceDate)}` : ''} — Imported from {d.source}
                </summary>
                <p className="hint">
                  {d.signerName ? `Signed by ${d.signerName}` : 'Unsigned'}
                  {d.signedAt ? ` on ${formatDateTime(d.signedAt, me.practice.timeZone)}` : ''}
                  {d.authorName && d.authorName !== d.signerName ? `; written by ${d.authorName}` : ''}.
                  Read-only: it cannot be edited or signed here.
                </p>
                <pre className="imported-doc-text">{d.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
