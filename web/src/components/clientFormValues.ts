import type { ClientRecord, ContactInput, Demographics, PhoneKind, Sex } from '../api/types.js';
import type { FieldErrors } from './fields.js';

export interface PhoneValues {
  kind: PhoneKind;
  number: string;
  mayLeaveMessage: boolean;
}
export interface ContactValues {
  name: string;
  relationship: string;
  phone: string;
  email: string;
  isEmergency: boolean;
  mayContact: boolean;
  notes: string;
}
export interface ClientFormValues {
  legalFirstName: string;
  legalLastName: string;
  preferredName: string;
  pronouns: string;
  dateOfBirth: string;
  genderIdentity: string;
  sex: Sex | '';
  phones: PhoneValues[];
  email: string;
  address: { line1: string; line2: string; city: string; state: string; postalCode: string; country: string };
  preferredLanguage: string;
  referralSource: string;
  intakeDate: string;
  contacts: ContactValues[];
}

export function emptyClientValues(): ClientFormValues {
  return {
    legalFirstName: '',
    legalLastName: '',
    preferredName: '',
    pronouns: '',
    dateOfBirth: '',
    genderIdentity: '',
    sex: '',
    phones: [{ kind: 'mobile', number: '', mayLeaveMessage: false }],
    email: '',
    address: { line1: '', line2: '', city: '', state: '', postalCode: '', country: 'US' },
    preferredLanguage: '',
    referralSource: '',
    intakeDate: '',
    contacts: [],
  };
}

export function valuesFromRecord(c: ClientRecord): ClientFormValues {
  return {
    legalFirstName: c.legalFirstName,
    legalLastName: c.legalLastName,
    preferredName: c.preferredName ?? '',
    pronouns: c.pronouns ?? '',
    dateOfBirth: c.dateOfBirth,
    genderIdentity: c.genderIdentity ?? '',
    sex: c.sex ?? '',
    phones: c.phones.map((p) => ({
      kind: (['mobile', 'home', 'work', 'other'].includes(p.kind) ? p.kind : 'other') as PhoneKind,
      number: p.number,
      mayLeaveMessage: p.mayLeaveMessage,
    })),
    email: c.email ?? '',
    address: {
      line1: c.address?.line1 ?? '',
      line2: c.address?.line2 ?? '',
      city: c.address?.city ?? '',
      state: c.address?.state ?? '',
      postalCode: c.address?.postalCode ?? '',
      country: c.address?.country ?? 'US',
    },
    preferredLanguage: c.preferredLanguage ?? '',
    referralSource: c.referralSource ?? '',
    intakeDate: c.intakeDate ?? '',
    contacts: c.contacts.map((k) => ({
      name: k.name,
      relationship: k.relationship,
      phone: k.phone ?? '',
      email: k.email ?? '',
      isEmergency: k.isEmergency,
      mayContact: k.mayContact,
      notes: k.notes ?? '',
    })),
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function demographicsFromValues(v: ClientFormValues): Demographics {
  const a = v.address;
  const hasAddress = [a.line1, a.line2, a.city, a.state, a.postalCode].some((x) => x.trim() !== '');
  return {
    legalFirstName: v.legalFirstName.trim(),
    legalLastName: v.legalLastName.trim(),
    preferredName: orNull(v.preferredName),
    pronouns: orNull(v.pronouns),
    dateOfBirth: v.dateOfBirth,
    genderIdentity: orNull(v.genderIdentity),
    sex: v.sex === '' ? null : v.sex,
    phones: v.phones
      .filter((p) => p.number.trim() !== '')
      .map((p) => ({ kind: p.kind, number: p.number.trim(), mayLeaveMessage: p.mayLeaveMessage })),
    email: orNull(v.email),
    address: hasAddress
      ? {
          line1: a.line1.trim(),
          ...(a.line2.trim() ? { line2: a.line2.trim() } : {}),
          city: a.city.trim(),
          state: a.state.trim(),
          postalCode: a.postalCode.trim(),
          country: a.country.trim() || 'US',
        }
      : null,
    preferredLanguage: orNull(v.preferredLanguage),
    referralSource: orNull(v.referralSource),
    intakeDate: orNull(v.intakeDate),
    contacts: v.contacts.map((k): ContactInput => ({
      name: k.name.trim(),
      relationship: k.relationship.trim(),
      phone: orNull(k.phone),
      email: orNull(k.email),
      isEmergency: k.isEmergency,
      mayContact: k.mayContact,
      notes: orNull(k.notes),
    })),
  };
}

/** Only the fields that differ from what was loaded, so the audit trail names real changes. */
export function changedDemographics(before: Demographics, after: Demographics): Partial<Demographics> {
  const changed = (Object.keys(after) as (keyof Demographics)[]).filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  return Object.fromEntries(changed.map((key) => [key, after[key]]));
}

export function checkClientValues(v: ClientFormValues): FieldErrors {
  const e: FieldErrors = {};
  if (!v.legalFirstName.trim()) e.legalFirstName = 'Enter the legal first name';
  if (!v.legalLastName.trim()) e.legalLastName = 'Enter the legal last name';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.dateOfBirth)) e.dateOfBirth = 'Enter the date of birth';
  v.contacts.forEach((k, i) => {
    if (!k.name.trim()) e[`contacts.${i}.name`] = 'Enter the contact name';
    if (!k.relationship.trim()) e[`contacts.${i}.relationship`] = 'Enter the relationship';
  });
  return e;
}

const FIELD_LABELS: Record<string, string> = {
  legalFirstName: 'Legal first name',
  legalLastName: 'Legal last name',
  preferredName: 'Preferred name',
  pronouns: 'Pronouns',
  dateOfBirth: 'Date of birth',
  genderIdentity: 'Gender identity',
  sex: 'Sex',
  email: 'Email',
  preferredLanguage: 'Preferred language',
  referralSource: 'Referral source',
  intakeDate: 'Intake date',
  phones: 'Phones',
  contacts: 'Contacts',
  address: 'Address',
  'address.line1': 'Street address',
  'address.city': 'City',
  'address.state': 'State',
  'address.postalCode': 'ZIP / postal code',
  primaryClinicianId: 'Primary clinician',
};

/** A readable name for an error path such as "phones.0.number" or "contacts.1.name". */
export function clientFieldLabel(path: string): string {
  const known = FIELD_LABELS[path];
  if (known) return known;
  const m = /^(phones|contacts)\.(\d+)\.(\w+)$/.exec(path);
  if (m)
    return `${m[1] === 'phones' ? 'Phone' : 'Contact'} ${Number(m[2]) + 1} ${m[3] === 'number' ? 'number' : (m[3] ?? '').replace(/([A-Z])/g, ' $1').toLowerCase()}`;
  return path;
}

export function clientErrorLabels(errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.keys(errors).map((k) => [k, clientFieldLabel(k)]));
}
