import type { PlanContent, ServicePlan } from '../../../../src/domain/treatmentPlan.js';
import { SelectField, TextArea, TextField, type FieldErrors } from '../../components/fields.js';
import { NumberTextField } from './GoalPartsEditor.js';

type ServiceTypeValue = NonNullable<ServicePlan['sessionType']>;

/** The service plan and the plan's narrative parts: strengths, barriers, discharge criteria. */
export function PlanDetailsEditor({
  content,
  serviceTypes,
  errors,
  onChange,
}: {
  content: PlanContent;
  serviceTypes: readonly { value: ServiceTypeValue; label: string }[];
  errors: FieldErrors;
  onChange: (next: PlanContent) => void;
}) {
  const sp = content.servicePlan;
  const setSp = (patch: Partial<ServicePlan>) => onChange({ ...content, servicePlan: { ...sp, ...patch } });
  return (
    <>
      <section className="panel" aria-labelledby="tp-service-title">
        <h2 id="tp-service-title">Service plan</h2>
        <div className="tp-grid">
          <SelectField<ServiceTypeValue | ''>
            name="servicePlan.sessionType"
            label="Session type"
            required
            value={sp.sessionType ?? ''}
            options={[{ value: '', label: 'Choose a session type' }, ...serviceTypes]}
            errors={errors}
            onChange={(v) => setSp({ sessionType: v === '' ? null : v })}
          />
          <NumberTextField
            name="servicePlan.minutes"
            label="Session length (minutes)"
            required
            value={sp.minutes}
            errors={errors}
            onChange={(minutes) => setSp({ minutes })}
          />
          <TextField
            name="servicePlan.frequency"
            label="How often"
            required
            placeholder="e.g. weekly"
            value={sp.frequency}
            errors={errors}
            onChange={(frequency) => setSp({ frequency })}
          />
          <TextField
            name="servicePlan.expectedDuration"
            label="Expected duration"
            required
            placeholder="e.g. 16 weeks"
            value={sp.expectedDuration}
            errors={errors}
            onChange={(expectedDuration) => setSp({ expectedDuration })}
          />
        </div>
      </section>
      <section className="panel" aria-labelledby="tp-context-title">
        <h2 id="tp-context-title">Strengths, barriers and discharge</h2>
        <TextArea
          name="strengths"
          label="Strengths"
          rows={3}
          value={content.strengths}
          errors={errors}
          onChange={(strengths) => onChange({ ...content, strengths })}
        />
        <TextArea
          name="barriers"
          label="Barriers"
          rows={3}
          value={content.barriers}
          errors={errors}
          onChange={(barriers) => onChange({ ...content, barriers })}
        />
        <TextArea
          name="dischargeCriteria"
          label="Discharge criteria"
          rows={3}
          required
          hint="When treatment will be complete."
          value={content.dischargeCriteria}
          errors={errors}
          onChange={(dischargeCriteria) => onChange({ ...content, dischargeCriteria })}
        />
      </section>
    </>
  );
}
