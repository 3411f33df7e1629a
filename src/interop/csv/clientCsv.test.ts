import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  candidateFromRow,
  CsvUnreadable,
  duplicatesWithinFile,
  fieldOfSchemaPath,
  mappingProblems,
  parseCsv,
  parseImportDate,
} from './clientCsv.js';
import { guessMapping, normaliseHeader } from './clientCsvFields.js';

describe('parseCsv', () => {
  it('reads quotes, a byte-order mark, CRLF and blank rows', () => {
    const csv = '\uFEFFFirst,"Last, name"\r\n"Ann","O""Neil, Jr"\r\n\r\n,\r\nBo,"two\r\nlines"\r\n';
    expect(parseCsv(csv)).toEqual({
      headers: ['First', 'Last, name'],
      rows: [
        ['Ann', 'O"Neil, Jr'],
        ['Bo', 'two\r\nlines'],
      ],
    });
  });
  it('pads short rows and cuts long ones to the header', () => {
    expect(parseCsv('a,b\n1\n1,2,3\n').rows).toEqual([
      ['1', ''],
      ['1', '2'],
    ]);
  });
  it('refuses unreadable or oversized files with CsvUnreadable only', () => {
    expect(() => parseCsv('')).toThrow(CsvUnreadable);
    expect(() => parseCsv('a\n"open')).toThrow(CsvUnreadable);
    expect(() => parseCsv('a\n' + '1\n'.repeat(2001))).toThrow(/more than 2000 rows/);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
          const r = parseCsv(s);
          return r.rows.every((row) => row.length === r.headers.length);
        } catch (err) {
          return err instanceof CsvUnreadable;
        }
      }),
    );
  });
});

describe('guessMapping', () => {
  it('matches synonyms whatever the case, spacing and punctuation; first column wins', () => {
    expect(normaliseHeader(' Date of Birth ')).toBe('dateofbirth');
    expect(
      guessMapping([
        'FIRST NAME',
        'surname',
        'D.O.B.',
        'e-mail',
        'Zip Code',
        'phone',
        'Cell',
        'Therapist',
        'Notes',
      ]),
    ).toEqual([
      'legalFirstName',
      'legalLastName',
      'dateOfBirth',
      'email',
      'postalCode',
      'mobilePhone',
      null,
      'primaryClinicianEmail',
      null,
    ]);
  });
});

describe('mappingProblems', () => {
  it('needs one choice per column, the required fields, and no field twice', () => {
    expect(mappingProblems(['a'], [])).toEqual([
      { path: 'mapping', message: 'Give one choice for each of the 1 columns' },
    ]);
    const p = mappingProblems(['a', 'b', 'c'], ['legalFirstName', 'legalFirstName', 'dateOfBirth']);
    expect(p.map((x) => x.path)).toEqual(['mapping.1', 'mapping']);
    expect(mappingProblems(['a', 'b', 'c'], ['legalFirstName', 'legalLastName', 'dateOfBirth'])).toEqual([]);
  });
});

describe('parseImportDate', () => {
  it('takes ISO and US dates that exist, nothing else', () => {
    expect(parseImportDate('1980-2-3')).toBe('1980-02-03');
    expect(parseImportDate('02/03/1980')).toBe('1980-02-03');
    expect(parseImportDate('2023-02-29')).toBeNull();
    expect(parseImportDate('13/01/1980')).toBeNull();
    expect(parseImportDate('1/2/80')).toBeNull();
    expect(parseImportDate('yesterday')).toBeNull();
  });
});

describe('candidateFromRow', () => {
  const mapping = [
    'legalFirstName',
    'legalLastName',
    'dateOfBirth',
    'sex',
    'homePhone',
    'workPhone',
    'city',
    'status',
    'clientCode',
    'primaryClinicianEmail',
  ] as const;
  it('builds the create-client body and normalises values for the preview', () => {
    const c = candidateFromRow(
      [
        'Ann',
        'Able',
        '3/4/1980',
        'F',
        '',
        '555 010 1234',
        'Austin',
        'Discharged',
        'c-abcdef',
        'Dr@Example.test',
      ],
      [...mapping],
      2,
    );
    expect(c.errors).toEqual([]);
    expect(c.body).toMatchObject({
      legalFirstName: 'Ann',
      dateOfBirth: '1980-03-04',
      sex: 'female',
      phones: [{ kind: 'work', number: '555 010 1234', mayLeaveMessage: false }],
      address: { line1: '', city: 'Austin', state: '', postalCode: '', country: 'US' },
    });
    expect(c).toMatchObject({
      status: 'discharged',
      clientCode: 'C-ABCDEF',
      primaryClinicianEmail: 'dr@example.test',
    });
    expect(c.values).toMatchObject({ dateOfBirth: '1980-03-04', sex: 'female' });
  });
  it('notes format problems per field', () => {
    const c = candidateFromRow(
      ['', 'B', '1980-13-01', 'q', '', '', '', 'gone', 'X1', 'not an email'],
      [...mapping],
      7,
    );
    expect(c.errors.map((e) => [e.row, e.field])).toEqual([
      [7, 'dateOfBirth'],
      [7, 'sex'],
      [7, 'status'],
      [7, 'clientCode'],
      [7, 'primaryClinicianEmail'],
    ]);
    expect(c.dateOfBirth).toBeNull();
  });
  it('maps schema paths back to the column the value came from', () => {
    expect(fieldOfSchemaPath(['phones', 1, 'number'], ['homePhone', 'workPhone'])).toBe('workPhone');
    expect(fieldOfSchemaPath(['address', 'line1'], [])).toBe('addressLine1');
    expect(fieldOfSchemaPath(['email'], [])).toBe('email');
    expect(fieldOfSchemaPath(['contacts'], [])).toBeNull();
  });
});

describe('duplicatesWithinFile', () => {
  it('marks later rows with the same name and birth date, and repeated codes', () => {
    const m = ['legalFirstName', 'legalLastName', 'dateOfBirth', 'clientCode'] as const;
    const rows = [
      candidateFromRow(['Ann', 'Able', '1980-01-01', 'C-ABCDEF'], [...m], 2),
      candidateFromRow(['ANN ', 'able', '01/01/1980', ''], [...m], 3),
      candidateFromRow(['Bo', 'Able', '1980-01-01', 'C-ABCDEF'], [...m], 4),
    ];
    expect(duplicatesWithinFile(rows)).toEqual([
      { row: 3, field: null, message: 'Same name and date of birth as row 2' },
      { row: 4, field: 'clientCode', message: 'Client code repeats row 2' },
    ]);
  });
});
