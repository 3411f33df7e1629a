import type {
  RiskAssessmentFieldDef,
  RiskAssessmentValue,
  RiskLevel,
} from '../../../../src/domain/noteTemplates.js';
import { fieldId } from '../../components/fields.js';
import type { NoteOptions } from '../../api/notesApi.js';
import { FieldFrame, RequiredMark } from './FieldFrame.js';
import { isRiskRaised, riskOf } from './noteContent.js';
import type { FieldProps } from './SimpleFields.js';

function LevelGroup({
  name,
  label,
  value,
  levels,
  error,
  onChange,
}: {
  name: string;
  label: string;
  value: RiskLevel | null;
  levels: NoteOptions['riskLevels'];
  error: string | undefined;
  onChange: (v: RiskLevel) => void;
}) {
  const id = fieldId(name);
  return (
    <fieldset
      className={`risk-item${error ? ' has-error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{label}</legend>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="level-row">
        {levels.map((l) => (
          <label key={l.value} className={`level level-${l.value}`}>
            <input
              type="radio"
              name={name}
              value={l.value}
              checked={value === l.value}
              onChange={() => onChange(l.value)}
            />
            {l.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Suicidal and homicidal ideation and self-harm as assessed today, each on the same levels;
 * a safety plan becomes required, visibly, as soon as any level is above none.
 */
export function RiskAssessmentField(p: FieldProps<RiskAssessmentFieldDef> & { options: NoteOptions }) {
  const r = riskOf(p.value);
  const raised = isRiskRaised(r, p.options.riskItems);
  const set = (patch: Partial<RiskAssessmentValue>) => p.onChange({ ...r, ...patch });
  const planName = `${p.name}.safetyPlan`;
  const notesName = `${p.name}.notes`;
  return (
    <FieldFrame
      name={p.name}
      label={p.field.label}
      required={p.field.required}
      help={p.field.help}
      error={p.errors[p.name]}
      copied={p.copied}
      onConfirmCopied={p.onConfirmCopied}
      group
      className="risk-block"
    >
      {() => (
        <div onBlur={p.onBlur}>
          <div className="risk-grid">
            {p.options.riskItems.map((item) => (
              <LevelGroup
                key={item.value}
                name={`${p.name}.${item.value}`}
                label={item.label}
                value={r[item.value]}
                levels={p.options.riskLevels}
                error={p.errors[`${p.name}.${item.value}`]}
                onChange={(level) => set({ [item.value]: level })}
              />
            ))}
          </div>
          <div
            className={`field${p.errors[planName] ? ' has-error' : ''}${raised ? ' safety-plan-required' : ''}`}
          >
            <label htmlFor={fieldId(planName)}>
              Safety plan
              <RequiredMark required={raised} {...(raised ? { why: 'because a risk is above none' } : {})} />
            </label>
            <p className="hint" id={`${fieldId(planName)}-hint`}>
              {raised
                ? 'A risk is above none: document the safety plan agreed with the client before signing.'
                : 'Required when any risk is above none.'}
            </p>
            {p.errors[planName] ? (
              <p className="field-error" id={`${fieldId(planName)}-error`}>
                <span className="visually-hidden">Error: </span>
                {p.errors[planName]}
              </p>
            ) : null}
            <textarea
              id={fieldId(planName)}
              name={planName}
              rows={raised ? 5 : 3}
              value={r.safetyPlan}
              aria-required={raised ? true : undefined}
              aria-invalid={p.errors[planName] ? true : undefined}
              aria-describedby={[
                `${fieldId(planName)}-hint`,
                p.errors[planName] ? `${fieldId(planName)}-error` : null,
              ]
                .filter(Boolean)
                .join(' ')}
              onChange={(e) => set({ safetyPlan: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={fieldId(notesName)}>
              Risk notes <span className="optional">(optional)</span>
            </label>
            <textarea
              id={fieldId(notesName)}
              name={notesName}
              rows={3}
              value={r.notes}
              onChange={(e) => set({ notes: e.target.value })}
            />
          </div>
        </div>
      )}
    </FieldFrame>
  );
}
