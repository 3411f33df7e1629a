import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/casebookApi.js';
import { toApiError } from '../../api/http.js';
import type { BreakGlassGrant } from '../../api/types.js';
import { Alert } from '../../components/Alert.js';
import { formatDateTime } from '../../components/dateFormat.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useSession } from '../../session.js';

/** Owner/admin review of emergency ("break-glass") accesses. */
export function BreakGlassReviewScreen() {
  const { me } = useSession();
  const [onlyUnreviewed, setOnlyUnreviewed] = useState(true);
  const [items, setItems] = useState<BreakGlassGrant[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const tz = me.practice.timeZone;

  const load = useCallback(async () => {
    try {
      setItems((await api.breakGlassGrants(onlyUnreviewed)).items);
    } catch (err) {
      setError(toApiError(err).detail);
    }
  }, [onlyUnreviewed]);
  useEffect(() => {
    void load();
  }, [load]);

  const review = async (g: BreakGlassGrant) => {
    setNotice(null);
    try {
      await api.reviewBreakGlass(g.id);
      setNotice(`Marked ${g.userName}'s access to ${g.clientCode} as reviewed.`);
      await load();
    } catch (err) {
      setError(toApiError(err).detail);
    }
  };

  return (
    <>
      <PageHeader title="Emergency access review" />
      <p>
        Each time someone opens a record outside their care team, it is listed here until an owner or admin
        reviews it.
      </p>
      <div className="field checkbox">
        <input
          type="checkbox"
          id="only-unreviewed"
          checked={onlyUnreviewed}
          onChange={(e) => setOnlyUnreviewed(e.target.checked)}
        />
        <label htmlFor="only-unreviewed">Show only accesses not yet reviewed</label>
      </div>
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!items ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p role="status">
          {onlyUnreviewed ? 'Nothing waits for review.' : 'No emergency access has been used.'}
        </p>
      ) : (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label="Emergency accesses (scrolls sideways on narrow screens)"
        >
          <table className="data-table">
            <caption className="visually-hidden">Emergency accesses</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Client</th>
                <th scope="col">Reason</th>
                <th scope="col">Access until</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id}>
                  <td>{formatDateTime(g.createdAt, tz)}</td>
                  <th scope="row">{g.userName}</th>
                  <td>
                    <code>{g.clientCode}</code>
                  </td>
                  <td className="reason">{g.reason}</td>
                  <td>{formatDateTime(g.expiresAt, tz)}</td>
                  <td>
                    {g.reviewedAt ? (
                      `Reviewed ${formatDateTime(g.reviewedAt, tz)}`
                    ) : (
                      <button
                        type="button"
                        className="button secondary small"
                        onClick={() => void review(g)}
                        aria-label={`Mark ${g.userName}'s access to ${g.clientCode} as reviewed`}
                      >
                        Mark reviewed
                      </button>
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
