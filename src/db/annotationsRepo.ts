import type { Queryable } from './database.js';

// Dated notes drawn on a client's trend charts and timeline ("medication changed"). Rows are
// never deleted or edited; a trigger in 0003 lets an annotation be withdrawn once.

export interface AnnotationRow {
  id: string;
  practice_id: string;
  client_id: string;
  date: string;
  text_enc: Buffer;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  withdrawn_at: Date | null;
}

const SELECT = `SELECT a.id, a.practice_id, a.client_id, a.date::text AS date, a.text_enc, a.created_by,
       u.full_name AS created_by_name, a.created_at, a.withdrawn_at
  FROM chart_annotations a JOIN users u ON u.id = a.created_by`;

/** A client's live (not withdrawn) annotations, by date then in the order written. */
export async function annotationsOfClient(tx: Queryable, clientId: string): Promise<AnnotationRow[]> {
  const r = await tx.query<AnnotationRow>(
    `${SELECT}
      WHERE a.practice_id = current_practice_id() AND a.client_id = $1 AND a.withdrawn_at IS NULL
      ORDER BY a.date, a.id`,
    [clientId],
  );
  return r.rows;
}

export async function getAnnotation(tx: Queryable, id: string): Promise<AnnotationRow | undefined> {
  const r = await tx.query<AnnotationRow>(`${SELECT} WHERE a.id = $1`, [id]);
  return r.rows[0];
}

export async function insertAnnotation(
  tx: Queryable,
  a: {
    id: string;
    practiceId: string;
    clientId: string;
    date: string;
    textEnc: Buffer;
    createdBy: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO chart_annotations (id, practice_id, client_id, date, text_enc, created_by, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [a.id, a.practiceId, a.clientId, a.date, a.textEnc, a.createdBy, a.at],
  );
}

/** Withdraws a live annotation; false when it was already withdrawn. */
export async function withdrawAnnotation(
  tx: Queryable,
  id: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE chart_annotations SET withdrawn_by = $2, withdrawn_at = $3 WHERE id = $1 AND withdrawn_at IS NULL`,
    [id, userId, at],
  );
  return (r.rowCount ?? 0) > 0;
}
