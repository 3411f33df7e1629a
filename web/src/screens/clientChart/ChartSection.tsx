import { useEffect, useRef, useState } from 'react';
import type { ServiceType } from '../../../../src/domain/cptTimeRule.js';
import { chartApi, type ChartEntry, type ChartEntryType, type ChartFilters } from '../../api/chartApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientAccess } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { PagedResults } from '../../components/PagedResults.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';
import { noteTitle } from '../templates/noteOptions.js';
import { INSTRUMENTS, isInstrumentId } from '../../../../src/domain/measureInstruments.js';
import { LockIcon } from '../psychotherapyNotes/LockIcon.js';
import { NewNoteDialog } from './NewNoteDialog.js';
import './clientChart.css';

const TYPE_LABELS: Record<ChartEntryType, string> = {
  session: 'Sessions',
  note: 'Notes',
  addendum: 'Addenda',
  diagnosis: 'Diagnoses',
  plan: 'Treatment plans',
  measure: 'Measures',
  alert: 'Risk alerts',
  annotation: 'Annotations',
};
const ALL_TYPES: readonly ChartEntryType[] = [
  'session',
  'note',
  'addendum',
  'diagnosis',
  'plan',
  'measure',
  'alert',
  'annotation',
];
const KIND_LABELS: Record<ChartEntryType, string> = {
  session: 'Session',
  note: 'Note',
  addendum: 'Addendum',
  diagnosis: 'Diagnosis',
  plan: 'Plan',
  measure: 'Measure',
  alert: 'Alert',
  annotation: 'Annotation',
};

const DIAGNOSIS_STATUS: Record<string, string> = {
  active: 'active',
  resolved: 'resolved',
  rule_out: 'rule-out',
  entered_in_error: 'entered in error',
};

function measureLabel(instrument: string, band: string, total: number): string {
  if (!isInstrumentId(instrument)) return `${instrument} ${total}`;
  const def = INSTRUMENTS[instrument];
  const bandLabel = def.bands.find((b) => b.key === band)?.label ?? band;
  return `${def.shortName} ${total} — ${bandLabel}`;
}

const SESSION_TITLES: Record<ServiceType, string> = {
  intake_assessment: 'Intake assessment',
  individual: 'Individual session',
  couples: 'Couples session',
  family_with_client: 'Family session (client present)',
  family_without_client: 'Family session (client not present)',
  group: 'Group session',
  crisis: 'Crisis session',
  collateral_contact: 'Collateral contact',
  phone_checkin: 'Phone check-in',
};

const ATTENDANCE_LABELS: Record<Extract<ChartEntry, { kind: 'session' }>['attendance'], string> = {
  scheduled: 'Scheduled',
  attended: 'Attended',
  no_show: 'No-show',
  late_cancel: 'Late cancellation',
  cancelled_client: 'Cancelled by client',
  cancelled_clinician: 'Cancelled by clinician',
};

const NOTE_STATE_LABELS: Record<Extract<ChartEntry, { kind: 'session' }>['noteState'], string> = {
  none: 'no note yet',
  draft: 'note in draft',
  awaiting_cosign: 'note awaiting co-signature',
  returned: 'note returned for changes',
  signed: 'note signed',
};

const STATUS_LABELS: Record<Extract<ChartEntry, { kind: 'note' }>['status'], string> = {
  draft: 'Draft',
  awaiting_cosign: 'Awaiting co-signature',
  returned: 'Returned for changes',
  signed: 'Signed',
};

/** What one timeline entry is, in words: "Progress note (SOAP) — Signed, late entry". */
export function entryTitle(e: ChartEntry): string {
  switch (e.kind) {
    case 'session':
      return [
        SESSION_TITLES[e.serviceType],
        ATTENDANCE_LABELS[e.attendance],
        e.minutes ? `${e.minutes} min` : null,
      ]
        .filter(Boolean)
        .join(' — ');
    case 'note': {
      const state = [
        STATUS_LABELS[e.status],
        e.cosignedAt ? 'co-signed' : null,
        e.lateEntry ? 'late entry' : null,
      ]
        .filter(Boolean)
        .join(', ');
      return `${noteTitle(e.noteKind, e.format)} — ${state}`;
    }
    case 'addendum':
      return `Addendum by ${e.signerName}`;
    case 'diagnosis':
      return e.version === 1
        ? `Diagnosis added: ${e.code} ${e.description} (${e.rank}, ${DIAGNOSIS_STATUS[e.status] ?? e.status})`
        : `Diagnosis ${e.code} changed: ${e.rank}, ${DIAGNOSIS_STATUS[e.status] ?? e.status}`;
    case 'plan':
      return `Treatment plan version ${e.versionNo} signed`;
    case 'measure':
      return measureLabel(e.instrument, e.band, e.total);
    case 'alert':
      return `Risk alert: PHQ-9 item 9 answered ${e.itemValue} — ${e.acknowledgedAt ? 'acknowledged' : 'NOT YET ACKNOWLEDGED'}`;
    case 'annotation':
      return `Annotation: ${e.text}`;
  }
}

function EntryDetail({ e }: { e: ChartEntry }) {
  switch (e.kind) {
    case 'session':
      return (
        <>
          {e.clinicianName} · {NOTE_STATE_LABELS[e.noteState]}
          {e.noteId ? (
            <>
              {' '}
              · <Link to={`/notes/${e.noteId}`}>Open the note</Link>
            </>
          ) : null}
        </>
      );
    case 'note':
      return (
        <>
          {e.authorName} · date of service {formatDate(e.dateOfService)}
          {e.addenda > 0 ? ` · ${e.addenda} ${e.addenda === 1 ? 'addendum' : 'addenda'}` : ''}
        </>
      );
    case 'addendum':
      return <>Corrects or adds to a signed note</>;
    case 'diagnosis':
      return (
        <>
          {e.changedByName} · {e.version === 1 ? 'added' : `changed ${e.changedFields.join(', ')}`}
        </>
      );
    case 'plan':
      return (
        <>
          Signed by {e.signerName}
          {e.reviewDueDate ? ` · review due ${formatDate(e.reviewDueDate)}` : ''}
        </>
      );
    case 'measure':
      return <>{e.source === 'client_link' ? 'Completed by the client by link' : 'Given in session'}</>;
    case 'alert':
      return (
        <>
          {e.acknowledgedAt
            ? `Acknowledged by ${e.acknowledgedByName ?? 'a clinician'}`
            : 'Needs a clinician to acknowledge it'}
        </>
      );
    case 'annotation':
      return <>{e.authorName}</>;
  }
}

function entryLink(clientId: string, e: ChartEntry): string {
  switch (e.kind) {
    case 'session':
      return `/sessions/${e.id}`;
    case 'note':
      return `/notes/${e.id}`;
    case 'addendum':
      return `/notes/${e.noteId}`;
    case 'diagnosis':
    case 'annotation':
      return `/clients/${clientId}`;
    case 'plan':
      return `/clients/${clientId}/plan/history`;
    case 'measure':
    case 'alert':
      return `/clients/${clientId}/measures`;
  }
}

/**
 * The client's chart on the profile: sessions, notes, addenda and the treatment record,
 * newest first. It lists what
 * each entry is and who did it; the narrative stays in the note, opened (and audited) on its own.
 */
export function ChartSection({ clientId, access }: { clientId: string; access: ClientAccess }) {
  const { me } = useSession();
  const [filters, setFilters] = useState<ChartFilters>({ types: ALL_TYPES, from: '', to: '' });
  const [items, setItems] = useState<ChartEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [withheld, setWithheld] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [newNote, setNewNote] = useState(false);
  const requestNo = useRef(0);
  const onCareTeam = access.grounds === 'care_team' || access.grounds === 'primary';
  const writes = onCareTeam && hasRole(me, 'clinician', 'supervisor');
  const filterKey = JSON.stringify(filters);

  useEffect(() => {
    const f = JSON.parse(filterKey) as ChartFilters;
    if (f.types.length === 0) {
      setItems([]);
      setNextCursor(null);
      setLoading(false);
      return undefined;
    }
    const ctrl = new AbortController();
    const n = ++requestNo.current;
    setLoading(true);
    setError(null);
    chartApi
      .chart(clientId, f, undefined, ctrl.signal)
      .then((page) => {
        if (n !== requestNo.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setWithheld(page.withheld);
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(toApiError(err).detail);
      })
      .finally(() => {
        if (n === requestNo.current) setLoading(false);
      });
    return () => ctrl.abort();
  }, [clientId, filterKey]);

  const loadMore = async () => {
    if (!nextCursor) return;
    const n = ++requestNo.current;
    setLoading(true);
    try {
      const page = await chartApi.chart(clientId, filters, nextCursor);
      if (n !== requestNo.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      if (n === requestNo.current) setLoading(false);
    }
  };

  const toggle = (t: ChartEntryType, on: boolean) =>
    setFilters((f) => ({ ...f, types: ALL_TYPES.filter((x) => (x === t ? on : f.types.includes(x))) }));

  return (
    <section className="panel chart" aria-labelledby="chart-title">
      <div className="panel-header">
        <h2 id="chart-title">Chart</h2>
        {writes ? (
          <div className="chart-actions">
            <button type="button" className="button primary small" onClick={() => setNewNote(true)}>
              New note
            </button>
            <Link
              to={`/clients/${clientId}/psychotherapy-notes`}
              className="button secondary small chart-private"
            >
              <LockIcon /> My psychotherapy notes
            </Link>
          </div>
        ) : null}
      </div>
      <search className="chart-filters" aria-label="Filter the chart">
        <fieldset className="chart-types">
          <legend>Show</legend>
          {ALL_TYPES.map((t) => (
            <label key={t} className="chart-type">
              <input
                type="checkbox"
                checked={filters.types.includes(t)}
                onChange={(e) => toggle(t, e.target.checked)}
              />
              {TYPE_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="chart-from">From</label>
          <input
            id="chart-from"
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => setFilters((f) => ({ ...f, from: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor="chart-to">To</label>
          <input
            id="chart-to"
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => setFilters((f) => ({ ...f, to: e.target.value }))}
          />
        </div>
      </search>
      {withheld.length > 0 ? (
        <p className="chart-withheld">
          Not shown for your role:{' '}
          {withheld.map((t) => TYPE_LABELS[t as ChartEntryType].toLowerCase()).join(', ')}.
        </p>
      ) : null}
      {filters.types.length === 0 ? (
        <p className="muted" role="status">
          Choose at least one kind of entry to show.
        </p>
      ) : (
        <>
          {error ? <Alert kind="error">{error}</Alert> : null}
          <PagedResults
            noun={['entry', 'entries']}
            label="Chart entries"
            count={items.length}
            loading={loading}
            hasMore={nextCursor !== null}
            onLoadMore={() => void loadMore()}
          >
            <ol className="chart-timeline" aria-label="Chart entries, newest first">
              {items.map((e) => (
                <li key={`${e.kind}-${e.id}`} className={`chart-entry chart-${e.kind}`}>
                  <span className="chart-when">{formatDateTime(e.at, me.practice.timeZone)}</span>
                  <span className="chart-kind" aria-hidden="true">
                    {KIND_LABELS[e.kind]}
                  </span>
                  <span className="chart-what">
                    <Link to={entryLink(clientId, e)}>{entryTitle(e)}</Link>
                    <span className="chart-detail">
                      <EntryDetail e={e} />
                    </span>
                  </span>
                </li>
              ))}
            </ol>
          </PagedResults>
        </>
      )}
      {newNote ? <NewNoteDialog clientId={clientId} onClose={() => setNewNote(false)} /> : null}
    </section>
  );
}
