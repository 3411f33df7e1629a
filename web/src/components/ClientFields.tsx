import type { ClientFormValues, ContactValues, PhoneValues } from './clientFormValues.js';
import { CheckboxField, SelectField, TextArea, TextField, type FieldErrors } from './fields.js';

const SEX_OPTIONS = [
  { value: '', label: 'Not recorded' },
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'intersex', label: 'Intersex' },
  { value: 'unknown', label: 'Unknown' },
] as const;
const PHONE_KINDS = [
  { value: 'mobile', label: 'Mobile' },
  { value: 'home', label: 'Home' },
  { value: 'work', label: 'Work' },
  { value: 'other', label: 'Other' },
] as const;

/** The demographics and contacts fields shared by the new-client and edit forms. */
export function ClientFields({
  values,
  onChange,
  errors,
}: {
  values: ClientFormValues;
  onChange: (v: ClientFormValues) => void;
  errors: FieldErrors;
}) {
  const set = <K extends keyof ClientFormValues>(key: K, value: ClientFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const setPhone = (i: number, p: Partial<PhoneValues>) =>
    set(
      'phones',
      values.phones.map((x, j) => (j === i ? { ...x, ...p } : x)),
    );
  const setContact = (i: number, p: Partial<ContactValues>) =>
    set(
      'contacts',
      values.contacts.map((x, j) => (j === i ? { ...x, ...p } : x)),
    );
  const setAddress = (p: Partial<ClientFormValues['address']>) => set('address', { ...values.address, ...p });
  return (
    <>
      <fieldset>
        <legend>Name and identity</legend>
        <div className="field-row">
          <TextField
            name="legalFirstName"
            label="Legal first name"
            value={values.legalFirstName}
            onChange={(v) => set('legalFirstName', v)}
            errors={errors}
            required
            autoComplete="off"
          />
          <TextField
            name="legalLastName"
            label="Legal last name"
            value={values.legalLastName}
            onChange={(v) => set('legalLastName', v)}
            errors={errors}
            required
            autoComplete="off"
          />
        </div>
        <div className="field-row">
          <TextField
            name="preferredName"
            label="Preferred name"
            value={values.preferredName}
            onChange={(v) => set('preferredName', v)}
            errors={errors}
            autoComplete="off"
          />
          <TextField
            name="pronouns"
            label="Pronouns"
            value={values.pronouns}
            onChange={(v) => set('pronouns', v)}
            errors={errors}
            autoComplete="off"
            hint="For example she/her, they/them."
          />
        </div>
        <div className="field-row three">
          <TextField
            name="dateOfBirth"
            label="Date of birth"
            type="date"
            value={values.dateOfBirth}
            onChange={(v) => set('dateOfBirth', v)}
            errors={errors}
            required
            max={new Date().toISOString().slice(0, 10)}
          />
          <TextField
            name="genderIdentity"
            label="Gender identity"
            value={values.genderIdentity}
            onChange={(v) => set('genderIdentity', v)}
            errors={errors}
            autoComplete="off"
          />
          <SelectField
            name="sex"
            label="Sex"
            value={values.sex}
            onChange={(v) => set('sex', v)}
            options={SEX_OPTIONS}
            errors={errors}
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Contact details</legend>
        {values.phones.map((p, i) => (
          <div className="field-row phone-row" key={i}>
            <SelectField
              name={`phones.${i}.kind`}
              label={`Phone ${i + 1} type`}
              value={p.kind}
              onChange={(v) => setPhone(i, { kind: v })}
              options={PHONE_KINDS}
              errors={errors}
              required
            />
            <TextField
              name={`phones.${i}.number`}
              label={`Phone ${i + 1} number`}
              type="tel"
              value={p.number}
              onChange={(v) => setPhone(i, { number: v })}
              errors={errors}
              autoComplete="off"
            />
            <CheckboxField
              name={`phones.${i}.mayLeaveMessage`}
              label="May leave a message"
              checked={p.mayLeaveMessage}
              onChange={(v) => setPhone(i, { mayLeaveMessage: v })}
              errors={errors}
            />
            <button
              type="button"
              className="button link danger"
              onClick={() =>
                set(
                  'phones',
                  values.phones.filter((_, j) => j !== i),
                )
              }
            >
              Remove phone {i + 1}
            </button>
          </div>
        ))}
        {values.phones.length < 5 ? (
          <button
            type="button"
            className="button secondary small"
            onClick={() =>
              set('phones', [...values.phones, { kind: 'mobile', number: '', mayLeaveMessage: false }])
            }
          >
            Add a phone
          </button>
        ) : null}
        <div className="field-row">
          <TextField
            name="email"
            label="Email"
            type="email"
            value={values.email}
            onChange={(v) => set('email', v)}
            errors={errors}
            autoComplete="off"
          />
          <TextField
            name="preferredLanguage"
            label="Preferred language"
            value={values.preferredLanguage}
            onChange={(v) => set('preferredLanguage', v)}
            errors={errors}
            autoComplete="off"
          />
        </div>
        <TextField
          name="address.line1"
          label="Street address"
          value={values.address.line1}
          onChange={(v) => setAddress({ line1: v })}
          errors={errors}
          autoComplete="off"
        />
        <TextField
          name="address.line2"
          label="Address line 2"
          value={values.address.line2}
          onChange={(v) => setAddress({ line2: v })}
          errors={errors}
          autoComplete="off"
        />
        <div className="field-row three">
          <TextField
            name="address.city"
            label="City"
            value={values.address.city}
            onChange={(v) => setAddress({ city: v })}
            errors={errors}
            autoComplete="off"
          />
          <TextField
            name="address.state"
            label="State"
            value={values.address.state}
            onChange={(v) => setAddress({ state: v })}
            errors={errors}
            autoComplete="off"
          />
          <TextField
            name="address.postalCode"
            label="ZIP / postal code"
            value={values.address.postalCode}
            onChange={(v) => setAddress({ postalCode: v })}
            errors={errors}
            autoComplete="off"
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Intake</legend>
        <div className="field-row">
          <TextField
            name="intakeDate"
            label="Intake date"
            type="date"
            value={values.intakeDate}
            onChange={(v) => set('intakeDate', v)}
            errors={errors}
          />
          <TextField
            name="referralSource"
            label="Referral source"
            value={values.referralSource}
            onChange={(v) => set('referralSource', v)}
            errors={errors}
            autoComplete="off"
          />
        </div>
      </fieldset>

      <fieldset>
        <legend>Emergency and other contacts</legend>
        {values.contacts.length === 0 ? <p className="muted">No contacts yet.</p> : null}
        {values.contacts.map((k, i) => (
          <div className="contact-block" key={i} role="group" aria-label={`Contact ${i + 1}`}>
            <div className="field-row">
              <TextField
                name={`contacts.${i}.name`}
                label={`Contact ${i + 1} name`}
                value={k.name}
                onChange={(v) => setContact(i, { name: v })}
                errors={errors}
                required
                autoComplete="off"
              />
              <TextField
                name={`contacts.${i}.relationship`}
                label="Relationship"
                value={k.relationship}
                onChange={(v) => setContact(i, { relationship: v })}
                errors={errors}
                required
                autoComplete="off"
              />
            </div>
            <div className="field-row">
              <TextField
                name={`contacts.${i}.phone`}
                label="Phone"
                type="tel"
                value={k.phone}
                onChange={(v) => setContact(i, { phone: v })}
                errors={errors}
                autoComplete="off"
              />
              <TextField
                name={`contacts.${i}.email`}
                label="Email"
                type="email"
                value={k.email}
                onChange={(v) => setContact(i, { email: v })}
                errors={errors}
                autoComplete="off"
              />
            </div>
            <div className="field-row">
              <CheckboxField
                name={`contacts.${i}.isEmergency`}
                label="Emergency contact"
                checked={k.isEmergency}
                onChange={(v) => setContact(i, { isEmergency: v })}
                errors={errors}
              />
              <CheckboxField
                name={`contacts.${i}.mayContact`}
                label="Client agrees we may contact this person"
                checked={k.mayContact}
                onChange={(v) => setContact(i, { mayContact: v })}
                errors={errors}
              />
            </div>
            <TextArea
              name={`contacts.${i}.notes`}
              label="Notes about this contact"
              rows={2}
              value={k.notes}
              onChange={(v) => setContact(i, { notes: v })}
              errors={errors}
            />
            <button
              type="button"
              className="button link danger"
              onClick={() =>
                set(
                  'contacts',
                  values.contacts.filter((_, j) => j !== i),
                )
              }
            >
              Remove contact {i + 1}
            </button>
          </div>
        ))}
        {values.contacts.length < 20 ? (
          <button
            type="button"
            className="button secondary small"
            onClick={() =>
              set('contacts', [
                ...values.contacts,
                {
                  name: '',
                  relationship: '',
                  phone: '',
                  email: '',
                  isEmergency: values.contacts.length === 0,
                  mayContact: false,
                  notes: '',
                },
              ])
            }
          >
            Add a contact
          </button>
        ) : null}
      </fieldset>
    </>
  );
}
