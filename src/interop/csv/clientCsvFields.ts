/**
 * The Casebook client fields a CSV column can be mapped to, with the header names (after
 * normalising case, spacing and punctuation) that suggest each one.
 */
export const CLIENT_IMPORT_FIELDS = [
  'legalFirstName',
  'legalLastName',
  'preferredName',
  'pronouns',
  'dateOfBirth',
  'sex',
  'genderIdentity',
  'mobilePhone',
  'homePhone',
  'workPhone',
  'email',
  'addressLine1',
  'addressLine2',
  'city',
  'state',
  'postalCode',
  'country',
  'preferredLanguage',
  'referralSource',
  'intakeDate',
  'clientCode',
  'primaryClinicianEmail',
  'status',
] as const;

export type ClientImportField = (typeof CLIENT_IMPORT_FIELDS)[number];

export const REQUIRED_IMPORT_FIELDS: readonly ClientImportField[] = [
  'legalFirstName',
  'legalLastName',
  'dateOfBirth',
];

export const IMPORT_FIELD_LABELS: Record<ClientImportField, string> = {
  legalFirstName: 'Legal first name',
  legalLastName: 'Legal last name',
  preferredName: 'Preferred name',
  pronouns: 'Pronouns',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  genderIdentity: 'Gender identity',
  mobilePhone: 'Mobile phone',
  homePhone: 'Home phone',
  workPhone: 'Work phone',
  email: 'Email',
  addressLine1: 'Street address',
  addressLine2: 'Address line 2',
  city: 'City',
  state: 'State',
  postalCode: 'ZIP / postal code',
  country: 'Country',
  preferredLanguage: 'Preferred language',
  referralSource: 'Referral source',
  intakeDate: 'Intake date',
  clientCode: 'Client code',
  primaryClinicianEmail: 'Primary clinician (email)',
  status: 'Status',
};

const SYNONYMS: Record<ClientImportField, string[]> = {
  legalFirstName: ['legalfirstname', 'firstname', 'first', 'givenname', 'forename', 'fname'],
  legalLastName: ['legallastname', 'lastname', 'last', 'surname', 'familyname', 'lname'],
  preferredName: ['preferredname', 'nickname', 'goesby', 'knownas', 'chosenname'],
  pronouns: ['pronouns', 'pronoun'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'born'],
  sex: ['sex', 'sexatbirth', 'birthsex', 'sexassignedatbirth'],
  genderIdentity: ['genderidentity', 'gender'],
  mobilePhone: ['mobilephone', 'mobile', 'cell', 'cellphone', 'phone', 'phonenumber', 'telephone', 'tel'],
  homePhone: ['homephone', 'home', 'homenumber'],
  workPhone: ['workphone', 'work', 'officephone', 'worknumber'],
  email: ['email', 'emailaddress', 'mail'],
  addressLine1: ['addressline1', 'address1', 'address', 'street', 'streetaddress', 'line1'],
  addressLine2: ['addressline2', 'address2', 'line2', 'apt', 'suite', 'unit'],
  city: ['city', 'town'],
  state: ['state', 'province', 'region', 'st'],
  postalCode: ['postalcode', 'zip', 'zipcode', 'postcode'],
  country: ['country', 'countrycode'],
  preferredLanguage: ['preferredlanguage', 'language', 'lang'],
  referralSource: ['referralsource', 'referral', 'referredby', 'source'],
  intakeDate: ['intakedate', 'intake', 'startdate', 'firstvisit'],
  clientCode: ['clientcode', 'code', 'clientid', 'casebookcode'],
  primaryClinicianEmail: [
    'primaryclinicianemail',
    'primaryclinician',
    'clinicianemail',
    'clinician',
    'therapist',
    'therapistemail',
    'provider',
    'provideremail',
  ],
  status: ['status', 'clientstatus'],
};

/** A header reduced to lower-case letters and digits, so "Date of Birth", "date_of_birth" and "DOB " compare. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const BY_SYNONYM = new Map<string, ClientImportField>(
  CLIENT_IMPORT_FIELDS.flatMap((f) => SYNONYMS[f].map((s) => [s, f] as const)),
);

/** Suggests a field for each column from its header; each field is suggested at most once (first column wins). */
export function guessMapping(headers: readonly string[]): (ClientImportField | null)[] {
  const taken = new Set<ClientImportField>();
  return headers.map((h) => {
    const f = BY_SYNONYM.get(normaliseHeader(h));
    if (!f || taken.has(f)) return null;
    taken.add(f);
    return f;
  });
}
