import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  measureLinksApi,
  type LinkInstrument,
  type MeasureLink,
  type MeasureLinkCreated,
} from '../../api/questionnaireApi.js';
import { toApiError } from '../../api/http.js';
import { useSession } from '../../session.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorSummary } from '../../components/ErrorSummary.js';
import { SelectField } from '../../components/fields.js';
import { useFormErrors } from '../../components/formErrors.js';
import { formatDateTime } from '../../components/dateFormat.js';
import './sendLinkDialog.css';

const INSTRUMENT_OPTIONS: { value: LinkInstrument; label: string }[] = [
  { value: 'phq9', label: 'PHQ-9 (depression)' },
  { value: 'gad7', label: 'GAD-7 (anxiety)' },
  { value: 'pcl5', label: 'PCL-5 (PTSD)' },
];

const EXPIRY_OPTIONS = [
  { value: '24', label: '24 hours' },
  { value: '72', label: '3 days' },
  { value: '168', label: '7 days' },
  { value: '336', label: '14 days (the longest)' },
] as const;
type Expiry = (typeof EXPIRY_OPTIONS)[number]['value'];

const STATUS_LABEL: Record<MeasureLink['status'], string> = {
  open: 'Open',
  used: 'Answered',
  expired: 'Expired',
  revoked: 'Revoked',
};
const STATUS_CLASS: Record<MeasureLink['status'], string> = {
  open: 'badge-primary',
  used: 'badge-active',
  expired: 'badge-discharged',
  revoked: 'badge-inactive',
};

/** The new link, shown once: copy it now or make another. */
function CreatedLink({ created, timeZone }: { created: MeasureLinkCreated; timeZone: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="alert alert-success one-time" role="status" tabIndex={-1} ref={ref}>
      <p className="alert-title">{created.link.instrumentName} link ready</p>
      <p>
        Send it to the client privately. It opens this questionnaire only, works once, and expires on{' '}
        {formatDateTime(created.link.expiresAt, timeZone)}. <strong>It will not be shown again.</strong>
      </p>
      <label htmlFor="questionnaire-link">Link</label>
      <input
        id="questionnaire-link"
        className="link-box"
        readOnly
        value={created.url}
        onFocus={(e) => e.target.select()}
      />
      <div className="button-row">
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(created.url)
              .then(() => setCopied(true))
              .catch(() => setCopied(false));
          }}
        >
          Copy link
        </button>
        <span role="status">{copied ? 'Copied.' : ''}</span>
      </div>
    </div>
  );
}

function LinkList({
  links,
  timeZone,
  onRevoke,
  busyId,
}: {
  links: MeasureLink[];
  timeZone: string;
  onRevoke: (l: MeasureLink) => void;
  busyId: string | null;
}) {
  if (links.length === 0) return <p className="hint">No links sent to this client yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">Questionnaire links sent to this client</caption>
        <thead>
          <tr>
            <th scope="col">Questionnaire</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {links.map((l) => (
            <tr key={l.id}>
              <td>
                {l.instrumentName}
                <span className="link-sent">sent {formatDateTime(l.createdAt, timeZone)}</span>
              </td>
              <td>
                <span className={`badge ${STATUS_CLASS[l.status]}`}>{STATUS_LABEL[l.status]}</span>
                {l.status === 'open' ? (
                  <span className="link-sent">until {formatDateTime(l.expiresAt, timeZone)}</span>
                ) : null}
              </td>
              <td>
                {l.status === 'open' ? (
                  <button
                    type="button"
                    className="button link danger"
                    disabled={busyId === l.id}
                    onClick={() => onRevoke(l)}
                  >
                    Revoke<span className="visually-hidden"> {l.instrumentName} link</span>
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Send questionnaire link": a clinician makes a one-time link for this client and sees the ones sent. */
export function SendLinkDialog({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const timeZone = me.practice.timeZone;
  const [open, setOpen] = useState(false);
  const [instrument, setInstrument] = useState<LinkInstrument>('phq9');
  const [expiry, setExpiry] = useState<Expiry>('72');
  const [created, setCreated] = useState<MeasureLinkCreated | null>(null);
  const [links, setLinks] = useState<MeasureLink[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  const form = useFormErrors();

  const load = useCallback(async () => {
    try {
      setLinks((await measureLinksApi.list(clientId)).items);
    } catch (err) {
      form.setMessage(toApiError(err).detail);
    }
    // form.setMessage is a stable state setter.
  }, [clientId]);

  useEffect(() => {
    if (open) void load();
  }, [open, load]);

  const close = () => {
    setOpen(false);
    setCreated(null);
    form.clear();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    form.clear();
    try {
      const made = await measureLinksApi.create({ clientId, instrument, expiresInHours: Number(expiry) });
      setCreated(made);
      await load();
    } catch (err) {
      form.fromError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (l: MeasureLink) => {
    setRevoking(l.id);
    try {
      await measureLinksApi.revoke(l.id);
      await load();
    } catch (err) {
      form.setMessage(toApiError(err).detail);
    } finally {
      setRevoking(null);
    }
  };

  return (
    <>
      <button type="button" className="button secondary" onClick={() => setOpen(true)}>
        Send questionnaire link
      </button>
      <Dialog open={open} title="Send a questionnaire link" onClose={close} className="send-link-dialog">
        <ErrorSummary message={form.message} errors={form.errors} />
        {created ? (
          <CreatedLink key={created.link.id} created={created} timeZone={timeZone} />
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <p className="hint">
              The client answers on their own device without signing in. The link shows only the
              questionnaire.
            </p>
            <SelectField
              name="instrument"
              label="Questionnaire"
              value={instrument}
              onChange={setInstrument}
              options={INSTRUMENT_OPTIONS}
              errors={form.errors}
              required
            />
            <SelectField
              name="expiresInHours"
              label="Link works for"
              value={expiry}
              onChange={setExpiry}
              options={EXPIRY_OPTIONS}
              errors={form.errors}
              required
            />
            <div className="button-row">
              <button type="submit" className="button primary" disabled={busy}>
                {busy ? 'Creating…' : 'Create link'}
              </button>
            </div>
          </form>
        )}
        <h3>Links sent</h3>
        {links === null ? <p role="status">Loading…</p> : null}
        {links ? (
          <LinkList links={links} timeZone={timeZone} onRevoke={(l) => void revoke(l)} busyId={revoking} />
        ) : null}
        <div className="button-row">
          {created ? (
            <button type="button" className="button secondary" onClick={() => setCreated(null)}>
              Create another
            </button>
          ) : null}
          <button type="button" className="button link" onClick={close}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}
