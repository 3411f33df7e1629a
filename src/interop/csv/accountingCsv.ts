import { stringify } from 'csv-stringify/sync';

/** One disclosure as a CSV row; every value already formatted. */
export interface AccountingCsvRow {
  date: string;
  recipient: string;
  recipientContact: string;
  description: string;
  categories: string;
  purpose: string;
  basis: string;
  format: string;
  releasedBy: string;
  disclosureId: string;
}

const COLUMNS: { key: keyof AccountingCsvRow; header: string }[] = [
  { key: 'date', header: 'Date' },
  { key: 'recipient', header: 'Recipient' },
  { key: 'recipientContact', header: 'Recipient address or contact' },
  { key: 'description', header: 'Description' },
  { key: 'categories', header: 'Categories' },
  { key: 'purpose', header: 'Purpose' },
  { key: 'basis', header: 'Basis' },
  { key: 'format', header: 'Format' },
  { key: 'releasedBy', header: 'Released by' },
  { key: 'disclosureId', header: 'Disclosure id' },
];

/** A value a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection). */
function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The accounting of disclosures as CSV (RFC 4180, header row, CRLF). */
export function accountingCsv(rows: AccountingCsvRow[]): string {
  return stringify(
    rows.map((r) => COLUMNS.map((c) => neutralise(r[c.key]))),
    { header: true, columns: COLUMNS.map((c) => c.header), record_delimiter: 'windows' },
  );
}
