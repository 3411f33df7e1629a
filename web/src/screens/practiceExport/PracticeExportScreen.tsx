import { useCallback, useEffect, useState } from 'react';
import { toApiError } from '../../api/http.js';
import { practiceExportApi, type PracticeExport } from '../../api/practiceExportApi.js';
import { Alert } from '../../components/Alert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { useSession } from '../../session.js';
import './practiceExport.css';

const POLL_MS = 1000;
const ACTIVE = new Set(['queued', 'running']);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const STATUS_LABEL: Record<PracticeExport['status'], string> = {
  queued: 'Waiting to start',
  running: 'In progress',
  done: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'Expired (file deleted)',
};

function ExportProgress({ job }: { job: PracticeExport }) {
  const total = job.clientsTotal ?? 0;
  const pct = total > 0 ? Math.round((job.clientsDone / total) * 100) : 0;
  return (
    <div className="export-progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Export progress (clients)"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={job.clientsDone}
        aria-valuetext={`${job.clientsDone} of ${total} clients`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="muted">
        {job.status === 'queued'
          ? 'Waiting to start…'
          : `${job.clientsDone} of ${total} clients · ${formatBytes(job.bytes)} written`}
      </p>
    </div>
  );
}

function DownloadPanel({ job, timeZone }: { job: PracticeExport; timeZone: string }) {
  return (
    <Alert kind="success" title="Your export is ready">
      <p>
        <a className="button primary" href={practiceExportApi.downloadUrl(job.id)} download>
          Download the export ({formatBytes(job.bytes)})
        </a>
      </p>
      <p>
        {job.clientsDone} clients, {job.resourcesWritten} FHIR resources.
        {job.expiresAt
          ? ` The file is deleted from the server on ${formatDateTime(job.expiresAt, timeZone)}.`
          : ''}
      </p>
      <p className="checksum">
        SHA-256 checksum: <code>{job.sha256}</code>
      </p>
    </Alert>
  );
}

/** Owner only: export every client record (except psychotherapy notes) as FHIR and PDFs. */
export function PracticeExportScreen() {
  const { me } = useSession();
  const timeZone = me?.practice.timeZone ?? 'UTC';
  const [jobs, setJobs] = useState<PracticeExport[] | null>(null);
  const [current, setCurrent] = useState<PracticeExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      const list = await practiceExportApi.list();
      setJobs(list.items);
      setCurrent((c) => c ?? list.items.find((j) => ACTIVE.has(j.status)) ?? null);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const activeId = current && ACTIVE.has(current.status) ? current.id : null;
  useEffect(() => {
    if (!activeId) return undefined;
    const timer = setInterval(() => {
      practiceExportApi.get(activeId).then(
        (job) => {
          setCurrent(job);
          if (!ACTIVE.has(job.status)) void reload();
        },
        (err: unknown) => setError(toApiError(err).detail),
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [activeId, reload]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setCurrent(await practiceExportApi.start());
      await reload();
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setBusy(false);
    }
  };
  const cancel = async (id: string) => {
    try {
      setCurrent(await practiceExportApi.cancel(id));
      await reload();
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  return (
    <>
      <PageHeader title="Export all practice data" />
      <section className="panel export-explainer" aria-labelledby="export-what">
        <h2 id="export-what">What the export holds</h2>
        <p>
          One zip file with the records of <strong>every client</strong>, discharged and inactive ones
          included: demographics and contacts, diagnoses, treatment plans, sessions, signed progress notes
          with addenda, outcome measures, consents and billing codes. It has the records in the FHIR R4
          standard (one file per kind of record, readable by other systems) and one readable PDF chart per
          client, named by client code.
        </p>
        <p>
          <strong>Not included:</strong> psychotherapy notes (process notes), which by law stay with their
          author; unsigned drafts; staff passwords and the audit trail.
        </p>
        <p>
          Only the practice owner can export. Starting, each client exported and each download are recorded in
          the audit trail. The file contains protected health information: keep the downloaded copy encrypted.
          It is deleted from the server 7 days after it is made.
        </p>
      </section>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {current && ACTIVE.has(current.status) ? (
        <section className="panel" aria-labelledby="export-running">
          <h2 id="export-running">Export in progress</h2>
          <ExportProgress job={current} />
          <button type="button" className="button secondary" onClick={() => void cancel(current.id)}>
            Cancel export
          </button>
        </section>
      ) : (
        <div className="button-row">
          <button type="button" className="button primary" disabled={busy} onClick={() => void start()}>
            Export all practice data
          </button>
        </div>
      )}
      {current?.status === 'done' ? <DownloadPanel job={current} timeZone={timeZone} /> : null}
      {current?.status === 'failed' ? (
        <Alert kind="error" title="The export failed">
          {current.error}
        </Alert>
      ) : null}
      <h2>Past exports</h2>
      {jobs === null ? (
        <p className="muted">Loading…</p>
      ) : jobs.length === 0 ? (
        <p className="muted">No exports yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Past exports</caption>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Status</th>
                <th scope="col">Clients</th>
                <th scope="col">Size</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>{formatDateTime(j.requestedAt, timeZone)}</td>
                  <td>{STATUS_LABEL[j.status]}</td>
                  <td>
                    {j.clientsDone}
                    {j.clientsTotal !== null ? ` of ${j.clientsTotal}` : ''}
                  </td>
                  <td>{j.status === 'done' || j.status === 'expired' ? formatBytes(j.bytes) : '—'}</td>
                  <td>
                    {j.status === 'done' ? (
                      <a href={practiceExportApi.downloadUrl(j.id)} download>
                        Download
                        <span className="visually-hidden">
                          {' '}
                          export of {formatDateTime(j.requestedAt, timeZone)}
                        </span>
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
