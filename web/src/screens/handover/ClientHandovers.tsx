import { useEffect, useState } from 'react';
import { handoversApi, type HandoverMeta } from '../../api/handoversApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientRecord } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { HandoverDialog } from './HandoverDialog.js';
import './handover.css';

/** The "Hand over" button of the client profile, for whoever may change the care team. */
export function HandoverAction({
  record,
  onDone,
  onStale,
}: {
  record: ClientRecord;
  onDone: (h: HandoverMeta) => void;
  onStale: () => void;
}) {
  const [open, setOpen] = useState(false);
  if (!record.access.canManageCareTeam) return null;
  return (
    <>
      <button type="button" className="button secondary" onClick={() => setOpen(true)}>
        Hand over
      </button>
      {open ? (
        <HandoverDialog
          record={record}
          onClose={() => setOpen(false)}
          onDone={(h) => {
            setOpen(false);
            onDone(h);
          }}
          onStale={() => {
            setOpen(false);
            onStale();
          }}
        />
      ) : null}
    </>
  );
}

// The banner and the history panel sit in different places on the profile but read one list:
// the two calls made while the page mounts share one request (one audited read).
let shared: { key: string; at: number; promise: Promise<HandoverMeta[]> } | null = null;
function loadOnce(clientId: string, version: number): Promise<HandoverMeta[]> {
  const key = `${clientId}:${version}`;
  if (!shared || shared.key !== key || Date.now() - shared.at > 2000)
    shared = { key, at: Date.now(), promise: handoversApi.ofClient(clientId).then((r) => r.items) };
  return shared.promise;
}

function useClientHandovers(clientId: string, version: number) {
  const [items, setItems] = useState<HandoverMeta[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadOnce(clientId, version)
      .then((r) => live && setItems(r))
      .catch((err: unknown) => live && setError(toApiError(err).detail));
    return () => {
      live = false;
    };
  }, [clientId, version]);
  return { items, error };
}

/** On the client profile, while a hand-over of this client waits for the signed-in clinician to read it. */
export function HandoverBanner({ clientId, version }: { clientId: string; version: number }) {
  const { me } = useSession();
  const { items } = useClientHandovers(clientId, version);
  const mine = items?.find((h) => h.to.id === me.user.id && !h.acknowledgedAt && !h.superseded);
  if (!mine) return null;
  return (
    <div className="alert alert-warning handover-banner" role="status">
      <p className="alert-title">Hand-over to read</p>
      <p>
        {mine.from ? `${mine.from.name} handed this client over to you` : 'This client was handed to you'} on{' '}
        {formatDateTime(mine.createdAt, me.practice.timeZone)}. Read the summary and confirm that you have
        read it.
      </p>
      <Link to={`/handovers/${mine.id}`} className="button primary small">
        Read the hand-over
      </Link>
    </div>
  );
}

/** The client's hand-overs, newest first: who handed over to whom, when, and whether it was read. */
export function HandoverHistory({ clientId, version }: { clientId: string; version: number }) {
  const { me } = useSession();
  const { items, error } = useClientHandovers(clientId, version);
  if (error) return <Alert kind="error">{error}</Alert>;
  if (!items || items.length === 0) return null;
  const tz = me.practice.timeZone;
  return (
    <section className="panel handover-history" aria-labelledby="handover-history-title">
      <h2 id="handover-history-title">Hand-overs</h2>
      <ul className="plain handover-history-list">
        {items.map((h) => (
          <li key={h.id}>
            <Link to={`/handovers/${h.id}`}>{formatDateTime(h.createdAt, tz)}</Link>
            <span className="block">
              {h.from?.name ?? 'No primary clinician'} → {h.to.name}
            </span>
            <span className="block muted">
              {h.acknowledgedAt
                ? `Read ${formatDateTime(h.acknowledgedAt, tz)}`
                : h.superseded
                  ? 'Replaced by a later hand-over'
                  : 'Not yet read'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
