import { useEffect, useState } from 'react';
import {
  recordRequestsApi,
  type AmendmentView,
  type ClientRequests,
  type CopyRequestView,
} from '../../api/recordRequestsApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../components/dateFormat.js';
import { localDateOf } from '../../components/practiceTime.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { MAX_EXTENSION_DAYS } from '../../../../src/domain/recordRequests.js';
import { AmendmentDecisionDialog, AmendmentRequestDialog, type DecisionMode } from './AmendmentDialogs.js';
import { CopyRequestDialog, ExtendDialog } from './CopyRequestDialog.js';
import { AmendmentDetails } from './AmendmentDetails.js';
import {
  DELIVERY_LABELS,
  DueBadge,
  FORMAT_LABELS,
  RECEIVED_VIA_PHRASES,
  RequestStatus,
} from './requestLabels.js';
import './recordRequests.css';

type Open =
  | { kind: 'newCopy' }
  | { kind: 'newAmendment' }
  | { kind: 'extendCopy'; request: CopyRequestView }
  | { kind: 'extendAmendment'; request: AmendmentView }
  | { kind: 'decide'; request: AmendmentView; mode: DecisionMode }
  | null;

function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A client's requests for a copy of the record and to amend it, with their deadlines. */
export function RecordRequestsScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [data, setData] = useState<ClientRequests | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const today = data?.today ?? localDateOf(new Date(), me.practice.timeZone);

  useEffect(() => {
    let live = true;
    recordRequestsApi
      .list(clientId)
      .then((d) => live && setData(d))
      .catch((err: unknown) => live && setError(toApiError(err)));
    return () => {
      live = false;
    };
  }, [clientId, reloadKey]);

  const done = (message: string) => {
    setOpen(null);
    setFlash(message);
    setActionError(null);
    setReloadKey((k) => k + 1);
  };

  const act = async (key: string, fn: () => Promise<string>) => {
    setBusy(key);
    setActionError(null);
    try {
      done(await fn());
    } catch (err) {
      const e = toApiError(err);
      setActionError(e.detail);
      if (e.isStale) setReloadKey((k) => k + 1);
    } finally {
      setBusy(null);
    }
  };

  // The front desk may log a copy request but not see the tracker (accessPolicy: client.logCopyRequest).
  const frontDesk = error?.status === 403 && hasRole(me, 'scheduler');
  if (error && !frontDesk)
    return (
      <>
        <PageHeader title="Record requests" />
        <Alert kind="error">{error.detail}</Alert>
        <Link to={`/clients/${clientId}`}>Back to the client</Link>
      </>
    );

  return (
    <>
      <PageHeader title="Record requests">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'newCopy' })}>
          Record a copy request
        </button>
        {frontDesk ? null : (
          <button
            type="button"
            className="button secondary"
            onClick={() => setOpen({ kind: 'newAmendment' })}
          >
            Record an amendment request
          </button>
        )}
      </PageHeader>
      <p className="record-meta">
        <Link to={`/clients/${clientId}`}>Back to the client</Link>
      </p>
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      {actionError ? <Alert kind="error">{actionError}</Alert> : null}
      {frontDesk ? (
        <Alert kind="info">
          You can record a client&rsquo;s request for a copy of their record. The care team produces the copy
          and tracks the deadline.
        </Alert>
      ) : !data ? (
        <p role="status">Loading requests…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="copies-title">
            <h2 id="copies-title">Copies of the record</h2>
            {data.copies.length === 0 ? <p className="muted">No requests for a copy.</p> : null}
            {data.copies.map((r) => (
              <article
                className="request-card"
                key={r.id}
                aria-label={`Copy request received ${formatDate(r.receivedOn)}`}
              >
                <h3>
                  Received {formatDate(r.receivedOn)} <RequestStatus status={r.status} />{' '}
                  <DueBadge state={r.dueState} due={r.effectiveDueOn} />
                </h3>
                <p>
                  {FORMAT_LABELS[r.format]} · {DELIVERY_LABELS[r.delivery]} · received{' '}
                  {RECEIVED_VIA_PHRASES[r.receivedVia]} ·{' '}
                  {r.representative
                    ? `asked by ${r.representative.name} (${r.representative.relationship})`
                    : 'asked by the client'}
                </p>
                {r.extendedDueOn ? (
                  <p className="muted">
                    Extended from {formatDate(r.dueOn)} to {formatDate(r.extendedDueOn)}: {r.extensionReason}
                  </p>
                ) : null}
                {r.status === 'fulfilled' && r.fulfilledOn ? (
                  <p>
                    Fulfilled {formatDate(r.fulfilledOn)} by {r.fulfilledBy}
                  </p>
                ) : null}
                {r.status === 'open' && !r.copyProducedAt ? (
                  <p className="hint" id={`fulfil-hint-${r.id}`}>
                    Download the copy before marking the request fulfilled.
                  </p>
                ) : null}
                <div className="button-row">
                  {(['pdf', 'fhir'] as const)
                    .filter((f) => r.format === 'both' || r.format === f)
                    .map((f) => (
                      <button
                        key={f}
                        type="button"
                        className="button secondary"
                        disabled={busy !== null}
                        onClick={() =>
                          void act(`${r.id}-${f}`, async () => {
                            const file = await recordRequestsApi.downloadCopy(r.id, f);
                            saveFile(file.blob, file.filename);
                            return `Downloaded ${file.filename}. It is recorded as a disclosure to the client.`;
                          })
                        }
                      >
                        {busy === `${r.id}-${f}`
                          ? 'Preparing…'
                          : `Download ${f === 'pdf' ? 'PDF' : 'FHIR'} copy`}
                      </button>
                    ))}
                  {r.status === 'open' ? (
                    <>
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy !== null || !r.copyProducedAt}
                        aria-describedby={r.copyProducedAt ? undefined : `fulfil-hint-${r.id}`}
                        onClick={() =>
                          void act(`${r.id}-fulfil`, async () => {
                            const f = await recordRequestsApi.fulfilCopy(r.id, r.version);
                            return `Request marked fulfilled on ${formatDate(f.fulfilledOn ?? today)}.`;
                          })
                        }
                      >
                        Mark fulfilled
                      </button>
                      {r.extendedDueOn === null && today <= r.dueOn ? (
                        <button
                          type="button"
                          className="button secondary"
                          onClick={() => setOpen({ kind: 'extendCopy', request: r })}
                        >
                          Extend
                        </button>
                      ) : null}
                    </>
                  ) : null}
                </div>
              </article>
            ))}
          </section>

          <section className="panel" aria-labelledby="amendments-title">
            <h2 id="amendments-title">Amendment requests</h2>
            {data.amendments.length === 0 ? <p className="muted">No amendment requests.</p> : null}
            {data.amendments.map((a) => (
              <AmendmentDetails
                key={a.id}
                amendment={a}
                today={today}
                onAction={(mode) => setOpen({ kind: 'decide', request: a, mode })}
                onExtend={() => setOpen({ kind: 'extendAmendment', request: a })}
              />
            ))}
          </section>
        </>
      )}

      {open?.kind === 'newCopy' ? (
        <CopyRequestDialog
          clientId={clientId}
          today={today}
          onClose={() => setOpen(null)}
          onCreated={(r) => done(`Copy request recorded. It is due ${formatDate(r.dueOn)}.`)}
        />
      ) : null}
      {open?.kind === 'newAmendment' ? (
        <AmendmentRequestDialog
          clientId={clientId}
          today={today}
          onClose={() => setOpen(null)}
          onCreated={(a) => done(`Amendment request recorded. A decision is due ${formatDate(a.dueOn)}.`)}
        />
      ) : null}
      {open?.kind === 'extendCopy' ? (
        <ExtendDialog
          title="Extend the copy request"
          dueOn={open.request.dueOn}
          maxDays={MAX_EXTENSION_DAYS}
          onClose={() => setOpen(null)}
          onSubmit={async (input) => {
            const r = await recordRequestsApi.extendCopy(open.request.id, open.request.version, input);
            done(`Extended: now due ${formatDate(r.effectiveDueOn)}.`);
          }}
        />
      ) : null}
      {open?.kind === 'extendAmendment' ? (
        <ExtendDialog
          title="Extend the amendment request"
          dueOn={open.request.dueOn}
          maxDays={MAX_EXTENSION_DAYS}
          onClose={() => setOpen(null)}
          onSubmit={async (input) => {
            const r = await recordRequestsApi.extendAmendment(open.request.id, open.request.version, input);
            done(`Extended: a decision is now due ${formatDate(r.effectiveDueOn)}.`);
          }}
        />
      ) : null}
      {open?.kind === 'decide' ? (
        <AmendmentDecisionDialog
          amendment={open.request}
          mode={open.mode}
          today={today}
          mfaEnabled={me.user.mfaEnabled}
          onClose={() => setOpen(null)}
          onDone={(_a, message) => done(message)}
        />
      ) : null}
    </>
  );
}
