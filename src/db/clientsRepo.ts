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

// ------------------------------------------------------------------ care team and relations

export async function careTeam(
  tx: Queryable,
  clientId: string,
): Promise<
  { user_id: string; full_name: string; credentials: string | null; roles: string[]; added_at: Date }[]
> {
  const r = await tx.query<{
    user_id: string;
    full_name: string;
    credentials: string | null;
    roles: string[];
    added_at: Date;
  }>(
    `SELECT m.user_id, u.full_name, u.credentials, u.roles, m.added_at
       FROM care_team_members m JOIN users u ON u.id = m.user_id
      WHERE m.client_id = $1 ORDER BY m.added_at`,
    [clientId],
  );
  return r.rows;
}

export async function addCareTeamMember(
  tx: Queryable,
  practiceId: string,
  clientId: string,
  userId: string,
): Promise<void> {
  await tx.query(
    'INSERT INTO care_team_members (practice_id, client_id, user_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING',
    [practiceId, clientId, userId],
  );
}

export async function removeCareTeamMember(tx: Queryable, clientId: string, userId: string): Promise<void> {
  await tx.query('DELETE FROM care_team_members WHERE client_id = $1 AND user_id = $2', [clientId, userId]);
}

/** The facts the access policy needs about one actor and one client, in one query. */
export async function clientRelation(tx: Queryable, clientId: string, userId: string) {
  const r = await tx.query<{
    on_team: boolean;
    is_primary: boolean;
    supervises: boolean;
    break_glass: boolean;
  }>(
    `SELECT
       EXISTS (SELECT 1 FROM care_team_members WHERE client_id = $1 AND user_id = $2) AS on_team,
       EXISTS (SELECT 1 FROM clients WHERE id = $1 AND primary_clinician_id = $2) AS is_primary,
       EXISTS (SELECT 1 FROM care_team_members m JOIN users u ON u.id = m.user_id
                WHERE m.client_id = $1 AND u.supervisor_id = $2) AS supervises,
       EXISTS (SELECT 1 FROM break_glass_grants WHERE client_id = $1 AND user_id = $2 AND expires_at > now()) AS break_glass`,
    [clientId, userId],
  );
  const row = r.rows[0];
  return {
    onCareTeam: row?.on_team ?? false,
    isPrimary: row?.is_primary ?? false,
    supervisesCareTeamMember: row?.supervises ?? false,
    breakGlassActive: row?.break_glass ?? false,
  };
}

// ------------------------------------------------------------------ keys and background

export async function insertClientKey(
  tx: Queryable,
  practiceId: string,
  clientId: string,
  wrapped: Buffer,
): Promise<void> {
  await tx.query('INSERT INTO client_keys (client_id, practice_id, wrapped_key) VALUES ($1,$2,$3)', [
    clientId,
    practiceId,
    wrapped,
  ]);
}

export async function getClientKey(tx: Queryable, clientId: string): Promise<Buffer | undefined> {
  const r = await tx.query<{ wrapped_key: Buffer }>(
    'SELECT wrapped_key FROM client_keys WHERE client_id = $1',
    [clientId],
  );
  return r.rows[0]?.wrapped_key;
}

export const BACKGROUND_FIELDS = [
  'presenting_concerns',
  'medical_history',
  'medications',
  'allergies',
  'prior_therapy',
  'psychiatric_history',
  'family_social_history',
  'substance_use',
] as const;
export type BackgroundField = (typeof BACKGROUND_FIELDS)[number];

export type BackgroundRow = { [K in BackgroundField]: Buffer | null } & {
  client_id: string;
  updated_at: Date;
  updated_by: string | null;
  version: number;
};

export async function getBackground(tx: Queryable, clientId: string): Promise<BackgroundRow | undefined> {
  const r = await tx.query<BackgroundRow>(
    `SELECT client_id, ${BACKGROUND_FIELDS.join(', ')}, updated_at, updated_by, version FROM client_backgrounds WHERE client_id = $1`,
    [clientId],
  );
  return r.rows[0];
}

export async function insertBackground(
  tx: Queryable,
  practiceId: string,
  clientId: string,
  userId: string | null,
): Promise<BackgroundRow> {
  const r = await tx.query<BackgroundRow>(
    `INSERT INTO client_backgrounds (client_id, practice_id, updated_by) VALUES ($1,$2,$3)
     RETURNING client_id, ${BACKGROUND_FIELDS.join(', ')}, updated_at, updated_by, version`,
    [clientId, practiceId, userId],
  );
  const row = r.rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function updateBackground(
  tx: Queryable,
  clientId: string,
  expectedVersion: number,
  userId: string,
  sealed: Partial<Record<BackgroundField, Buffer | null>>,
): Promise<BackgroundRow | undefined> {
  const keys = Object.keys(sealed) as BackgroundField[];
  const r = await tx.query<BackgroundRow>(
    `UPDATE client_backgrounds SET ${[...keys.map((k, i) => `${k} = $${i + 4}`), 'version = version + 1', 'updated_at = now()', 'updated_by = $3'].join(', ')}
      WHERE client_id = $1 AND version = $2
      RETURNING client_id, ${BACKGROUND_FIELDS.join(', ')}, updated_at, updated_by, version`,
    [clientId, expectedVersion, userId, ...keys.map((k) => sealed[k])],
  );
  return r.rows[0];
}

// ------------------------------------------------------------------ break-glass

export async function insertBreakGlass(
  tx: Queryable,
  g: { id: string; practiceId: string; clientId: string; userId: string; reason: string; minutes: number },
): Promise<{ expires_at: Date }> {
  const r = await tx.query<{ expires_at: Date }>(
    `INSERT INTO break_glass_grants (id, practice_id, client_id, user_id, reason, expires_at)
     VALUES ($1,$2,$3,$4,$5, now() + make_interval(mins => $6)) RETURNING expires_at`,
    [g.id, g.practiceId, g.clientId, g.userId, g.reason, g.minutes],
  );
  const row = r.rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

export interface BreakGlassRow {
  id: string;
  client_id: string;
  client_code: string;
  user_id: string;
  user_name: string;
  reason: string;
  created_at: Date;
  expires_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

const BREAK_GLASS_SELECT = `SELECT g.id, g.client_id, c.client_code, g.user_id, u.full_name AS user_name, g.reason,
            g.created_at, g.expires_at, g.reviewed_by, g.reviewed_at
       FROM break_glass_grants g JOIN clients c ON c.id = g.client_id JOIN users u ON u.id = g.user_id`;

export async function listBreakGlass(
  tx: Queryable,
  onlyUnreviewed: boolean,
  limit: number,
): Promise<BreakGlassRow[]> {
  const r = await tx.query<BreakGlassRow>(
    `${BREAK_GLASS_SELECT}
      WHERE ($1::boolean IS FALSE OR g.reviewed_at IS NULL)
      ORDER BY g.created_at DESC LIMIT $2`,
    [onlyUnreviewed, limit],
  );
  return r.rows;
}

export async function countUnreviewedBreakGlass(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM break_glass_grants WHERE reviewed_at IS NULL',
  );
  return r.rows[0]?.n ?? 0;
}

/** Marks one grant reviewed; undefined when there is no such unreviewed grant. */
export async function reviewBreakGlass(
  tx: Queryable,
  id: string,
  reviewerId: string,
): Promise<BreakGlassRow | undefined> {
  const r = await tx.query(
    'UPDATE break_glass_grants SET reviewed_by = $2, reviewed_at = now() WHERE id = $1 AND reviewed_at IS NULL',
    [id, reviewerId],
  );
  if (r.rowCount !== 1) return undefined;
  return (await tx.query<BreakGlassRow>(`${BREAK_GLASS_SELECT} WHERE g.id = $1`, [id])).rows[0];
}
