import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { ClientListItem, ClientSort, ClientStatus, SortDirection } from '../../api/types.js';
import { PagedResults } from '../../components/PagedResults.js';
import { Alert } from '../../components/Alert.js';
import { formatDate } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SortHeader } from '../../components/SortHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useStaff } from '../../components/useStaff.js';
import { Link } from '../../router.js';
import { hasRole, useSession } from '../../session.js';

interface ListState {
  search: string;
  status: ClientStatus | '';
  clinicianId: string;
  sort: ClientSort;
  direction: SortDirection;
}

// Kept in memory only, so "back to clients" restores the list; search text never goes to the URL or storage.
let remembered: ListState = { search: '', status: 'active', clinicianId: '', sort: 'name', direction: 'asc' };

/** Client list: search, filter by status and clinician, sort by column, page with "Load more". */
export function ClientListScreen() {
  const { me } = useSession();
  const [state, setState] = useState<ListState>(remembered);
  const [debouncedSearch, setDebouncedSearch] = useState(state.search);
  const [items, setItems] = useState<ClientListItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [privacyMode, setPrivacyMode] = useState(me.practice.privacyMode);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const { clinicians } = useStaff();
  const requestNo = useRef(0);
  const canCreate = hasRole(me, 'clinician', 'supervisor', 'owner', 'admin', 'scheduler');
  // A CSV list: owners, admins, the front desk; one record from FHIR: clinicians too (on the import page).
  const canImport = hasRole(me, 'clinician', 'supervisor', 'owner', 'admin', 'scheduler');

  useEffect(() => {
    remembered = state;
  }, [state]);

  useEffect(() => {
    const t = window.setTimeout(() => setDebouncedSearch(state.search), 300);
    return () => window.clearTimeout(t);
  }, [state.search]);

  const q = {
    ...(debouncedSearch.trim() ? { search: debouncedSearch.trim() } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.clinicianId ? { clinicianId: state.clinicianId } : {}),
    sort: state.sort,
    direction: state.direction,
    limit: 25,
  };
  const qKey = JSON.stringify(q);

  useEffect(() => {
    const ctrl = new AbortController();
    const n = ++requestNo.current;
    setLoading(true);
    setError(null);
    api
      .listClients(JSON.parse(qKey) as typeof q, ctrl.signal)
      .then((r) => {
        if (n !== requestNo.current) return;
        setItems(r.items);
        setNextCursor(r.nextCursor);
        setPrivacyMode(r.privacyMode);
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(toApiError(err).detail);
      })
      .finally(() => {
        if (n === requestNo.current) setLoading(false);
      });
    return () => ctrl.abort();
  }, [qKey]);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoading(true);
    try {
      const r = await api.listClients({ ...q, cursor: nextCursor });
      setItems((prev) => [...prev, ...r.items]);
      setNextCursor(r.nextCursor);
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setLoading(false);
    }
  };

  const set = (p: Partial<ListState>) => setState((s) => ({ ...s, ...p }));
  const onSort = (sort: ClientSort, direction: SortDirection) => set({ sort, direction });

  return (
    <>
      <PageHeader title="Clients">
        {canCreate ? (
          <Link to="/clients/new" className="button primary">
            New client
          </Link>
        ) : null}
        {canImport ? (
          <Link to="/clients/import" className="button secondary">
            Import clients
          </Link>
        ) : null}
      </PageHeader>
      {!me.user.mfaEnabled ? (
        <Alert kind="info">
          Two-step sign-in is off for your account. <Link to="/account">Turn it on in My account</Link> to
          protect client records.
        </Alert>
      ) : null}
      <search className="filters" aria-label="Find clients">
        <div className="field grow">
          <label htmlFor="client-search">Search</label>
          <p className="hint" id="client-search-hint">
            Name, client code, date of birth (YYYY-MM-DD) or phone.
          </p>
          <input
            id="client-search"
            type="search"
            value={state.search}
            onChange={(e) => set({ search: e.target.value })}
            aria-describedby="client-search-hint"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="client-status">Status</label>
          <select
            id="client-status"
            value={state.status}
            onChange={(e) => set({ status: e.target.value as ClientStatus | '' })}
          >
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
            <option value="discharged">Discharged</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="client-clinician">Clinician</label>
          <select
            id="client-clinician"
            value={state.clinicianId}
            onChange={(e) => set({ clinicianId: e.target.value })}
          >
            <option value="">All clinicians</option>
            {clinicians.map((c) => (
              <option key={c.id} value={c.id}>
                {c.fullName}
              </option>
            ))}
          </select>
        </div>
      </search>
      {privacyMode ? (
        <p className="privacy-note">
          Privacy mode is on: clients are listed by code. Open a record to see the name.
        </p>
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <PagedResults
        noun={['client', 'clients']}
        label="Clients"
        count={items.length}
        loading={loading}
        hasMore={nextCursor !== null}
        onLoadMore={() => void loadMore()}
      >
        <table className="data-table">
          <caption className="visually-hidden">
            Clients, sorted by {state.sort === 'dob' ? 'date of birth' : state.sort}
          </caption>
          <thead>
            <tr>
              <SortHeader
                column="name"
                label={privacyMode ? 'Client' : 'Name'}
                sort={state.sort}
                direction={state.direction}
                onSort={onSort}
              />
              <SortHeader
                column="code"
                label="Code"
                sort={state.sort}
                direction={state.direction}
                onSort={onSort}
              />
              {privacyMode ? null : (
                <SortHeader
                  column="dob"
                  label="Date of birth"
                  sort={state.sort}
                  direction={state.direction}
                  onSort={onSort}
                />
              )}
              <th scope="col">Status</th>
              <th scope="col">Primary clinician</th>
              {privacyMode ? null : <th scope="col">Phone</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/clients/${c.id}`}>{c.displayName}</Link>
                  {c.legalName && c.legalName !== c.displayName ? (
                    <span className="sub">{c.legalName}</span>
                  ) : null}
                </th>
                <td>
                  <code>{c.clientCode}</code>
                </td>
                {privacyMode ? null : <td>{formatDate(c.dateOfBirth)}</td>}
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>{c.primaryClinicianName ?? <span className="muted">None</span>}</td>
                {privacyMode ? null : (
                  <td className="phone">{c.phone ?? <span className="muted">—</span>}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </PagedResults>
    </>
  );
}
