import { forwardRef } from 'react';
import type { PlanContent } from '../../../../src/domain/treatmentPlan.js';
import type { PlanFindingView } from '../../api/treatmentPlanApi.js';
import { fieldId } from '../../components/fields.js';
import { fieldForFinding, findingsSummary } from './planFindings.js';

const RULE: Partial<Record<PlanFindingView['kind'], string>> = {
  not_measurable: 'Not measurable',
  not_time_bound: 'Not time-bound',
  not_tied_to_problem: 'Not tied to a problem',
  objective_not_measurable: 'Not measurable',
  objective_not_time_bound: 'Not time-bound',
  no_intervention: 'No intervention',
  problem_without_goal: 'Problem without a goal',
  service_plan_incomplete: 'Service plan incomplete',
  no_discharge_criteria: 'No discharge criteria',
  missing_statement: 'Missing text',
  empty_plan: 'Empty plan',
  no_goals: 'No goals',
};

function focusField(name: string): void {
  const el = document.getElementById(fieldId(name));
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
}

/**
 * The check before signing: each finding in plain words, linked to the field that fixes it.
 * A plan with findings cannot be signed (the server refuses it too).
 */
export const PlanCheckPanel = forwardRef<
  HTMLElement,
  { findings: readonly PlanFindingView[]; content: PlanContent; stale: boolean }
>(function PlanCheckPanel({ findings, content, stale }, ref) {
  const ok = findings.length === 0;
  return (
    <section
      className={`panel tp-check${ok ? ' tp-check-ok' : ''}`}
      aria-labelledby="tp-check-title"
      tabIndex={-1}
      ref={ref}
      data-testid="plan-check"
    >
      <h2 id="tp-check-title">Plan check</h2>
      <p>
        <strong>{findingsSummary(findings.length)}</strong>
        {stale ? <span className="muted"> The plan changed since this check: check it again.</span> : null}
      </p>
      {ok ? null : (
        <ul>
          {findings.map((f) => {
            const name = fieldForFinding(f.path, content);
            return (
              <li key={`${f.kind}|${f.path}`}>
                <span className="tp-finding-rule">{RULE[f.kind] ?? 'To fix'}:</span>{' '}
                <a
                  href={`#${fieldId(name)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    focusField(name);
                  }}
                >
                  {f.message}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
