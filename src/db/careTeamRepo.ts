import type { Queryable } from './database.js';

// Care-team membership and the relation facts the access policy needs.

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
/**
 * The facts the access policy needs about one actor and one client, and the practice setting it
 * weighs them with, in one round trip.
 */
export async function accessFacts(tx: Queryable, clientId: string, userId: string) {
  const r = await tx.query<{
    on_team: boolean;
    is_primary: boolean;
    supervises: boolean;
    break_glass: boolean;
    admins_see_all: boolean;
  }>(
    `SELECT
       EXISTS (SELECT 1 FROM care_team_members WHERE client_id = $1 AND user_id = $2) AS on_team,
       EXISTS (SELECT 1 FROM clients WHERE id = $1 AND primary_clinician_id = $2) AS is_primary,
       EXISTS (SELECT 1 FROM care_team_members m JOIN users u ON u.id = m.user_id
                WHERE m.client_id = $1 AND u.supervisor_id = $2) AS supervises,
       EXISTS (SELECT 1 FROM break_glass_grants WHERE client_id = $1 AND user_id = $2 AND expires_at > now()) AS break_glass,
       coalesce((SELECT admins_see_all_clients FROM practices), false) AS admins_see_all`,
    [clientId, userId],
  );
  const row = r.rows[0];
  return {
    relation: {
      onCareTeam: row?.on_team ?? false,
      isPrimary: row?.is_primary ?? false,
      supervisesCareTeamMember: row?.supervises ?? false,
      breakGlassActive: row?.break_glass ?? false,
    },
    settings: { adminsSeeAllClients: row?.admins_see_all ?? false },
  };
}
