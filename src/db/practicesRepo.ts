import type { Queryable } from './database.js';

export interface PracticeRow {
  id: string;
  name: string;
  time_zone: string;
  kind: 'clinical' | 'coaching';
  idle_timeout_minutes: number;
  mfa_required: boolean;
  privacy_mode: boolean;
  admins_see_all_clients: boolean;
  break_glass_minutes: number;
  note_due_hours: number;
  note_reminder_hours: number;
  office_place_of_service: string;
  plan_review_days: number;
  version: number;
}

const COLUMNS =
  'id, name, time_zone, kind, idle_timeout_minutes, mfa_required, privacy_mode, admins_see_all_clients, break_glass_minutes, note_due_hours, note_reminder_hours, office_place_of_service, plan_review_days, version';

export async function practiceCount(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT practice_count() AS n');
  return r.rows[0]?.n ?? 0;
}

export async function insertPractice(
  tx: Queryable,
  p: { id: string; name: string; timeZone: string; kind: string },
) {
  await tx.query('INSERT INTO practices (id, name, time_zone, kind) VALUES ($1, $2, $3, $4)', [
    p.id,
    p.name,
    p.timeZone,
    p.kind,
  ]);
}

export async function getPractice(tx: Queryable, id: string): Promise<PracticeRow | undefined> {
  const r = await tx.query<PracticeRow>(`SELECT ${COLUMNS} FROM practices WHERE id = $1`, [id]);
  return r.rows[0];
}

export interface PracticeSettingsPatch {
  name?: string;
  time_zone?: string;
  kind?: 'clinical' | 'coaching';
  idle_timeout_minutes?: number;
  mfa_required?: boolean;
  privacy_mode?: boolean;
  admins_see_all_clients?: boolean;
  break_glass_minutes?: number;
  note_due_hours?: number;
  note_reminder_hours?: number;
  office_place_of_service?: string;
  plan_review_days?: number;
}

/** Updates only when the version still matches; returns the new row or undefined if stale. */
export async function updatePractice(
  tx: Queryable,
  id: string,
  expectedVersion: number,
  patch: PracticeSettingsPatch,
): Promise<PracticeRow | undefined> {
  const keys = Object.keys(patch) as (keyof PracticeSettingsPatch)[];
  const sets = keys.map((k, i) => `${k} = $${i + 3}`);
  const r = await tx.query<PracticeRow>(
    `UPDATE practices SET ${[...sets, 'version = version + 1'].join(', ')}
      WHERE id = $1 AND version = $2 RETURNING ${COLUMNS}`,
    [id, expectedVersion, ...keys.map((k) => patch[k])],
  );
  return r.rows[0];
}

/** Serialises concurrent set-up attempts, so only one first practice can ever be made. */
export async function lockPracticeSetup(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7310552902)');
}
