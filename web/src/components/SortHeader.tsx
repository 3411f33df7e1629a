import type { SortDirection } from '../api/types.js';

/** A column header that sorts: a button inside the th, with aria-sort on the th. */
export function SortHeader<K extends string>({
  column,
  label,
  sort,
  direction,
  onSort,
}: {
  column: K;
  label: string;
  sort: K;
  direction: SortDirection;
  onSort: (column: K, direction: SortDirection) => void;
}) {
  const active = sort === column;
  const next: SortDirection = active && direction === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(column, active ? next : 'asc')}>
        {label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
