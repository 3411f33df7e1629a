-- Progress on each treatment-plan goal, rated in a progress or plan-review note: one row per
-- note per goal. The rating is a number on the scale the clinician chose (five-point 1..5 or
-- 0..10); the comment is AES-256-GCM ciphertext made with the client's key. A plan-review note
-- may also carry the goal's new status, applied to the plan when the note is signed.
-- Ratings are part of the note: once the note is signed or awaits co-signature the database
-- refuses any change to them, whoever holds the SQL prompt.

CREATE TABLE note_goal_ratings (
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- A discarded draft takes its ratings with it (the notes trigger refuses deleting anything signed).
  note_id uuid NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
  goal_id uuid NOT NULL,
  -- The signed plan version whose goals were rated: a plan changed since is detected, never merged.
  plan_version_id uuid NOT NULL REFERENCES treatment_plan_versions(id),
  scale text NOT NULL CHECK (scale IN ('five_point', 'zero_to_ten')),
  rating smallint,
  comment_enc bytea,
  new_status text CHECK (new_status IN ('proposed', 'active', 'achieved', 'partly_achieved', 'not_achieved',
                                        'discontinued')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (note_id, goal_id),
  CHECK (rating IS NULL
         OR (scale = 'five_point' AND rating BETWEEN 1 AND 5)
         OR (scale = 'zero_to_ten' AND rating BETWEEN 0 AND 10))
);
-- The goal trend: every rating of one client's goals.
CREATE INDEX note_goal_ratings_client_idx ON note_goal_ratings (practice_id, client_id, goal_id);
-- Checked when a plan draft is discarded (foreign key into treatment_plan_versions).
CREATE INDEX note_goal_ratings_plan_version_idx ON note_goal_ratings (plan_version_id);

CREATE FUNCTION note_goal_ratings_guard_signed() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  note_status text;
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.note_id, NEW.goal_id, NEW.client_id, NEW.practice_id)
       IS DISTINCT FROM (OLD.note_id, OLD.goal_id, OLD.client_id, OLD.practice_id) THEN
    RAISE EXCEPTION 'a goal rating keeps its note and goal' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  SELECT status INTO note_status FROM notes
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.note_id ELSE NEW.note_id END;
  -- No note row: the draft itself is being discarded (cascade), or the foreign key will refuse the insert.
  IF note_status IS NOT NULL AND note_status NOT IN ('draft', 'returned') THEN
    RAISE EXCEPTION 'the note has been signed; its goal ratings cannot change'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER note_goal_ratings_guard_signed BEFORE INSERT OR UPDATE OR DELETE ON note_goal_ratings
  FOR EACH ROW EXECUTE FUNCTION note_goal_ratings_guard_signed();

ALTER TABLE note_goal_ratings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON note_goal_ratings USING (practice_id = current_practice_id())
  WITH CHECK (practice_id = current_practice_id());

REVOKE ALL ON note_goal_ratings FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON note_goal_ratings TO casebook_app;
