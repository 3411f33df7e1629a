import type { ReactNode } from 'react';

interface PagedResultsProps {
  /** Singular and plural of what is listed, e.g. ['client', 'clients']. */
  noun: [string, string];
  /** Names the scrollable table region for screen readers. */
  label: string;
  count: number;
  loading: boolean;
  hasMore: boolean;
  onLoadMore: () => void;
  /** The table, shown when there is at least one row. */
  children: ReactNode;
}

/** A result count (announced politely), a sideways-scrolling table region and "Load more". */
export function PagedResults({
  noun,
  label,
  count,
  loading,
  hasMore,
  onLoadMore,
  children,
}: PagedResultsProps) {
  const [one, many] = noun;
  return (
    <>
      <p role="status" className="result-count">
        {loading
          ? `Loading ${many}…`
          : count === 0
            ? `No ${many} match.`
            : `Showing ${count} ${count === 1 ? one : many}${hasMore ? ' (more available)' : ''}.`}
      </p>
      {count > 0 ? (
        <div
          className="table-wrap"
          tabIndex={0}
          role="region"
          aria-label={`${label} (scrolls sideways on narrow screens)`}
        >
          {children}
        </div>
      ) : null}
      {hasMore ? (
        <div className="button-row">
          <button type="button" className="button secondary" onClick={onLoadMore} disabled={loading}>
            Load more
          </button>
        </div>
      ) : null}
    </>
  );
}
