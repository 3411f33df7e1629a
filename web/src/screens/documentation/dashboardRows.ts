import type { Deadline, DocumentationDashboard } from '../../api/documentationApi.js';

/** One piece of the clinician's own writing: a session without a finished note, or a draft. */
export interface WorkRow {
  key: string;
  clientId: string;
  clientCode: string;
  displayName: string;
  /** The session, when the note belongs to one (standalone drafts have none). */
  session: {
    id: string;
    start: string;
    serviceType: string;
    attendance: string;
    shortNoteOnly: boolean;
  } | null;
  /** Date of service of a standalone draft. */
  dateOfService: string | null;
  noteKind: string | null;
  noteId: string | null;
  dueAt: string | null;
  deadline: Deadline;
  /** The server's wording of how long ago the note fell due ("2 d 4 h"), when it has. */
  overdueFor: string | null;
}

export interface DashboardGroups {
  overdue: WorkRow[];
  dueSoon: WorkRow[];
  /** Not due yet, started or not, and drafts with no deadline. */
  later: WorkRow[];
}

function byDue(a: WorkRow, b: WorkRow): number {
  // The oldest deadline first: it is the most overdue, or the next to fall due.
  return (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999');
}

/**
 * Sorts the dashboard's sessions and drafts into the groups the clinician works through,
 * most urgent first, each by deadline. A note appears once: a draft that belongs to a listed session is shown
 * on the session's row, and notes returned or awaiting co-signature have their own sections.
 */
export function groupWork(d: DocumentationDashboard): DashboardGroups {
  const elsewhere = new Set([...d.returned.map((r) => r.noteId), ...d.awaitingCosign.map((a) => a.noteId)]);
  const rows: WorkRow[] = [];
  const onSessionRows = new Set<string>();
  for (const s of d.needsNote) {
    if (s.noteId && elsewhere.has(s.noteId)) continue;
    if (s.noteState === 'returned' || s.noteState === 'awaiting_cosign' || s.noteState === 'signed') continue;
    if (s.noteId) onSessionRows.add(s.noteId);
    rows.push({
      key: `s:${s.sessionId}:${s.clientId}`,
      clientId: s.clientId,
      clientCode: s.clientCode,
      displayName: s.displayName,
      session: {
        id: s.sessionId,
        start: s.start,
        serviceType: s.serviceType,
        attendance: s.attendance,
        shortNoteOnly: s.shortNoteOnly,
      },
      dateOfService: null,
      noteKind: null,
      noteId: s.noteId,
      dueAt: s.noteDueAt,
      deadline: s.deadline,
      overdueFor: s.overdueFor,
    });
  }
  for (const n of d.drafts) {
    if (onSessionRows.has(n.noteId) || elsewhere.has(n.noteId)) continue;
    rows.push({
      key: `n:${n.noteId}`,
      clientId: n.clientId,
      clientCode: n.clientCode,
      displayName: n.displayName,
      session: null,
      dateOfService: n.dateOfService,
      noteKind: n.kind,
      noteId: n.noteId,
      dueAt: n.dueAt,
      deadline: n.deadline,
      overdueFor: null,
    });
  }
  rows.sort(byDue);
  return {
    overdue: rows.filter((r) => r.deadline === 'overdue'),
    dueSoon: rows.filter((r) => r.deadline === 'due_soon'),
    later: rows.filter((r) => r.deadline === 'not_due'),
  };
}

/** True when nothing at all waits: the "up to date" state. */
export function isUpToDate(d: DocumentationDashboard, g: DashboardGroups): boolean {
  return (
    g.overdue.length + g.dueSoon.length + g.later.length === 0 &&
    d.returned.length +
      d.awaitingCosign.length +
      d.toCosign.length +
      d.planReviews.length +
      d.riskAlerts.length ===
      0
  );
}
