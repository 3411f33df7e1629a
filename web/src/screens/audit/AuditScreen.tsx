import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type {
  AuditEvent,
  AuditFilters,
  AuditOutcome,
  AuditSort,
  AuditVerifyResult,
  SortDirection,
} from '../../api/types.js';
import { PagedResults } from '../../components/PagedResults.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTimeSeconds } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SortHeader } from '../../components/SortHeader.js';
import { useStaff } from '../../components/useStaff.js';
import { useSession } from '../../session.js';
import { takeAuditClient } from './auditFilterMemory.js';
import { ACTIONS, CATEGORIES } from './auditVocabulary.js';

interface Draft {
  from: string;
  to: string;
  userId: string;
  action: string;
  category: string;
  outcome: AuditOutcome | '';
}
const EMPTY: Draft = { from: '', to: '', userId: '', action: '', category: '', outcome: '' };

function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function detailsText(d: Record<string, unknown>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');
}

/** Audit report (auditor, owner): filter, sort by column, load more, CSV export, verify the hash chain. */
export function AuditScreen() {
  const { me } = useSession();
  const tz = me.practice.timeZone;
  const { staff } = useStaff();
  const names = new Map(staff.map((s) => [s.id, s.fullName]));
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [client, setClient] = useState<{ clientId: string; clientCode: string } | null>(() =>
    takeAuditClient(),
  );
  const [applied, setApplied] = useState<Draft>(EMPTY);
  const [sort, setSort] = useState<AuditSort>('time');
  const [direction, setDirection] = useState<SortDirection>('desc');
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [verifying, setVerifying] = useState(false);

  const filters: AuditFilters = {
    ...(toIso(applied.from) ? { from: toIso(applied.from) } : {}),
    ...(toIso(applied.to) ? { to: toIso(applied.to) } : {}),
    ...(applied.userId ? { userId: applied.userId } : {}),
    ...(client ? { clientId: client.clientId } : {}),
    ...(applied.action.trim() ? { action: applied.action.trim() } : {}),
    ...(applied.category ? { category: applied.category } : {}),
    ...(applied.outcome ? { outcome: applied.outcome } : {}),
    sort,
    direction,
  };
  const key = JSON.stringify(filters);

  const load = useCallback(async (f: AuditFilters) => {
    setLoading(true);
    setError(null);
    try {
      const r = await api.auditEvents(f);
      setItems(r.items);
      setNextCursor(r.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
      setItems([]);
      setNextCursor(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(JSON.parse(key) as AuditFilters);
  }, [key, load]);

  const more = async () => {
    if (!nextCursor) return;
    setLoading(true);
    try {
      const r = await api.auditEvents(filters, nextCursor);
      setItems((p) => [...p, ...r.items]);
      setNextCursor(r.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setLoading(false);
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    try {
      setVerify(await api.verifyAudit());
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setVerifying(false);
    }
  };

  const onSort = (s: AuditSort, d: SortDirection) => {
    setSort(s);
    setDirection(d);
  };
  const set = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  return (
    <>
      <PageHeader title="Audit report">
        <a className="button secondary" href={api.auditCsvUrl(filters)} download>
          Download CSV
        </a>
        <button
          type="button"
          className="button secondary"
          onClick={() => void runVerify()}
          disabled={verifying}
        >
          {verifying ? 'Verifying…' : 'Verify chain'}
        </button>
      </PageHeader>
      <div aria-live="polite">
        {verify ? (
          verify.ok ? (
            <Alert kind="success" title="The audit trail is intact">
              All {verify.rowsChecked.toLocaleString()} rows were checked and the hash chain is unbroken.
            </Alert>
          ) : (
            <div className="alert alert-error" role="alert">
              <p className="alert-title">The audit trail has been altered</p>
              <p>
                {verify.rowsChecked.toLocaleString()} rows checked. First bad row: #
                {verify.firstBadSeq ?? '?'}. {verify.problem ?? ''}
              </p>
            </div>
          )
        ) : null}
      </div>
      <form className="filters audit-filters" onSubmit={apply} aria-label="Filter the audit report">
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="datetime-local"
            value={draft.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input
            id="audit-to"
            type="datetime-local"
            value={draft.to}
            onChange={(e) => set({ to: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-user">User</label>
          <select id="audit-user" value={draft.userId} onChange={(e) => set({ userId: e.target.value })}>
            <option value="">Anyone</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.fullName}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            list="audit-actions"
            value={draft.action}
            onChange={(e) => set({ action: e.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id="audit-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-category">Category</label>
          <select
            id="audit-category"
            value={draft.category}
            onChange={(e) => set({ category: e.target.value })}
          >
            <option value="">Any</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">Outcome</label>
          <select
            id="audit-outcome"
            value={draft.outcome}
            onChange={(e) => set({ outcome: e.target.value as AuditOutcome | '' })}
          >
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="denied">Denied</option>
            <option value="failure">Failure</option>
          </select>
        </div>
        <div className="button-row filter-actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button link"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
              setClient(null);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {client ? (
        <p className="chip-row">
          Showing events for client <code>{client.clientCode}</code>{' '}
          <button type="button" className="button link" onClick={() => setClient(null)}>
            Show all clients
          </button>
        </p>
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <PagedResults
        noun={['event', 'events']}
        label="Audit events"
        count={items.length}
        loading={loading}
        hasMore={nextCursor !== null}
        onLoadMore={() => void more()}
      >
        <table className="data-table audit-table">
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <SortHeader column="time" label="Time" sort={sort} direction={direction} onSort={onSort} />
              <SortHeader column="user" label="User" sort={sort} direction={direction} onSort={onSort} />
              <SortHeader column="action" label="Action" sort={sort} direction={direction} onSort={onSort} />
              <SortHeader
                column="category"
                label="Category"
                sort={sort}
                direction={direction}
                onSort={onSort}
              />
              <SortHeader column="client" label="Client" sort={sort} direction={direction} onSort={onSort} />
              <SortHeader
                column="outcome"
                label="Outcome"
                sort={sort}
                direction={direction}
                onSort={onSort}
              />
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {items.map((ev) => (
              <tr key={ev.id} className={ev.outcome === 'success' ? undefined : 'row-flag'}>
                <td className="nowrap">{formatDateTimeSeconds(ev.occurredAt, tz)}</td>
                <td>
                  {(ev.actorUserId && names.get(ev.actorUserId)) ?? ev.actor ?? (
                    <span className="muted">Unknown</span>
                  )}
                  {ev.actorTokenId ? <span className="sub">API token</span> : null}
                </td>
                <td>
                  <code>{ev.action}</code>
                </td>
                <td>{ev.category.replace(/_/g, ' ')}</td>
                <td>
                  {ev.clientId && ev.clientCode ? (
                    <button
                      type="button"
                      className="button link nowrap"
                      onClick={() =>
                        ev.clientId &&
                        ev.clientCode &&
                        setClient({ clientId: ev.clientId, clientCode: ev.clientCode })
                      }
                      aria-label={`Show only events for client ${ev.clientCode}`}
                    >
                      {ev.clientCode}
                    </button>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <span className={`badge outcome-${ev.outcome}`}>{ev.outcome}</span>
                </td>
                <td className="details">
                  {ev.ip ? <span className="block">from {ev.ip}</span> : null}
                  {detailsText(ev.details)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedResults>
    </>
  );
}
