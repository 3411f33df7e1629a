import { useEffect, useRef, useState } from 'react';
import { consentsApi, type ConsentList, type ConsentView } from '../../api/consentsApi.js';
import { toApiError, type ApiError } from '../../api/http.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { localDateOf } from '../../components/practiceTime.js';
import { RELEASE_CATEGORY_LABELS } from '../../../../src/domain/releaseScope.js';
import { ConsentDialog } from './ConsentDialog.js';
import { DisclosuresSection } from './DisclosuresSection.js';
import { ReleaseDialog } from './ReleaseDialog.js';
import { RevokeDialog } from './RevokeDialog.js';
import { saveFile } from './saveFile.js';
import './consents.css';

const STATUS_LABEL: Record<ConsentView['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  not_yet_effective: 'Not yet effective',
};

export function ConsentStatusBadge({ status }: { status: ConsentView['status'] }) {
  return <span className={`badge badge-consent-${status}`}>{STATUS_LABEL[status]}</span>;
}

type Open =
  | { kind: 'record' }
  | { kind: 'release' }
  | { kind: 'outside' }
  | { kind: 'revoke'; consent: ConsentView }
  | null;

/** A client's consents and authorizations, releases of records, and the disclosure log. */
export function ConsentsScreen({ clientId }: { clientId: string }) {
  const { me } = useSession();
  const [data, setData] = useState<ConsentList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploadFor, setUploadFor] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    consentsApi
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
  const run = async (fn: () => Promise<string | null>) => {
    setActionError(null);
    try {
      const m = await fn();
      if (m) done(m);
    } catch (err) {
      const e = toApiError(err);
      setActionError(e.detail);
      if (e.isStale) setReloadKey((k) => k + 1);
    }
  };

  // An auditor reads the disclosure log and accounting, never the consents themselves.
  if (error?.status === 403)
    return (
      <>
        <PageHeader title="Disclosures" />
        <DisclosuresSection
          clientId={clientId}
          today={localDateOf(new Date(), me.practice.timeZone)}
          reloadKey={0}
        />
      </>
    );
  if (error)
    return (
      <>
        <PageHeader title="Consents & releases" />
        <Alert kind="error">{error.detail}</Alert>
        <Link to={`/clients/${clientId}`}>Back to the client</Link>
      </>
    );
  if (!data)
    return (
      <>
        <PageHeader title="Consents & releases" />
        <p role="status">Loading consents…</p>
      </>
    );

  const authorizations = data.items.filter(
    (c) => c.kind === 'release_of_information' || c.kind === 'psychotherapy_note_authorization',
  );
  const upload = async (file: File, consentId: string) => {
    if (file.size > 10 * 1024 * 1024) {
      setActionError('The file is larger than 10 MB.');
      return;
    }
    await run(async () => {
      await consentsApi.uploadScan(consentId, file);
      return `Scan attached (${file.name}).`;
    });
  };

  return (
    <>
      <PageHeader title="Consents & releases">
        {data.can.record.length > 0 ? (
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'record' })}>
            Record a consent
          </button>
        ) : null}
        {data.can.release ? (
          <button type="button" className="button secondary" onClick={() => setOpen({ kind: 'release' })}>
            Release records
          </button>
        ) : null}
        {data.can.release ? (
          <button type="button" className="button secondary" onClick={() => setOpen({ kind: 'outside' })}>
            Record a release made outside Casebook
          </button>
        ) : null}
      </PageHeader>
      <p className="record-meta">
        <Link to={`/clients/${clientId}`}>Back to the client</Link>
      </p>
      {flash ? <Alert kind="success">{flash}</Alert> : null}
      {actionError ? <Alert kind="error">{actionError}</Alert> : null}
      {data.can.setPart2 ? (
        <div className="field checkbox part2-flag">
          <input
            type="checkbox"
            id="part2-flag"
            checked={data.holdsPart2Records}
            onChange={(e) => {
              const value = e.target.checked;
              void run(async () => {
                await consentsApi.setPart2(clientId, data.clientVersion, value);
                return value
                  ? 'Marked as holding 42 CFR Part 2 records: releases now need a Part 2 consent and carry the redisclosure notice.'
                  : 'No longer marked as holding 42 CFR Part 2 records.';
              });
            }}
          />
          <label htmlFor="part2-flag">
            This record holds substance-use disorder records protected by 42 CFR Part 2
          </label>
        </div>
      ) : data.holdsPart2Records ? (
        <Alert kind="info">This record holds 42 CFR Part 2 records.</Alert>
      ) : null}

      <section className="panel" aria-labelledby="consents-title">
        <h2 id="consents-title">Consents and authorizations</h2>
        {data.items.length === 0 ? (
          <p className="muted">No consents recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Recipient and scope</th>
                  <th scope="col">Signed</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.kindLabel}
                      {c.part2 ? <span className="badge badge-primary">Part 2</span> : null}
                    </td>
                    <td>
                      <ConsentStatusBadge status={c.status} />
                      {c.revokedOn ? <div className="muted">from {formatDate(c.revokedOn)}</div> : null}
                    </td>
                    <td>
                      {c.recipient ? (
                        <>
                          <strong>{c.recipient.name}</strong>
                          <div className="muted">
                            {c.categories.map((x) => RELEASE_CATEGORY_LABELS[x]).join(', ')}
                          </div>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      {formatDate(c.signedOn)}
                      <div className="muted">
                        {c.signerName}
                        {c.signer === 'guardian' ? ` (${c.signerRelationship ?? 'guardian'})` : ''}
                      </div>
                    </td>
                    <td>{c.expiresOn ? formatDate(c.expiresOn) : (c.expiryEvent ?? '—')}</td>
                    <td>
                      <div className="consent-actions">
                        <button
                          type="button"
                          className="button secondary"
                          aria-label={`Print PDF of ${c.kindLabel} signed ${c.signedOn}`}
                          onClick={() =>
                            void run(async () => {
                              const f = await consentsApi.formPdf(
                                c.id,
                                c.signatureMethod === 'paper' && c.scanCount === 0,
                              );
                              saveFile(f.blob, f.filename);
                              return null;
                            })
                          }
                        >
                          Print PDF
                        </button>
                        {data.can.record.includes(c.kind) ? (
                          <button
                            type="button"
                            className="button secondary"
                            aria-label={`Attach a signed scan to ${c.kindLabel} signed ${c.signedOn}`}
                            onClick={() => {
                              setUploadFor(c.id);
                              fileInput.current?.click();
                            }}
                          >
                            Attach scan
                          </button>
                        ) : null}
                        {c.scanCount > 0 ? (
                          <button
                            type="button"
                            className="button secondary"
                            onClick={() =>
                              void run(async () => {
                                const scans = await consentsApi.scans(c.id);
                                const latest = scans.items[0];
                                if (!latest) return null;
                                const f = await consentsApi.downloadScan(c.id, latest.id);
                                saveFile(f.blob, f.filename);
                                return null;
                              })
                            }
                          >
                            Download scan ({c.scanCount})
                          </button>
                        ) : null}
                        {c.revokedOn === null && data.can.record.includes(c.kind) ? (
                          <button
                            type="button"
                            className="button secondary"
                            onClick={() => setOpen({ kind: 'revoke', consent: c })}
                          >
                            Revoke
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <input
          ref={fileInput}
          type="file"
          accept="application/pdf,image/png,image/jpeg"
          className="visually-hidden"
          aria-label="Signed scan file"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file && uploadFor) void upload(file, uploadFor);
          }}
        />
      </section>

      {data.can.readDisclosures ? (
        <DisclosuresSection clientId={clientId} today={data.today} reloadKey={reloadKey} />
      ) : null}

      {open?.kind === 'record' ? (
        <ConsentDialog
          clientId={clientId}
          kinds={data.can.record}
          today={data.today}
          onClose={() => setOpen(null)}
          onRecorded={(c) => done(`${c.kindLabel} recorded.`)}
        />
      ) : null}
      {open?.kind === 'release' ? (
        <ReleaseDialog
          clientId={clientId}
          authorizations={authorizations}
          onClose={() => setOpen(null)}
          onReleased={done}
        />
      ) : null}
      {open?.kind === 'outside' ? (
        <ReleaseDialog
          clientId={clientId}
          authorizations={authorizations}
          outside={{ today: data.today }}
          onClose={() => setOpen(null)}
          onReleased={done}
        />
      ) : null}
      {open?.kind === 'revoke' ? (
        <RevokeDialog
          consent={open.consent}
          today={data.today}
          onClose={() => setOpen(null)}
          onRevoked={(c) => done(`${c.kindLabel} revoked from ${formatDate(c.revokedOn)}.`)}
        />
      ) : null}
    </>
  );
}
