import type { AmendmentView } from '../../api/recordRequestsApi.js';
import { formatDate } from '../../components/dateFormat.js';
import { Link } from '../../router.js';
import type { DecisionMode } from './AmendmentDialogs.js';
import { AMENDMENT_TARGET_LABELS, DENIAL_BASIS_LABELS, DueBadge, RequestStatus } from './requestLabels.js';

/**
 * One amendment request with its decision and the statements linked to it. Without handlers
 * (the note view) it is read only.
 */
export function AmendmentDetails({
  amendment: a,
  today,
  onAction,
  onExtend,
  headingLevel = 3,
}: {
  amendment: AmendmentView;
  today: string;
  onAction?: (mode: DecisionMode) => void;
  onExtend?: () => void;
  headingLevel?: 3 | 4;
}) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const hasDisagreement = a.statements.some((s) => s.kind === 'disagreement');
  return (
    <article className="request-card" aria-label={`Amendment request received ${formatDate(a.receivedOn)}`}>
      <H>
        {AMENDMENT_TARGET_LABELS[a.target.kind]} · received {formatDate(a.receivedOn)}{' '}
        <RequestStatus status={a.status} /> <DueBadge state={a.dueState} due={a.effectiveDueOn} />
      </H>
      {a.target.kind === 'note' && a.target.id && onAction ? (
        <p>
          <Link to={`/notes/${a.target.id}`}>Open the note</Link>
        </p>
      ) : null}
      <p className="request-text">
        <strong>Change requested:</strong> {a.change}
      </p>
      {a.reason ? (
        <p className="request-text">
          <strong>Client&rsquo;s reason:</strong> {a.reason}
        </p>
      ) : null}
      {a.extendedDueOn ? (
        <p className="muted">
          Extended from {formatDate(a.dueOn)} to {formatDate(a.extendedDueOn)}: {a.extensionReason}
        </p>
      ) : null}
      {a.status === 'accepted' ? (
        <p className="request-text">
          <strong>
            Accepted {formatDate(a.decidedOn)} by {a.decidedBy}:
          </strong>{' '}
          {a.addendumId ? 'a signed addendum was added to the note.' : a.correction}
        </p>
      ) : null}
      {a.status === 'denied' && a.denialBasis ? (
        <>
          <p>
            <strong>
              Denied {formatDate(a.decidedOn)} by {a.decidedBy}:
            </strong>{' '}
            {DENIAL_BASIS_LABELS[a.denialBasis]}
          </p>
          <p className="request-text">{a.denialText}</p>
        </>
      ) : null}
      {a.statements.length > 0 ? (
        <ul className="request-statements" aria-label="Statements">
          {a.statements.map((s) => (
            <li key={s.id} className="request-text">
              <strong>
                {s.kind === 'disagreement' ? 'Statement of disagreement' : 'Rebuttal'} (received{' '}
                {formatDate(s.receivedOn)}):
              </strong>{' '}
              {s.text}
            </li>
          ))}
        </ul>
      ) : null}
      {onAction ? (
        <div className="button-row">
          {a.status === 'open' ? (
            <>
              <button type="button" className="button primary" onClick={() => onAction('accept')}>
                Accept
              </button>
              <button type="button" className="button secondary" onClick={() => onAction('deny')}>
                Deny
              </button>
              {a.extendedDueOn === null && today <= a.dueOn && onExtend ? (
                <button type="button" className="button secondary" onClick={onExtend}>
                  Extend
                </button>
              ) : null}
            </>
          ) : null}
          {a.status === 'denied' ? (
            <button type="button" className="button secondary" onClick={() => onAction('statement')}>
              {hasDisagreement ? 'Add a statement or rebuttal' : 'Add statement of disagreement'}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
