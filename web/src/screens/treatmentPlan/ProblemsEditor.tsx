import type { PlanContent, PlanProblem } from '../../../../src/domain/treatmentPlan.js';
import { fieldId, TextArea, type FieldErrors } from '../../components/fields.js';
import { useSession } from '../../session.js';
import { ReorderControls } from '../templates/ReorderControls.js';
import type { DiagnosisOption } from '../../api/treatmentPlanApi.js';
import { AddButton } from './GoalPartsEditor.js';
import { ADD_PROBLEM } from './planFindings.js';
import { DIAGNOSIS_STATUS_LABEL } from './planLabels.js';
import { moveItem, newProblem, removeProblem, replaceAt } from './planDraft.js';

/** The client's problems, each tied to entries of their diagnosis list. */
export function ProblemsEditor({
  content,
  diagnoses,
  errors,
  onChange,
}: {
  content: PlanContent;
  diagnoses: DiagnosisOption[];
  errors: FieldErrors;
  onChange: (next: PlanContent) => void;
}) {
  // A coaching practice keeps no diagnosis codes, so its problems link none.
  const coaching = useSession().me.practice.kind === 'coaching';
  const setProblem = (i: number, p: PlanProblem) =>
    onChange({ ...content, problems: replaceAt(content.problems, i, p) });
  const add = () => {
    const p = newProblem();
    onChange({ ...content, problems: [...content.problems, p] });
    requestAnimationFrame(() =>
      document.getElementById(fieldId(`problems.${content.problems.length}.statement`))?.focus(),
    );
  };
  return (
    <section className="panel" aria-labelledby="tp-problems-title">
      <h2 id="tp-problems-title">Problems</h2>
      <p className="hint">
        {coaching
          ? 'What brings the client to coaching, in their terms.'
          : 'What brings the client to treatment, in their terms, tied to their diagnoses.'}
      </p>
      {content.problems.length === 0 ? <p className="tp-empty">No problems yet.</p> : null}
      {content.problems.map((p, i) => {
        const n = i + 1;
        const known = new Set(diagnoses.map((d) => d.id));
        // An entry made in error is offered only while a problem still points at it, so it can be unlinked.
        const offered = diagnoses.filter(
          (d) => d.status !== 'entered_in_error' || p.diagnosisIds.includes(d.id),
        );
        const stale = p.diagnosisIds.filter((id) => !known.has(id));
        return (
          <fieldset className="tp-item" key={p.id} id={`problem-${p.id}`}>
            <legend>Problem {n}</legend>
            <ReorderControls
              uid={p.id}
              noun="problem"
              index={i}
              count={content.problems.length}
              removeName={`Remove problem ${n}`}
              groupLabel={`Arrange problem ${n}`}
              onMove={(by) => onChange({ ...content, problems: moveItem(content.problems, i, by) })}
              onRemove={() => onChange(removeProblem(content, i))}
            />
            <TextArea
              name={`problems.${i}.statement`}
              label="Problem statement"
              rows={2}
              required
              value={p.statement}
              errors={errors}
              onChange={(statement) => setProblem(i, { ...p, statement })}
            />
            {coaching ? null : (
              <fieldset
                className={`field${errors[`problems.${i}.diagnosisIds`] ? ' has-error' : ''}`}
                id={fieldId(`problems.${i}.diagnosisIds`)}
                tabIndex={-1}
              >
                <legend>Linked diagnoses</legend>
                {errors[`problems.${i}.diagnosisIds`] ? (
                  <p className="field-error">{errors[`problems.${i}.diagnosisIds`]}</p>
                ) : null}
                {offered.length === 0 ? (
                  <p className="hint">The client has no diagnoses on their list yet.</p>
                ) : (
                  offered.map((d) => (
                    <label className="choice" key={d.id}>
                      <input
                        type="checkbox"
                        checked={p.diagnosisIds.includes(d.id)}
                        onChange={(e) =>
                          setProblem(i, {
                            ...p,
                            diagnosisIds: e.target.checked
                              ? [...p.diagnosisIds, d.id]
                              : p.diagnosisIds.filter((x) => x !== d.id),
                          })
                        }
                      />
                      <code>{d.code}</code> {d.description}
                      {d.rank === 'primary' ? <span className="muted"> (primary)</span> : null}
                      {d.status !== 'active' ? (
                        <span className="muted"> ({DIAGNOSIS_STATUS_LABEL[d.status]})</span>
                      ) : null}
                    </label>
                  ))
                )}
                {stale.length > 0 ? (
                  <p className="hint">
                    {stale.length === 1 ? 'One linked diagnosis is' : `${stale.length} linked diagnoses are`}{' '}
                    no longer on the client&rsquo;s list.
                  </p>
                ) : null}
              </fieldset>
            )}
          </fieldset>
        );
      })}
      <AddButton name={ADD_PROBLEM} errors={errors} onClick={add} primary>
        Add a problem
      </AddButton>
    </section>
  );
}
