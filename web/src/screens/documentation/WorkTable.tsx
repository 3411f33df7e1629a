import type { ReactNode } from 'react';
import { formatDate, formatDateTime } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import type { WorkRow } from './dashboardRows.js';
import { attendanceLabel, formatSpan, noteKindLabel, serviceTypeLabel } from './documentationVocabulary.js';

export interface WorkTableProps {
  id: string;
  title: string;
  intro?: ReactNode;
  rows: WorkRow[];
  now: string;
  timeZone: string;
  /** False when a supervisor looks at a supervisee's dashboard: only the author writes the note. */
  own: boolean;
  /** The row whose note is being started. */
  busyKey: string | null;
  onWrite: (row: WorkRow) => void;
  tone?: 'danger' | 'warning';
}

function serviceCell(row: WorkRow, timeZone: string): ReactNode {
  if (row.session) {
    const s = row.session;
    return (
      <>
        <span className="block">{formatDateTime(s.start, timeZone)}</span>
        <span className="sub">
          {serviceTypeLabel(s.serviceType)}
          {s.attendance !== 'attended' ? ` · ${attendanceLabel(s.attendance)}` : ''}
        </span>
        {s.shortNoteOnly ? <span className="badge badge-primary doc-short">Short contact note</span> : null}
      </>
    );
  }
  return (
    <>
      <span className="block">{formatDate(row.dateOfService)}</span>
      <span className="sub">{row.noteKind ? noteKindLabel(row.noteKind) : 'Note'}</span>
    </>
  );
}

function dueCell(row: WorkRow, now: string, timeZone: string): ReactNode {
  if (!row.dueAt) return <span className="muted">No deadline</span>;
  const due = formatDateTime(row.dueAt, timeZone);
  const gap = Date.parse(row.dueAt) - Date.parse(now);
  if (row.deadline === 'overdue')
    return (
      <>
        <strong className="doc-overdue">Overdue by {row.overdueFor ?? formatSpan(-gap)}</strong>
        <span className="sub">Was due {due}</span>
      </>
    );
  if (row.deadline === 'due_soon')
    return (
      <>
        <strong className="doc-due-soon">Due {due}</strong>
        <span className="sub">in {formatSpan(gap)}</span>
      </>
    );
  return <span className="block">Due {due}</span>;
}

function rowLabel(row: WorkRow, timeZone: string): string {
  const when = row.session ? formatDateTime(row.session.start, timeZone) : formatDate(row.dateOfService);
  return `${row.displayName}, ${when}`;
}

function actionCell(row: WorkRow, props: WorkTableProps): ReactNode {
  const label = rowLabel(row, props.timeZone);
  if (row.noteId)
    return (
      <Link
        to={`/notes/${row.noteId}`}
        className="button secondary small"
        aria-label={`${props.own ? 'Continue draft' : 'Open note'} for ${label}`}
      >
        {props.own ? 'Continue draft' : 'Open note'}
      </Link>
    );
  if (!props.own || !row.session) return <span className="muted">Not started</span>;
  const text = row.session.shortNoteOnly ? 'Write contact note' : 'Write note';
  const busy = props.busyKey === row.key;
  return (
    <button
      type="button"
      className="button primary small"
      disabled={props.busyKey !== null}
      aria-label={`${text} for ${label}`}
      onClick={() => props.onWrite(row)}
    >
      {busy ? 'Opening…' : text}
    </button>
  );
}

/** One group of sessions and drafts with their deadlines and the next step for each. */
export function WorkTable(props: WorkTableProps) {
  const { id, title, intro, rows, now, timeZone, tone } = props;
  if (rows.length === 0) return null;
  return (
    <section className={`doc-section${tone ? ` doc-section-${tone}` : ''}`} aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="doc-section-count">({rows.length})</span>
      </h2>
      {intro}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title} (scrolls sideways)`}>
        <table className="data-table doc-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Service</th>
              <th scope="col">Deadline</th>
              <th scope="col" className="doc-action-col">
                Action
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={row.deadline === 'overdue' ? 'doc-row-overdue' : undefined}>
                <th scope="row">
                  <Link to={`/clients/${row.clientId}`}>{row.displayName}</Link>
                  <span className="sub">
                    <code>{row.clientCode}</code>
                  </span>
                </th>
                <td>{serviceCell(row, timeZone)}</td>
                <td>{dueCell(row, now, timeZone)}</td>
                <td className="actions">{actionCell(row, props)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
