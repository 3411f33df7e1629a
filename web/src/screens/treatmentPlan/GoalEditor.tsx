import type {
  GoalInstrument,
  GoalStatus,
  PlanContent,
  PlanGoal,
} from '../../../../src/domain/treatmentPlan.js';
import type { PlanClinician } from '../../api/treatmentPlanApi.js';
import { fieldId, SelectField, TextArea, TextField, type FieldErrors } from '../../components/fields.js';
import { ReorderControls } from '../templates/ReorderControls.js';
import { GOAL_STATUS_LABEL, INSTRUMENT_LABEL, INSTRUMENT_MAX, optionsOf } from './planLabels.js';
import { toggleGoalProblem } from './planDraft.js';
import { InterventionsEditor, NumberTextField, ObjectivesEditor } from './GoalPartsEditor.js';

const STATUS_OPTIONS = optionsOf(GOAL_STATUS_LABEL);
const INSTRUMENT_OPTIONS: { value: GoalInstrument | ''; label: string }[] = [
  { value: '', label: 'No standard measure' },
  ...optionsOf(INSTRUMENT_LABEL),
];

/** One goal: what, how it is measured, from where to where by when, with its objectives and interventions. */
export function GoalEditor({
  content,
  goal,
  index,
  count,
  errors,
  clinicians,
  defaultClinicianId,
  onChange,
  onMove,
  onRemove,
}: {
  content: PlanContent;
  goal: PlanGoal;
  index: number;
  count: number;
  errors: FieldErrors;
  clinicians: PlanClinician[];
  defaultClinicianId: string | null;
  onChange: (g: PlanGoal) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const at = `goals.${index}`;
  const set = (patch: Partial<PlanGoal>) => onChange({ ...goal, ...patch });
  const problemsError = errors[`${at}.problemIds`];
  return (
    <fieldset className="tp-item" id={`goal-${goal.id}`}>
      <legend>Goal {n}</legend>
      <ReorderControls
        uid={goal.id}
        noun="goal"
        index={index}
        count={count}
        removeName={`Remove goal ${n}`}
        groupLabel={`Arrange goal ${n}`}
        onMove={onMove}
        onRemove={onRemove}
      />
      <TextArea
        name={`${at}.statement`}
        label="Goal statement"
        rows={2}
        required
        value={goal.statement}
        errors={errors}
        hint="In the client's words where possible."
        onChange={(statement) => set({ statement })}
      />
      <fieldset
        className={`field${problemsError ? ' has-error' : ''}`}
        id={fieldId(`${at}.problemIds`)}
        tabIndex={-1}
      >
        <legend>Problems this goal addresses</legend>
        {problemsError ? <p className="field-error">{problemsError}</p> : null}
        {content.problems.length === 0 ? (
          <p className="hint">Add a problem above first.</p>
        ) : (
          content.problems.map((p, pi) => (
            <label className="choice" key={p.id}>
              <input
                type="checkbox"
                checked={goal.problemIds.includes(p.id)}
                onChange={(e) => onChange(toggleGoalProblem(content, goal, p.id, e.target.checked))}
              />
              Problem {pi + 1}
              {p.statement
                ? `: ${p.statement.length > 80 ? `${p.statement.slice(0, 80)}…` : p.statement}`
                : ''}
            </label>
          ))
        )}
      </fieldset>
      <div className="tp-grid">
        <TextField
          name={`${at}.measuredBy`}
          label="How it is measured"
          value={goal.measuredBy}
          errors={errors}
          onChange={(measuredBy) => set({ measuredBy })}
        />
        <TextField
          name={`${at}.baseline`}
          label="Baseline"
          value={goal.baseline}
          errors={errors}
          onChange={(baseline) => set({ baseline })}
        />
        <TextField
          name={`${at}.target`}
          label="Target"
          value={goal.target}
          errors={errors}
          onChange={(target) => set({ target })}
        />
        <TextField
          name={`${at}.targetDate`}
          label="Target date"
          type="date"
          required
          value={goal.targetDate ?? ''}
          errors={errors}
          onChange={(v) => set({ targetDate: v === '' ? null : v })}
        />
        <SelectField<GoalStatus>
          name={`${at}.status`}
          label="Status"
          required
          value={goal.status}
          options={STATUS_OPTIONS}
          errors={errors}
          onChange={(status) => set({ status })}
        />
      </div>
      <div className="tp-grid">
        <SelectField<GoalInstrument | ''>
          name={`${at}.measure.instrument`}
          label="Measured by a questionnaire"
          value={goal.measure?.instrument ?? ''}
          options={INSTRUMENT_OPTIONS}
          errors={errors}
          onChange={(v) =>
            set({
              measure: v === '' ? null : { instrument: v, below: goal.measure?.below ?? INSTRUMENT_MAX[v] },
            })
          }
        />
        {goal.measure ? (
          <NumberTextField
            key={goal.measure.instrument}
            name={`${at}.measure.below`}
            label={`Met when the ${INSTRUMENT_LABEL[goal.measure.instrument]} total is below`}
            required
            value={goal.measure.below}
            errors={errors}
            hint={`Totals run from 0 to ${INSTRUMENT_MAX[goal.measure.instrument]}.`}
            onChange={(below) => {
              if (goal.measure && below !== null) set({ measure: { ...goal.measure, below } });
            }}
          />
        ) : null}
      </div>
      <ObjectivesEditor goal={goal} at={at} goalNumber={n} errors={errors} onChange={onChange} />
      <InterventionsEditor
        goal={goal}
        at={at}
        goalNumber={n}
        errors={errors}
        clinicians={clinicians}
        defaultClinicianId={defaultClinicianId}
        onChange={onChange}
      />
    </fieldset>
  );
}
