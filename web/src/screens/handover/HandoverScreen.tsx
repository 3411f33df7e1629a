import { useEffect, useState } from 'react';
import { handoversApi, type HandoverView } from '../../api/handoversApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { Dialog } from '../../components/Dialog.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { SummarySections } from './SummarySections.js';
import './handover.css';

/**
 * One hand-over: the summary as it was when the client was handed over (a snapshot), the
 * outgoing clinician's note, and for the receiving clinician "I have read this hand-over".
 * Opening it is audited by the server. Prints as a plain document.
 */
export function HandoverScreen({ handoverId }: { handoverId: string }) {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const [h, setH] = useState<HandoverView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [ackError, setAckError] = useState<string | null>(null);
  const [justRead, setJustRead] = useState(false);

  useEffect(() => {
    let live = true;
    handoversApi
      .get(handoverId)
      .then((r) => live && setH(r))
      .catch((err: unknown) => live && setError(toApiError(err)));
    return () => {
      live = false;
    };
  }, [handoverId]);

  if (error)
    return (
      <>
        <PageHeader title="Hand-over" />
        <Alert kind="error">
          {error.status === 404 ? 'There is no hand-over with this address in your practice.' : error.detail}
        </Alert>
      </>
    );
  if (!h) return <p role="status">Loading hand-over…</p>;

  const acknowledge = async () => {
    setBusy(true);
    setAckError(null);
    try {
      const done = await handoversApi.acknowledge(h.id);
      setH({ ...h, acknowledgedAt: done.acknowledgedAt, canAcknowledge: false });
      setJustRead(true);
      setConfirming(false);
    } catch (err) {
      setAckError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="handover-page">
      <PageHeader title={`Hand-over: ${h.client.displayName}`}>
        <Link to={`/clients/${h.clientId}`} className="button secondary">
          View current chart
        </Link>
        <button type="button" className="button secondary" onClick={() => window.print()}>
          Print
        </button>
      </PageHeader>
      <p className="record-meta">
        Code <code>{h.client.code}</code> · {h.from ? `From ${h.from.name}` : 'No previous primary clinician'}{' '}
        to {h.to.name} · handed over {formatDateTime(h.createdAt, tz)} by {h.createdBy.name}
      </p>
      <p className="handover-snapshot-note">
        This summary is the chart as it stood at hand-over time ({formatDateTime(h.summary.takenAt, tz)}); it
        does not change afterwards. Open the current chart for anything since. Psychotherapy notes are never
        part of a hand-over.
      </p>
      {justRead ? (
        <Alert kind="success">Marked as read. The hand-over is in the client&apos;s history.</Alert>
      ) : null}
      {h.superseded && !h.acknowledgedAt ? (
        <Alert kind="info">A later hand-over of this client replaced this one.</Alert>
      ) : null}

      <section className="panel handover-note" aria-labelledby="ho-note">
        <h2 id="ho-note">Note from {h.createdBy.name}</h2>
        {h.note ? (
          <p className="handover-note-text">{h.note}</p>
        ) : (
          <p className="muted">No note was written.</p>
        )}
      </section>

      <SummarySections summary={h.summary} />

      <section className="panel handover-ack" aria-labelledby="ho-ack">
        <h2 id="ho-ack">Read and acknowledged</h2>
        {h.acknowledgedAt ? (
          <p>
            {h.to.name} confirmed reading this hand-over on {formatDateTime(h.acknowledgedAt, tz)}.
          </p>
        ) : h.canAcknowledge ? (
          <>
            <p>When you have read the summary and the note, confirm it. The confirmation is recorded.</p>
            <button type="button" className="button primary" onClick={() => setConfirming(true)}>
              I have read this hand-over
            </button>
          </>
        ) : (
          <p className="muted">Not yet acknowledged. Only {h.to.name} can confirm reading it.</p>
        )}
      </section>

      {confirming ? (
        <Dialog open title="Confirm you have read this hand-over" onClose={() => setConfirming(false)}>
          <p>
            You confirm that you have read the hand-over summary of {h.client.displayName} and the note from{' '}
            {h.createdBy.name}. This is recorded with the time.
          </p>
          {ackError ? <Alert kind="error">{ackError}</Alert> : null}
          <div className="button-row">
            <button
              type="button"
              className="button primary"
              disabled={busy}
              onClick={() => void acknowledge()}
            >
              {busy ? 'Recording…' : 'Yes, I have read it'}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
