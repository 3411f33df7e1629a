import type { Queryable } from './database.js';

export interface Phone {
  kind: 'mobile' | 'home' | 'work' | 'other';
  number: string;
  mayLeaveMessage: boolean;
}
export interface Address {
  line1: string;
  line2?: string | undefined;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export interface ClientRow {
  id: string;
  practice_id: string;
  client_code: string;
  legal_first_name: string;
  legal_last_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  date_of_birth: string;
  gender_identity: string | null;
  sex: 'female' | 'male' | 'intersex' | 'unknown' | null;
  phones: Phone[];
  email: string | null;
  address: Address | null;
  preferred_language: string | null;
  referral_source: string | null;
  intake_date: string | null;
  status: 'active' | 'inactive' | 'discharged';
  status_reason: string | null;
  primary_clinician_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface ContactRow {
  id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  is_emergency: boolean;
  may_contact: boolean;
  notes: string | null;
}

const COLUMNS = `id, practice_id, client_code, legal_first_name, legal_last_name, preferred_name, pronouns, date_of_birth,
  gender_identity, sex, phones, email, address, preferred_language, referral_source, intake_date, status, status_reason,
  primary_clinician_id, created_at, updated_at, version`;

export interface ClientFields {
  legal_first_name: string;
  legal_last_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  date_of_birth: string;
  gender_identity: string | null;
  sex: ClientRow['sex'];
  phones: Phone[];
  email: string | null;
  address: Address | null;
  preferred_language: string | null;
  referral_source: string | null;
  intake_date: string | null;
}

const FIELD_NAMES: (keyof ClientFields)[] = [
  'legal_first_name',
  'legal_last_name',
  'preferred_name',
  'pronouns',
  'date_of_birth',
  'gender_identity',
  'sex',
  'phones',
  'email',
  'address',
  'preferred_language',
  'referral_source',
  'intake_date',
];

export function phoneDigits(phones: Phone[]): string[] {
  return phones.map((p) => p.number.replace(/\D/g, '').slice(-10)).filter((d) => d.length >= 7);
}

function dbValue(k: keyof ClientFields, v: unknown): unknown {
  return k === 'phones' || k === 'address' ? (v === null ? null : JSON.stringify(v)) : v;
}

export async function insertClient(
  tx: Queryable,
  c: {
    id: string;
    practiceId: string;
    code: string;
    primaryClinicianId: string | null;
    fields: ClientFields;
  },
): Promise<ClientRow> {
  const values = FIELD_NAMES.map((k) => dbValue(k, c.fields[k]));
  const r = await tx.query<ClientRow>(
    `INSERT INTO clients (id, practice_id, client_code, primary_clinician_id, phone_digits, ${FIELD_NAMES.join(', ')})
     VALUES ($1,$2,$3,$4,$5, ${FIELD_NAMES.map((_, i) => `$${i + 6}`).join(', ')})
     ON CONFLICT (practice_id, client_code) DO NOTHING
     RETURNING ${COLUMNS}`,
    [c.id, c.practiceId, c.code, c.primaryClinicianId, phoneDigits(c.fields.phones), ...values],
  );
  const row = r.rows[0];
  if (!row) throw new ClientCodeTaken();
  return row;
}

export class ClientCodeTaken extends Error {}

/**
 * One client. `forWrite` locks the row until the transaction ends, so the access decision and
 * the write it allows cannot be split by a concurrent care-team change.
 */
export async function getClient(tx: Queryable, id: string, forWrite = false): Promise<ClientRow | undefined> {
  const r = await tx.query<ClientRow>(
    `SELECT ${COLUMNS} FROM clients WHERE id = $1${forWrite ? ' FOR NO KEY UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

/** Applies a demographic patch only if the version still matches (optimistic locking). */
export async function updateClient(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: Partial<ClientFields> & {
    status?: ClientRow['status'];
    status_reason?: string | null;
    primary_clinician_id?: string | null;
  },
): Promise<ClientRow | undefined> {
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  const params: unknown[] = [id, expectedVersion];
  const sets = keys.map((k) => {
    params.push(k in FIELD_NAMES_SET ? dbValue(k as keyof ClientFields, patch[k]) : patch[k]);
    return `${k} = $${params.length}`;
  });
  if (patch.phones) {
    params.push(phoneDigits(patch.phones));
    sets.push(`phone_digits = $${params.length}`);
  }
  const r = await tx.query<ClientRow>(
    `UPDATE clients SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return r.rows[0];
}
const FIELD_NAMES_SET = Object.fromEntries(FIELD_NAMES.map((k) => [k, true]));

export async function getContacts(tx: Queryable, clientId: string): Promise<ContactRow[]> {
  const r = await tx.query<ContactRow>(
    `SELECT id, name, relationship, phone, email, is_emergency, may_contact, notes
       FROM client_contacts WHERE client_id = $1 ORDER BY position`,
    [clientId],
  );
  return r.rows;
}

export async function replaceContacts(
  tx: Queryable,
  practiceId: string,
  clientId: string,
  contacts: (Omit<ContactRow, 'id'> & { id: string })[],
): Promise<void> {
  await tx.query('DELETE FROM client_contacts WHERE client_id = $1', [clientId]);
  let position = 0;
  for (const c of contacts) {
    await tx.query(
      `INSERT INTO client_contacts (id, practice_id, client_id, position, name, relationship, phone, email, is_emergency, may_contact, notes)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        c.id,
        practiceId,
        clientId,
        position++,
        c.name,
        c.relationship,
        c.phone,
        c.email,
        c.is_emergency,
        c.may_contact,
        c.notes,
      ],
    );
  }
}

export interface ListFilter {
  search?: string;
  status?: ClientRow['status'];
  clinicianId?: string;
  /** null = all clients of the practice; otherwise only clients on these users' care teams. */
  careTeamOf: string[] | null;
  /** Repeated beside row-level security so the planner can lead every index with it. */
  practiceId: string;
  sort: 'name' | 'created' | 'code' | 'dob';
  direction: 'asc' | 'desc';
  after?: { value: string; id: string };
  limit: number;
}

export interface ClientListRow extends ClientRow {
  sort_value: string;
  primary_clinician_name: string | null;
}

// Plain columns (each leads an index after practice_id), the text form a cursor carries, and the
// cast that turns it back, so a deep page is an index range scan.
const SORTS = {
  name: { column: 'c.name_sort', text: 'c.name_sort', cast: 'text' },
  created: {
    column: 'c.created_at',
    text: `to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    cast: 'timestamptz',
  },
  code: { column: 'c.client_code', text: 'c.client_code', cast: 'text' },
  dob: { column: 'c.date_of_birth', text: 'c.date_of_birth::text', cast: 'date' },
} as const;

/** The smallest string greater than every string starting with `prefix`. */
function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1) ?? 0;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

/** One page of clients by keyset (sort value, id). Search matches name prefix, code, date of birth or phone. */
export async function listClients(tx: Queryable, f: ListFilter): Promise<ClientListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  where.push(`c.practice_id = ${p(f.practiceId)}::uuid`);
  if (f.careTeamOf) {
    where.push(
      `EXISTS (SELECT 1 FROM care_team_members m WHERE m.client_id = c.id AND m.user_id = ANY(${p(f.careTeamOf)}::uuid[]))`,
    );
  }
  if (f.status) where.push(`c.status = ${p(f.status)}`);
  if (f.clinicianId) {
    where.push(
      `EXISTS (SELECT 1 FROM care_team_members m WHERE m.client_id = c.id AND m.user_id = ${p(f.clinicianId)}::uuid)`,
    );
  }
  const q = f.search?.trim();
  if (q) {
    const ors: string[] = [];
    if (/^c-[a-z0-9]{1,6}$/i.test(q)) ors.push(`c.client_code LIKE ${p(q.toUpperCase() + '%')}`);
    if (/^\d{4}-\d{2}-\d{2}$/.test(q)) ors.push(`c.date_of_birth = ${p(q)}::date`);
    const digits = q.replace(/\D/g, '');
    if (digits.length >= 7 && /^[\d\s()+.-]+$/.test(q))
      ors.push(`c.phone_digits @> ARRAY[${p(digits.slice(-10))}]::text[]`);
    const words = q
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => /\p{L}/u.test(w));
    if (words.length > 0) {
      ors.push(
        words
          .map((w) => {
            const from = p(w);
            const to = p(prefixEnd(w));
            const keys = ['c.last_name_key', 'c.first_name_key', 'c.preferred_name_key'];
            return `(${keys.map((k) => `(${k} ~>=~ ${from} AND ${k} ~<~ ${to})`).join(' OR ')})`;
          })
          .join(' AND '),
      );
    }
    if (ors.length === 0) return [];
    where.push(`(${ors.join(' OR ')})`);
  }
  const sort = SORTS[f.sort];
  const dir = f.direction === 'asc' ? 'ASC' : 'DESC';
  if (f.after)
    where.push(
      `(${sort.column}, c.id) ${f.direction === 'asc' ? '>' : '<'} (${p(f.after.value)}::${sort.cast}, ${p(f.after.id)}::uuid)`,
    );
  const limit = p(f.limit);
  const r = await tx.query<ClientListRow>(
    `SELECT ${COLUMNS.split(',')
      .map((s) => 'c.' + s.trim())
      .join(', ')}, ${sort.text} AS sort_value, u.full_name AS primary_clinician_name
       FROM clients c LEFT JOIN users u ON u.id = c.primary_clinician_id
      WHERE ${where.join(' AND ')}
      ORDER BY ${sort.column} ${dir}, c.id ${dir}
      LIMIT ${limit}`,
    params,
  );
  return r.rows;
}
