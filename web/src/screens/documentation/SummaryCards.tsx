import type { DocumentationDashboard } from '../../api/documentationApi.js';

type Counts = DocumentationDashboard['counts'];

interface Card {
  key: keyof Counts;
  label: string;
  /** How the card looks when its count is above zero. */
  tone: 'danger' | 'warning' | 'plain';
}

const CARDS: Card[] = [
  { key: 'riskAlerts', label: 'Risk alerts to acknowledge', tone: 'danger' },
  { key: 'overdue', label: 'Overdue', tone: 'danger' },
  { key: 'dueSoon', label: 'Due soon', tone: 'warning' },
  { key: 'needsNote', label: 'Needs a note', tone: 'plain' },
  { key: 'drafts', label: 'Drafts', tone: 'plain' },
  { key: 'returned', label: 'Returned by supervisor', tone: 'warning' },
  { key: 'awaitingCosign', label: 'Awaiting co-signature', tone: 'plain' },
  { key: 'toCosign', label: 'To co-sign', tone: 'plain' },
  { key: 'planReviewsOverdue', label: 'Plan reviews overdue', tone: 'danger' },
  { key: 'planReviewsDueSoon', label: 'Plan reviews due soon', tone: 'warning' },
];

/** The dashboard's counts at a glance; overdue and due-soon cards turn red and amber. */
export function SummaryCards({ counts, showToCosign }: { counts: Counts; showToCosign: boolean }) {
  return (
    <ul className="doc-summary" aria-label="Summary">
      {CARDS.filter(
        (c) => (c.key !== 'toCosign' || showToCosign) && (c.key !== 'riskAlerts' || counts.riskAlerts > 0),
      ).map((c) => {
        const n = counts[c.key];
        return (
          <li key={c.key} className={`doc-card${n > 0 && c.tone !== 'plain' ? ` doc-card-${c.tone}` : ''}`}>
            <span className="doc-card-count">{n}</span>
            <span className="doc-card-label">{c.label}</span>
          </li>
        );
      })}
    </ul>
  );
}
