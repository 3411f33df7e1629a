import { useEffect, useRef, useState } from 'react';
import { toApiError } from '../../api/http.js';
import { sessionsApi, type CalendarFeedStatus } from '../../api/sessionsApi.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { useSession } from '../../session.js';

/**
 * My account: a secret calendar-feed address for a phone or desktop calendar. The address is
 * shown once when made; replacing it ends the old one, revoking ends it altogether.
 */
export function CalendarFeedSection() {
  const { me } = useSession();
  const [status, setStatus] = useState<CalendarFeedStatus | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [busy, setBusy] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    sessionsApi
      .calendarFeed()
      .then(setStatus)
      .catch((err: unknown) => setError(toApiError(err).detail));
  }, []);

  const create = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const r = await sessionsApi.createCalendarFeed();
      setUrl(r.url);
      setStatus(await sessionsApi.calendarFeed());
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await sessionsApi.revokeCalendarFeed();
      setUrl(null);
      setConfirmRevoke(false);
      setStatus({ active: false, createdAt: null });
      setMessage('The calendar feed is turned off. Calendars subscribed to it stop updating.');
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setMessage('Address copied.');
    } catch {
      // The clipboard needs a secure page; selecting the text lets the user copy it by hand.
      urlRef.current?.select();
      setMessage('Press Ctrl+C (or ⌘C) to copy the selected address.');
    }
  };

  return (
    <section className="panel" aria-labelledby="feed-title">
      <h2 id="feed-title">Calendar feed</h2>
      <p>
        Subscribe to your Casebook sessions from a phone or desktop calendar. The feed lists your session
        times with client codes.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {message ? (
        <p className="muted" role="status">
          {message}
        </p>
      ) : null}
      {url ? (
        <div className="alert alert-warning one-time" role="alert">
          <p className="alert-title">Your calendar feed address</p>
          <p>
            Anyone with this link can see your session times and client codes. Add it to your calendar app now
            and do not share it. <strong>It will not be shown again.</strong>
          </p>
          <label htmlFor="feed-url">Feed address</label>
          <input
            id="feed-url"
            ref={urlRef}
            className="link-box"
            readOnly
            value={url}
            onFocus={(e) => e.target.select()}
          />
          <div className="button-row">
            <button type="button" className="button secondary small" onClick={() => void copy()}>
              Copy address
            </button>
            <button type="button" className="button link" onClick={() => setUrl(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {status ? (
        <p>
          {status.active
            ? `The feed is on${status.createdAt ? ` (address made ${formatDateTime(status.createdAt, me.practice.timeZone)})` : ''}.`
            : 'The feed is off.'}
        </p>
      ) : null}
      {confirmRevoke ? (
        <Alert kind="warning" title="Turn off the calendar feed?">
          <p>Calendars subscribed to it stop receiving your sessions.</p>
          <div className="button-row">
            <button type="button" className="button danger" disabled={busy} onClick={() => void revoke()}>
              Yes, turn it off
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirmRevoke(false)}>
              Cancel
            </button>
          </div>
        </Alert>
      ) : status ? (
        <div className="button-row">
          <button type="button" className="button secondary" disabled={busy} onClick={() => void create()}>
            {status.active ? 'Replace the address' : 'Create a feed address'}
          </button>
          {status.active ? (
            <button type="button" className="button link danger" onClick={() => setConfirmRevoke(true)}>
              Turn off the feed
            </button>
          ) : null}
        </div>
      ) : null}
      {status?.active && !url ? (
        <p className="hint">Replacing the address stops the old one; subscribe again with the new one.</p>
      ) : null}
    </section>
  );
}
