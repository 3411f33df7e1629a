import { useEffect, useState } from 'react';
import { documentationApi, type ToCosignItem } from '../../api/documentationApi.js';
import { toApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useSession } from '../../session.js';
import { CosignTable } from './CosignTable.js';

/** The supervisor's queue: supervisees' signed notes waiting for review and co-signature. */
export function CosignQueueScreen() {
  const { me } = useSession();
  const [items, setItems] = useState<ToCosignItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    documentationApi
      .cosignQueue()
      .then((r) => live && setItems(r.items))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <PageHeader title="Co-sign queue" />
      <p>
        Notes your supervisees have signed wait here for your review. Open a note to co-sign it, or return it
        with comments for revision.
      </p>
      {error ? (
        <Alert kind="error">{error}</Alert>
      ) : !items ? (
        <p role="status">Loading the queue…</p>
      ) : items.length === 0 ? (
        <p role="status" className="cosign-empty">
          No notes wait for your co-signature.
        </p>
      ) : (
        <>
          <p role="status" className="result-count">
            {items.length === 1 ? '1 note waits' : `${items.length} notes wait`} for your co-signature.
          </p>
          <CosignTable items={items} timeZone={me.practice.timeZone} caption="Notes to co-sign" />
        </>
      )}
    </>
  );
}
