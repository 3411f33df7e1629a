import { useState, type ReactNode } from 'react';
import type {
  GoalStatus,
  InterventionModality,
  PlanGoal,
  PlanIntervention,
  PlanObjective,
} from '../../../../src/domain/treatmentPlan.js';
import type { PlanClinician } from '../../api/treatmentPlanApi.js';
import { fieldId, SelectField, TextArea, TextField, type FieldErrors } from '../../components/fields.js';
import { ReorderControls } from '../templates/ReorderControls.js';
import { GOAL_STATUS_LABEL, MODALITY_LABEL, optionsOf } from './planLabels.js';
import { addInterventionName } from './planFindings.js';
import {
  moveItem,
  newIntervention,
  newObjective,
  removeAt,
  replaceAt,
  wholeNumberOrNull,
} from './planDraft.js';

const STATUS_OPTIONS = optionsOf(GOAL_STATUS_LABEL);
const MODALITY_OPTIONS = optionsOf(MODALITY_LABEL);

const focusSoon = (name: string) =>
  requestAnimationFrame(() => document.getElementById(fieldId(name))?.focus());

/** The steps toward one goal, each specific, measurable and dated. */
export function ObjectivesEditor({
  goal,
  at,
  goalNumber,
  errors,
  onChange,
}: {
  goal: PlanGoal;
  at: string;
  goalNumber: number;
  errors: FieldErrors;
  onChange: (g: PlanGoal) => void;
}) {
  const list = goal.objectives;
  const set = (objectives: PlanObjective[]) => onChange({ ...goal, objectives });
  return (
    <div className="tp-parts">
      <h3>Objectives for goal {goalNumber}</h3>
      {list.length === 0 ? <p className="tp-empty">No objectives yet.</p> : null}
      {list.map((o, i) => {
        const name = `${at}.objectives.${i}`;
        const label = `goal ${goalNumber}, objective ${i + 1}`;
        return (
          <fieldset className="tp-item tp-objective" key={o.id}>
            <legend>Objective {i + 1}</legend>
            <ReorderControls
              uid={o.id}
              noun={`objective of goal ${goalNumber},`}
              index={i}
              count={list.length}
              removeName={`Remove ${label}`}
              groupLabel={`Arrange objective ${i + 1}`}
              onMove={(by) => set(moveItem(list, i, by))}
              onRemove={() => set(removeAt(list, i))}
            />
            <TextArea
              name={`${name}.statement`}
              label="Objective"
              rows={2}
              required
              value={o.statement}
              errors={errors}
              onChange={(statement) => set(replaceAt(list, i, { ...o, statement }))}
            />
            <div className="tp-grid">
              <TextField
                name={`${name}.measure`}
                label="How it is measured"
                required
                value={o.measure}
                errors={errors}
                onChange={(measure) => set(replaceAt(list, i, { ...o, measure }))}
              />
              <TextField
                name={`${name}.targetDate`}
                label="Target date"
                type="date"
                required
                value={o.targetDate ?? ''}
                errors={errors}
                onChange={(v) => set(replaceAt(list, i, { ...o, targetDate: v === '' ? null : v }))}
              />
              <SelectField<GoalStatus>
                name={`${name}.status`}
                label="Status"
                required
                value={o.status}
                options={STATUS_OPTIONS}
                errors={errors}
                onChange={(status) => set(replaceAt(list, i, { ...o, status }))}
              />
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button secondary small"
        onClick={() => {
          set([...list, newObjective()]);
          focusSoon(`${at}.objectives.${list.length}.statement`);
        }}
      >
        Add an objective to goal {goalNumber}
      </button>
    </div>
  );
}

/** What the clinicians will do toward one goal, how often, and who is responsible. */
export function InterventionsEditor({
  goal,
  at,
  goalNumber,
  errors,
  clinicians,
  defaultClinicianId,
  onChange,
}: {
  goal: PlanGoal;
  at: string;
  goalNumber: number;
  errors: FieldErrors;
  clinicians: PlanClinician[];
  defaultClinicianId: string | null;
  onChange: (g: PlanGoal) => void;
}) {
  const list = goal.interventions;
  const set = (interventions: PlanIntervention[]) => onChange({ ...goal, interventions });
  return (
    <div className="tp-parts">
      <h3>Interventions for goal {goalNumber}</h3>
      {list.length === 0 ? <p className="tp-empty">No interventions yet.</p> : null}
      {list.map((v, i) => {
        const name = `${at}.interventions.${i}`;
        const known =
          v.responsibleClinicianId === null || clinicians.some((c) => c.id === v.responsibleClinicianId);
        const clinicianOptions = [
          { value: '', label: 'Not assigned' },
          ...(known ? [] : [{ value: v.responsibleClinicianId ?? '', label: 'A former clinician' }]),
          ...clinicians.map((c) => ({
            value: c.id,
            label: c.credentials ? `${c.name}, ${c.credentials}` : c.name,
          })),
        ];
        return (
          <fieldset className="tp-item tp-intervention" key={v.id}>
            <legend>Intervention {i + 1}</legend>
            <ReorderControls
              uid={v.id}
              noun={`intervention of goal ${goalNumber},`}
              index={i}
              count={list.length}
              removeName={`Remove goal ${goalNumber}, intervention ${i + 1}`}
              groupLabel={`Arrange intervention ${i + 1}`}
              onMove={(by) => set(moveItem(list, i, by))}
              onRemove={() => set(removeAt(list, i))}
            />
            <div className="tp-grid">
              <SelectField<InterventionModality>
                name={`${name}.modality`}
                label="Modality"
                required
                value={v.modality}
                options={MODALITY_OPTIONS}
                errors={errors}
                onChange={(modality) => set(replaceAt(list, i, { ...v, modality }))}
              />
              <TextField
                name={`${name}.frequency`}
                label="Frequency"
                required
                value={v.frequency}
                placeholder="e.g. weekly"
                errors={errors}
                onChange={(frequency) => set(replaceAt(list, i, { ...v, frequency }))}
              />
              <SelectField<string>
                name={`${name}.responsibleClinicianId`}
                label="Responsible clinician"
                value={v.responsibleClinicianId ?? ''}
                options={clinicianOptions}
                errors={errors}
                onChange={(id) =>
                  set(replaceAt(list, i, { ...v, responsibleClinicianId: id === '' ? null : id }))
                }
              />
            </div>
            <TextArea
              name={`${name}.description`}
              label="Description"
              rows={2}
              required
              value={v.description}
              errors={errors}
              onChange={(description) => set(replaceAt(list, i, { ...v, description }))}
            />
          </fieldset>
        );
      })}
      <AddButton
        name={addInterventionName(goalNumber - 1)}
        errors={errors}
        onClick={() => {
          set([...list, newIntervention(defaultClinicianId)]);
          focusSoon(`${at}.interventions.${list.length}.modality`);
        }}
      >
        Add an intervention to goal {goalNumber}
      </AddButton>
    </div>
  );
}

/** A whole number typed as text: the field keeps what is typed; the plan changes only on a valid number. */
export function NumberTextField({
  name,
  label,
  value,
  hint,
  errors,
  required,
  onChange,
}: {
  name: string;
  label: string;
  value: number | null;
  hint?: string;
  errors: FieldErrors;
  required?: boolean;
  onChange: (n: number | null) => void;
}) {
  const [text, setText] = useState(value === null ? '' : String(value));
  // Emptied by the user (not merely not filled in yet): the plan keeps its last number, so say so.
  const [emptied, setEmptied] = useState(false);
  const parsed = wholeNumberOrNull(text);
  const local =
    text.trim() !== '' && parsed === null
      ? 'Enter a whole number'
      : emptied && parsed === null && value !== null
        ? 'Enter a number'
        : null;
  return (
    <TextField
      name={name}
      label={label}
      inputMode="numeric"
      value={text}
      errors={local ? { ...errors, [name]: local } : errors}
      {...(hint ? { hint } : {})}
      {...(required ? { required } : {})}
      onChange={(t) => {
        setText(t);
        setEmptied(t.trim() === '');
        onChange(wholeNumberOrNull(t));
      }}
    />
  );
}

/** An "Add …" button that can carry a finding ("this goal has no intervention") and take focus for it. */
export function AddButton({
  name,
  errors,
  onClick,
  children,
  primary,
}: {
  name: string;
  errors: FieldErrors;
  onClick: () => void;
  children: ReactNode;
  primary?: boolean;
}) {
  const error = errors[name];
  const id = fieldId(name);
  return (
    <div className={`tp-add${error ? ' field has-error' : ''}`}>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <button
        type="button"
        id={id}
        className={`button ${primary ? 'secondary' : 'secondary small'}`}
        aria-describedby={error ? `${id}-error` : undefined}
        onClick={onClick}
      >
        {children}
      </button>
    </div>
  );
}
