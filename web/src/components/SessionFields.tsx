import type { ReactNode } from 'react';
import type { Modality, ServiceType } from '../api/sessionsApi.js';
import { MODALITIES, MODALITY_LABELS, SERVICE_TYPES, SERVICE_TYPE_LABELS } from './sessionLabels.js';
import { ParticipantsField } from './ParticipantsField.js';
import { CheckboxField, SelectField, TextField, fieldId, type FieldErrors } from './fields.js';

/** The booked date, start and length as typed: strings, checked by the form that holds them. */
export interface SessionWhenValues {
  date: string;
  time: string;
  duration: string;
}

export interface SessionSettingValues {
  modality: Modality;
  clientAtHome: boolean;
  location: string;
  participants: string[];
}

const WHEN_INPUTS = [
  { name: 'date', type: 'date' },
  { name: 'time', type: 'time', step: 300 },
  { name: 'duration', type: 'number', inputMode: 'numeric', min: 5, max: 480 },
] as const;

const SERVICE_OPTIONS = SERVICE_TYPES.map((t) => ({ value: t, label: SERVICE_TYPE_LABELS[t] }));

/** The kind of session: it sets the usual length and, with the minutes, the CPT code. */
export function ServiceTypeField({
  value,
  onChange,
  errors,
  className,
}: {
  value: ServiceType;
  onChange: (v: ServiceType) => void;
  errors: FieldErrors;
  className?: string;
}) {
  return (
    <SelectField<ServiceType>
      name="serviceType"
      label="Service"
      value={value}
      onChange={onChange}
      options={SERVICE_OPTIONS}
      errors={errors}
      required
      className={className}
    />
  );
}

/**
 * Date, start time and length in minutes on one row, as booked. The booking form and the
 * session's details word the start and length differently, so the labels come from the caller.
 */
export function SessionWhenFields({
  value,
  onChange,
  errors,
  labels,
}: {
  value: SessionWhenValues;
  onChange: (next: SessionWhenValues) => void;
  errors: FieldErrors;
  labels: Record<keyof SessionWhenValues, string>;
}) {
  return (
    <div className="field-row three">
      {WHEN_INPUTS.map(({ name, ...input }) => (
        <TextField
          key={name}
          name={name}
          label={labels[name]}
          {...input}
          value={value[name]}
          onChange={(v) => onChange({ ...value, [name]: v })}
          errors={errors}
          required
        />
      ))}
    </div>
  );
}

/**
 * How and where a session happens and who else is there. `children` go between the location
 * and the others present (the session's details show the place of service there).
 */
export function SessionSettingFields({
  value,
  onChange,
  errors,
  modalityName,
  atHomeLabel,
  atHomeHint,
  locationHint,
  locationClassName,
  children,
}: {
  value: SessionSettingValues;
  onChange: (change: Partial<SessionSettingValues>) => void;
  errors: FieldErrors;
  /** Name of the radio group; the first radio gets its field id so an error can link to it. */
  modalityName: string;
  atHomeLabel: string;
  atHomeHint: string;
  locationHint?: string;
  locationClassName?: string;
  children?: ReactNode;
}) {
  const telehealth = value.modality !== 'in_person';
  return (
    <>
      <fieldset className="choice-group inline">
        <legend>How</legend>
        {MODALITIES.map((m, i) => (
          <label key={m} className="choice">
            <input
              type="radio"
              name={modalityName}
              id={i === 0 ? fieldId(modalityName) : undefined}
              value={m}
              checked={value.modality === m}
              onChange={() => onChange({ modality: m })}
            />
            {MODALITY_LABELS[m]}
          </label>
        ))}
      </fieldset>
      {telehealth ? (
        <CheckboxField
          name="clientAtHome"
          label={atHomeLabel}
          checked={value.clientAtHome}
          onChange={(clientAtHome) => onChange({ clientAtHome })}
          errors={errors}
          hint={atHomeHint}
        />
      ) : null}
      <TextField
        name="location"
        label={telehealth ? 'Video room or line' : 'Room or location'}
        value={value.location}
        onChange={(location) => onChange({ location })}
        errors={errors}
        maxLength={200}
        className={locationClassName}
        hint={locationHint}
      />
      {children}
      <ParticipantsField
        value={value.participants}
        onChange={(participants) => onChange({ participants })}
        error={errors.otherParticipants}
      />
    </>
  );
}
