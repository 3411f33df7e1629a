import type { Queryable } from './database.js';

// Goal ratings in notes (note_goal_ratings): one row per note per goal. The database refuses
// any change once the note is signed or awaits co-signature (trigger in 0007_goal_progress.sql).

export interface GoalRatingRow {
  practice_id: string;
  client_id: string;
  note_id: string;
  goal_id: string;
  plan_version_id: string;
  scale: 'five_point' | 'zero_to_ten';
  rating: number | null;
  comment_enc: Buffer | null;
  new_status: string | null;
  updated_at: Date;
}

/** A rating with the date of service of its note, for the trend. */
export interface RatedGoalRow extends GoalRatingRow {
  date_of_service: string;
  note_status: string;
}

const COLUMNS = `r.practice_id, r.client_id, r.note_id, r.goal_id, r.plan_version_id, r.scale, r.rating,
  r.comment_enc, r.new_status, r.updated_at`;

export async function ratingsOfNote(tx: Queryable, noteId: string): Promise<GoalRatingRow[]> {
  const r = await tx.query<GoalRatingRow>(
    `SELECT ${COLUMNS} FROM note_goal_ratings r WHERE r.note_id = $1 ORDER BY r.goal_id`,
    [noteId],
  );
  return r.rows;
}

export interface NewGoalRating {
  practiceId: string;
  clientId: string;
  noteId: string;
  goalId: string;
  planVersionId: string;
  scale: 'five_point' | 'zero_to_ten';
  rating: number | null;
  commentEnc: Buffer | null;
  newStatus: string | null;
}

/**
 * Makes the note's ratings exactly `ratings`: rows for goals no longer listed are deleted, the
 * rest written over. Two statements, whatever the number of goals.
 */
export async function replaceRatings(
  tx: Queryable,
  noteId: string,
  ratings: readonly NewGoalRating[],
): Promise<void> {
  await tx.query(`DELETE FROM note_goal_ratings WHERE note_id = $1 AND NOT (goal_id = ANY($2::uuid[]))`, [
    noteId,
    ratings.map((r) => r.goalId),
  ]);
  if (ratings.length === 0) return;
  await tx.query(
    `INSERT INTO note_goal_ratings (practice_id, client_id, note_id, goal_id, plan_version_id, scale, rating,
       comment_enc, new_status)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::smallint[],
       $8::bytea[], $9::text[])
     ON CONFLICT (note_id, goal_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id,
       scale = EXCLUDED.scale, rating = EXCLUDED.rating, comment_enc = EXCLUDED.comment_enc,
       new_status = EXCLUDED.new_status, updated_at = now()`,
    [
      ratings.map((r) => r.practiceId),
      ratings.map((r) => r.clientId),
      ratings.map((r) => r.noteId),
      ratings.map((r) => r.goalId),
      ratings.map((r) => r.planVersionId),
      ratings.map((r) => r.scale),
      ratings.map((r) => r.rating),
      ratings.map((r) => r.commentEnc),
      ratings.map((r) => r.newStatus),
    ],
  );
}

/**
 * Every rating of the client's goals in notes that are signed or awaiting co-signature (drafts
 * are their author's alone), oldest date of service first (index note_goal_ratings_client_idx).
 */
export async function signedRatingsOfClient(tx: Queryable, clientId: string): Promise<RatedGoalRow[]> {
  const r = await tx.query<RatedGoalRow>(
    `SELECT ${COLUMNS}, to_char(n.date_of_service, 'YYYY-MM-DD') AS date_of_service, n.status AS note_status
       FROM note_goal_ratings r JOIN notes n ON n.id = r.note_id
      WHERE r.client_id = $1 AND n.status IN ('signed', 'awaiting_cosign')
      ORDER BY n.date_of_service, n.signed_at, r.note_id`,
    [clientId],
  );
  return r.rows;
}
