-- One-time links through which a client answers one questionnaire without signing in (issue 4 §4).
-- The token is 32 random bytes shown once in the link's URL fragment; only its SHA-256 is kept.

CREATE TABLE measure_links (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  instrument text NOT NULL CHECK (instrument IN ('phq9', 'gad7', 'pcl5')),
  token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '14 days'),
  CHECK (used_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX measure_links_client_idx ON measure_links (practice_id, client_id, created_at DESC, id DESC);

-- A link changes once, from open to used or to revoked; nothing else about it ever changes.
CREATE FUNCTION measure_links_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'questionnaire links are never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.used_at IS NOT NULL OR OLD.revoked_at IS NOT NULL
     OR NEW.id <> OLD.id OR NEW.practice_id <> OLD.practice_id OR NEW.client_id <> OLD.client_id
     OR NEW.instrument <> OLD.instrument OR NEW.token_hash <> OLD.token_hash OR NEW.expires_at <> OLD.expires_at
     OR NEW.created_by <> OLD.created_by OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'a questionnaire link changes only from open to used or revoked'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER measure_links_guard BEFORE UPDATE OR DELETE ON measure_links
  FOR EACH ROW EXECUTE FUNCTION measure_links_guard();

-- The public questionnaire page has no sign-in: find the token's practice before RLS applies.
CREATE FUNCTION measure_link_find(p_hash bytea) RETURNS TABLE (id uuid, practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT l.id, l.practice_id FROM measure_links l WHERE l.token_hash = p_hash $$;

-- The administration a link produced; at most one per link.
ALTER TABLE measure_administrations ADD COLUMN link_id uuid UNIQUE REFERENCES measure_links(id);
ALTER TABLE measure_administrations ADD CONSTRAINT measure_administrations_link_source
  CHECK (link_id IS NULL OR source = 'client_link');

ALTER TABLE measure_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON measure_links USING (practice_id = current_practice_id())
  WITH CHECK (practice_id = current_practice_id());
REVOKE ALL ON measure_links FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON measure_links TO casebook_app;
REVOKE ALL ON FUNCTION measure_link_find(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION measure_link_find(bytea) TO casebook_app;
