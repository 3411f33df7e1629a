import type { Queryable } from './database.js';

// Per-client data keys and the encrypted background (ciphertext in, ciphertext out).

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
