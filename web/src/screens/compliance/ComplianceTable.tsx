import { useState } from 'react';
import type { ClinicianCompliance } from '../../api/documentationApi.js';
import type { SortDirection } from '../../api/types.js';
import { SortHeader } from '../../components/SortHeader.js';
import { Link } from '../../router.js';

type Column = Exclude<keyof ClinicianCompliance, 'clinicianId'>;

const NUMBER_COLUMNS: { column: Exclude<Column, 'clinicianName'>; label: string }[] = [
  { column: 'sessions', label: 'Sessions needing notes' },
  { column: 'signed', label: 'Signed' },
  { column: 'signedOnTime', label: 'Signed on time' },
  { column: 'overdue', label: 'Overdue now' },
  { column: 'shareOnTime', label: 'Signed on time (%)' },
  { column: 'medianHoursToSign', label: 'Median hours to signature' },
];

const whole = new Intl.NumberFormat('en-US');
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

function cell(row: ClinicianCompliance, column: Exclude<Column, 'clinicianName'>) {
  const v = row[column];
  if (v === null)
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">none</span>
      </>
    );
  if (column === 'shareOnTime') return percent.format(v);
  if (column === 'medianHoursToSign') return oneDecimal.format(v);
  return whole.format(v);
}

function compare(a: ClinicianCompliance, b: ClinicianCompliance, column: Column): number {
  if (column === 'clinicianName') return a.clinicianName.localeCompare(b.clinicianName);
  const x = a[column];
  const y = b[column];
  if (x === y) return a.clinicianName.localeCompare(b.clinicianName);
  // A clinician with nothing to measure sorts after everyone else, whichever the direction.
  if (x === null) return Infinity;
  if (y === null) return -Infinity;
  return x - y;
}

/** One row per clinician, numbers right-aligned; any column sorts. */
export function ComplianceTable({ rows }: { rows: ClinicianCompliance[] }) {
  const [sort, setSort] = useState<Column>('clinicianName');
  const [direction, setDirection] = useState<SortDirection>('asc');
  const sorted = [...rows].sort((a, b) => {
    const c = compare(a, b, sort);
    if (!Number.isFinite(c)) return c > 0 ? 1 : -1;
    return direction === 'asc' ? c : -c;
  });
  const onSort = (c: Column, d: SortDirection) => {
    setSort(c);
    setDirection(d);
  };
  return (
    <div
      className="table-wrap"
      tabIndex={0}
      role="region"
      aria-label="Compliance by clinician (scrolls sideways)"
    >
      <table className="data-table compliance-table">
        <caption className="visually-hidden">Compliance by clinician</caption>
        <thead>
          <tr>
            <SortHeader
              column="clinicianName"
              label="Clinician"
              sort={sort}
              direction={direction}
              onSort={onSort}
            />
            {NUMBER_COLUMNS.map((c) => (
              <SortHeader
                key={c.column}
                column={c.column}
                label={c.label}
                sort={sort}
                direction={direction}
                onSort={onSort}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.clinicianId} className={r.overdue > 0 ? 'compliance-has-overdue' : undefined}>
              <th scope="row">
                <Link to={`/documentation/${r.clinicianId}`}>{r.clinicianName}</Link>
              </th>
              {NUMBER_COLUMNS.map((c) => (
                <td key={c.column} className="num">
                  {cell(r, c.column)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
