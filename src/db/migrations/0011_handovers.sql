-- Hand-over within the practice (issue 5 §7): when a client's primary clinician changes, the
-- summary the new clinician reads (diagnoses, plan goals, recent sessions, latest measures, risk
-- flags, open items) is taken as a snapshot and kept as AES-256-GCM ciphertext made in the
-- application with the client's key (AAD handovers:<id>:summary), with the outgoing clinician's
-- optional note (AAD handovers:<id>:note). Never deleted; the only changes are the receiving
-- clinician's acknowledgement (once) and the mark that a later hand-over superseded an unread one.

CREATE TABLE handovers (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- The primary clinician before; null when the client had none.
  from_clinician_id uuid REFERENCES users(id),
  to_clinician_id uuid NOT NULL REFERENCES users(id),
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  summary_enc bytea NOT NULL,
  note_enc bytea,
  acknowledged_at timestamptz,
  -- A newer hand-over of the same client made while this one was unread.
  superseded_by uuid REFERENCES handovers(id),
  CHECK (from_clinician_id IS NULL OR from_clinician_id <> to_clinician_id),
  CHECK (acknowledged_at IS NULL OR superseded_by IS NULL)
);
-- Hand-over history of a client, newest first.
CREATE INDEX handovers_client_idx ON handovers (practice_id, client_id, created_at DESC, id DESC);
-- "Hand-overs to read" of one clinician.
CREATE INDEX handovers_pending_idx ON handovers (practice_id, to_clinician_id, created_at, id)
  WHERE acknowledged_at IS NULL AND superseded_by IS NULL;
CREATE INDEX handovers_from_idx ON handovers (from_clinician_id) WHERE from_clinician_id IS NOT NULL;
CREATE INDEX handovers_created_by_idx ON handovers (created_by);
CREATE INDEX handovers_superseded_by_idx ON handovers (superseded_by) WHERE superseded_by IS NOT NULL;

-- What was handed over never changes; an unread hand-over is acknowledged or superseded once.
CREATE FUNCTION handovers_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'hand-overs are never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.acknowledged_at IS NOT NULL OR OLD.superseded_by IS NOT NULL THEN
    RAISE EXCEPTION 'hand-over % is closed and cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.id, NEW.practice_id, NEW.client_id, NEW.from_clinician_id, NEW.to_clinician_id, NEW.created_by,
      NEW.created_at, NEW.summary_enc, NEW.note_enc)
     IS DISTINCT FROM
     (OLD.id, OLD.practice_id, OLD.client_id, OLD.from_clinician_id, OLD.to_clinician_id, OLD.created_by,
      OLD.created_at, OLD.summary_enc, OLD.note_enc) THEN
    RAISE EXCEPTION 'hand-over % keeps what was handed over', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER handovers_guard BEFORE UPDATE OR DELETE ON handovers
  FOR EACH ROW EXECUTE FUNCTION handovers_guard();
CREATE TRIGGER handovers_no_truncate BEFORE TRUNCATE ON handovers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- row-level security
ALTER TABLE handovers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON handovers USING (practice_id = current_practice_id())
  WITH CHECK (practice_id = current_practice_id());

REVOKE ALL ON handovers FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON handovers TO casebook_app;
