import type { Queryable } from './database.js';

// The sessions a progress report lists. Measures, plans and diagnoses come from their own repositories.

export interface ReportSessionRow {
  session_id: string;
  starts_at: Date;
  service_type: string;
  attendance: string;
  clinician_name: string;
  actual_start: Date | null;
  actual_end: Date | null;
}

/** The most sessions one report lists; two years of twice-weekly sessions fit well inside it. */
export const REPORT_SESSION_LIMIT = 500;

/** One client's sessions starting in [from, to), oldest first (session_clients_client_idx). */
export async function sessionsForReport(
  tx: Queryable,
  q: { practiceId: string; clientId: string; from: Date; to: Date },
): Promise<ReportSessionRow[]> {
  const r = await tx.query<ReportSessionRow>(
    `SELECT sc.session_id, sc.starts_at, s.service_type, sc.attendance, u.full_name AS clinician_name,
            s.actual_start, s.actual_end
       FROM session_clients sc
       JOIN sessions s ON s.id = sc.session_id
       JOIN users u ON u.id = s.clinician_id
      WHERE sc.practice_id = $1 AND sc.client_id = $2 AND sc.starts_at >= $3 AND sc.starts_at < $4
      ORDER BY sc.starts_at, sc.session_id
      LIMIT $5`,
    [q.practiceId, q.clientId, q.from, q.to, REPORT_SESSION_LIMIT],
  );
  return r.rows;
}

/** How many of the client's sessions in [from, to) went each way; counts every session, even past the list limit. */
export async function attendanceForReport(
  tx: Queryable,
  q: { practiceId: string; clientId: string; from: Date; to: Date },
): Promise<{ attendance: string; n: number }[]> {
  const r = await tx.query<{ attendance: string; n: number }>(
    `SELECT sc.attendance, count(*)::int AS n
       FROM session_clients sc
      WHERE sc.practice_id = $1 AND sc.client_id = $2 AND sc.starts_at >= $3 AND sc.starts_at < $4
      GROUP BY sc.attendance`,
    [q.practiceId, q.clientId, q.from, q.to],
  );
  return r.rows;
}
