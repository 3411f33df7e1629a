import { parse, CsvError } from 'csv-parse/sync';
import {
  CLIENT_IMPORT_FIELDS,
  IMPORT_FIELD_LABELS,
  REQUIRED_IMPORT_FIELDS,
  type ClientImportField,
} from './clientCsvFields.js';

export const MAX_CSV_CHARS = 1_000_000;
export const MAX_CSV_ROWS = 2000;
export const MAX_CSV_COLUMNS = 60;

export interface ParsedCsv {
  headers: string[];
  /** Data rows (the header excluded), each padded or cut to the header's width. */
  rows: string[][];
}

/** A CSV the parser cannot read, or one over the limits: nothing in it is imported. */
export class CsvUnreadable extends Error {}

/** Reads a CSV (quotes, BOM, CRLF) whose first row names the columns; blank rows are skipped. */
export function parseCsv(text: string): ParsedCsv {
  if (text.length > MAX_CSV_CHARS)
    throw new CsvUnreadable(`The file is larger than ${MAX_CSV_CHARS} characters`);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: 64_000,
    });
  } catch (err) {
    if (err instanceof CsvError) throw new CsvUnreadable(`The file is not a readable CSV: ${err.message}`);
    throw err;
  }
  const [header, ...rows] = records;
  if (!header) throw new CsvUnreadable('The file is empty');
  if (header.length > MAX_CSV_COLUMNS)
    throw new CsvUnreadable(`The file has more than ${MAX_CSV_COLUMNS} columns`);
  if (rows.length > MAX_CSV_ROWS) throw new CsvUnreadable(`The file has more than ${MAX_CSV_ROWS} rows`);
  const width = header.length;
  return {
    headers: header.map((h) => h.trim()),
    rows: rows.map((r) => Array.from({ length: width }, (_, i) => (r[i] ?? '').trim())),
  };
}

export type ColumnMapping = (ClientImportField | null)[];

/** Problems with the mapping itself (a field used twice, a required field missing). */
export function mappingProblems(
  headers: readonly string[],
  mapping: ColumnMapping,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (mapping.length !== headers.length)
    return [{ path: 'mapping', message: `Give one choice for each of the ${headers.length} columns` }];
  const seen = new Map<ClientImportField, number>();
  mapping.forEach((f, i) => {
    if (!f) return;
    if (seen.has(f))
      problems.push({
        path: `mapping.${i}`,
        message: `${IMPORT_FIELD_LABELS[f]} is already chosen for another column`,
      });
    else seen.set(f, i);
  });
  for (const f of REQUIRED_IMPORT_FIELDS)
    if (!seen.has(f))
      problems.push({ path: 'mapping', message: `Choose the column that holds ${IMPORT_FIELD_LABELS[f]}` });
  return problems;
}

export interface RowError {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** The field the problem is in, or null for a problem with the row as a whole. */
  field: ClientImportField | null;
  message: string;
}

/** What one row will become, before the practice's own facts (clinicians, existing clients) are checked. */
export interface CandidateRow {
  row: number;
  /** Each mapped field's value as it will be stored (dates normalised), for the preview. */
  values: Partial<Record<ClientImportField, string>>;
  /** The create-client body for this row (validated by the caller's schema). */
  body: Record<string, unknown>;
  /** The date of birth when it is a real date (ISO), else null. */
  dateOfBirth: string | null;
  clientCode: string | null;
  status: 'active' | 'inactive' | 'discharged';
  primaryClinicianEmail: string | null;
  errors: RowError[];
}

/** Accepts YYYY-MM-DD or US M/D/YYYY; returns the ISO date or null. */
export function parseImportDate(raw: string): string | null {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [y, m, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const SEX: Record<string, 'female' | 'male' | 'intersex' | 'unknown'> = {
  f: 'female',
  female: 'female',
  m: 'male',
  male: 'male',
  intersex: 'intersex',
  i: 'intersex',
  u: 'unknown',
  unknown: 'unknown',
};
const STATUS = new Set(['active', 'inactive', 'discharged']);
const CODE = /^C-[2-9A-HJKMNP-Z]{6}$/;
const PHONES: [ClientImportField, 'mobile' | 'home' | 'work'][] = [
  ['mobilePhone', 'mobile'],
  ['homePhone', 'home'],
  ['workPhone', 'work'],
];

/** Turns one CSV row into a create-client body plus import-only facts, noting format problems per field. */
export function candidateFromRow(
  cells: readonly string[],
  mapping: ColumnMapping,
  row: number,
): CandidateRow {
  const raw: Partial<Record<ClientImportField, string>> = {};
  mapping.forEach((f, i) => {
    if (f) raw[f] = cells[i] ?? '';
  });
  const v = (f: ClientImportField) => raw[f] ?? '';
  const errors: RowError[] = [];
  const values: Partial<Record<ClientImportField, string>> = { ...raw };
  const err = (field: ClientImportField, message: string) => errors.push({ row, field, message });

  const date = (f: ClientImportField): string | null => {
    if (!v(f)) return null;
    const d = parseImportDate(v(f));
    if (!d) err(f, 'Use a real date as YYYY-MM-DD or MM/DD/YYYY');
    else values[f] = d;
    return d;
  };
  const dob = date('dateOfBirth');
  if (!v('dateOfBirth')) err('dateOfBirth', 'Enter the date of birth');
  const intake = date('intakeDate');
  const sexRaw = v('sex').toLowerCase();
  const sex = sexRaw ? SEX[sexRaw] : null;
  if (sex === undefined) err('sex', 'Use female, male, intersex or unknown');
  else if (sex) values.sex = sex;
  const statusRaw = v('status').toLowerCase() || 'active';
  if (!STATUS.has(statusRaw)) err('status', 'Use active, inactive or discharged');
  const code = v('clientCode').toUpperCase() || null;
  if (code && !CODE.test(code))
    err(
      'clientCode',
      'A Casebook client code is C- and six letters or digits; leave the column unmapped to have codes made',
    );
  const clinician = v('primaryClinicianEmail').toLowerCase() || null;
  if (clinician && !/^[^\s@]+@[^\s@]+$/.test(clinician))
    err('primaryClinicianEmail', 'Enter the clinician’s email address');

  const phoneFields: ClientImportField[] = [];
  const phones = PHONES.filter(([f]) => v(f)).map(([f, kind]) => {
    phoneFields.push(f);
    return { kind, number: v(f), mayLeaveMessage: false };
  });
  const addressParts: ClientImportField[] = [
    'addressLine1',
    'addressLine2',
    'city',
    'state',
    'postalCode',
    'country',
  ];
  const address = addressParts.some((f) => v(f))
    ? {
        line1: v('addressLine1'),
        ...(v('addressLine2') ? { line2: v('addressLine2') } : {}),
        city: v('city'),
        state: v('state'),
        postalCode: v('postalCode'),
        country: (v('country') || 'US').toUpperCase(),
      }
    : null;

  const body: Record<string, unknown> = {
    legalFirstName: v('legalFirstName'),
    legalLastName: v('legalLastName'),
    preferredName: v('preferredName') || null,
    pronouns: v('pronouns') || null,
    // A date the format check refused is reported once, there; the schema sees a valid placeholder.
    dateOfBirth: dob ?? (v('dateOfBirth') ? '2000-01-01' : ''),
    genderIdentity: v('genderIdentity') || null,
    sex: sex ?? null,
    phones,
    email: v('email') || null,
    address,
    preferredLanguage: v('preferredLanguage') || null,
    referralSource: v('referralSource') || null,
    intakeDate: intake,
    contacts: [],
  };
  return {
    row,
    values,
    body,
    dateOfBirth: dob,
    clientCode: code && CODE.test(code) ? code : null,
    status: STATUS.has(statusRaw) ? (statusRaw as CandidateRow['status']) : 'active',
    primaryClinicianEmail: clinician,
    errors,
  };
}

const SCHEMA_PATH: Record<string, ClientImportField> = {
  'address.line1': 'addressLine1',
  'address.line2': 'addressLine2',
  'address.city': 'city',
  'address.state': 'state',
  'address.postalCode': 'postalCode',
  'address.country': 'country',
};

/** The CSV field a create-client schema error path points at (phones by their position in the row). */
export function fieldOfSchemaPath(
  path: readonly PropertyKey[],
  phoneFields: readonly ClientImportField[],
): ClientImportField | null {
  const [head, second] = path;
  if (head === 'phones' && typeof second === 'number') return phoneFields[second] ?? null;
  const key = path.map(String).join('.');
  if (SCHEMA_PATH[key]) return SCHEMA_PATH[key];
  return (CLIENT_IMPORT_FIELDS as readonly string[]).includes(String(head))
    ? (head as ClientImportField)
    : null;
}

/** Which CSV fields hold the row's phones, in the order the body lists them. */
export function phoneFieldsOf(c: CandidateRow): ClientImportField[] {
  return PHONES.filter(([f]) => c.values[f]).map(([f]) => f);
}

export const nameDobKey = (first: string, last: string, dob: string) =>
  `${first.trim().toLowerCase()}|${last.trim().toLowerCase()}|${dob}`;

/** Marks the second and later rows with the same name and date of birth, and repeated client codes. */
export function duplicatesWithinFile(rows: readonly CandidateRow[]): RowError[] {
  const firstSeen = new Map<string, number>();
  const codes = new Map<string, number>();
  const errors: RowError[] = [];
  for (const r of rows) {
    const dob = r.dateOfBirth ?? '';
    const key = nameDobKey(r.values.legalFirstName ?? '', r.values.legalLastName ?? '', dob);
    if (r.values.legalFirstName && r.values.legalLastName && dob) {
      const earlier = firstSeen.get(key);
      if (earlier !== undefined)
        errors.push({ row: r.row, field: null, message: `Same name and date of birth as row ${earlier}` });
      else firstSeen.set(key, r.row);
    }
    if (r.clientCode) {
      const earlier = codes.get(r.clientCode);
      if (earlier !== undefined)
        errors.push({ row: r.row, field: 'clientCode', message: `Client code repeats row ${earlier}` });
      else codes.set(r.clientCode, r.row);
    }
  }
  return errors;
}
