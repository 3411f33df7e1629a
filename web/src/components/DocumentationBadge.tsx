import { useEffect, useState } from 'react';
import { documentationApi, type DocumentationCounts } from '../api/documentationApi.js';
import './DocumentationBadge.css';

/**
 * Notes that need the clinician's work. needsNote counts every session still without a signed
 * note (not started, drafted, or returned for revision), so overdue, due-soon and returned
 * session notes are already inside it; adding them again would count one note twice.
 */
export function notesNeedingAttention(c: DocumentationCounts): number {
  return c.needsNote;
}

/** The documentation counts for the navigation, read again on every page change. */
export function useDocumentationCounts(enabled: boolean, path: string): DocumentationCounts | null {
  const [counts, setCounts] = useState<DocumentationCounts | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    documentationApi
      .counts()
      .then((c) => live && setCounts(c))
      // A badge is a hint: when it cannot be read, show none rather than an error.
      .catch(() => live && setCounts(null));
    return () => {
      live = false;
    };
  }, [enabled, path]);
  return counts;
}

function Badge({ count, label, urgent }: { count: number; label: string; urgent: boolean }) {
  if (count <= 0) return null;
  return (
    <>
      <span className={`nav-badge${urgent ? ' nav-badge-urgent' : ''}`} aria-hidden="true">
        {count}
      </span>
      {/* The link lays out as flex items, which the accessible name joins with a space: "Documentation (3 notes need attention)". */}
      <span className="visually-hidden">({label})</span>
    </>
  );
}

/** The count after a navigation item: notes needing attention, or notes waiting for co-signature. */
export function DocumentationBadge({ to, counts }: { to: string; counts: DocumentationCounts | null }) {
  if (!counts) return null;
  if (to === '/documentation') {
    const n = notesNeedingAttention(counts);
    const alerts = counts.riskAlerts;
    const parts = [
      ...(alerts > 0
        ? [alerts === 1 ? '1 risk alert to acknowledge' : `${alerts} risk alerts to acknowledge`]
        : []),
      ...(n > 0 ? [n === 1 ? '1 note needs attention' : `${n} notes need attention`] : []),
    ];
    return <Badge count={n + alerts} label={parts.join(', ')} urgent={counts.overdue > 0 || alerts > 0} />;
  }
  if (to === '/cosign')
    return (
      <Badge
        count={counts.toCosign}
        label={counts.toCosign === 1 ? '1 note to co-sign' : `${counts.toCosign} notes to co-sign`}
        urgent={false}
      />
    );
  return null;
}
