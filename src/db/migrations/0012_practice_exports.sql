-- Whole-practice export (issue 5 §8): one row per export job. Any Casebook process may run a
-- queued job: it claims the row with FOR UPDATE SKIP LOCKED (claim_practice_export below) and
-- keeps heartbeat_at fresh while it works, so a job whose process died is claimed again.
-- The archive itself is a file in the data folder (exports/<id>.zip, mode 0600); the row holds
-- only counts, sizes and the checksum, never client data.

CREATE TABLE practice_exports (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  requested_by uuid NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'expired')),
  clients_total int CHECK (clients_total >= 0),
  clients_done int NOT NULL DEFAULT 0 CHECK (clients_done >= 0),
  resources_written bigint NOT NULL DEFAULT 0 CHECK (resources_written >= 0),
  bytes_written bigint NOT NULL DEFAULT 0 CHECK (bytes_written >= 0),
  -- Hex SHA-256 of the finished zip, set with status 'done'.
  sha256 text CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
  attempts int NOT NULL DEFAULT 0,
  requested_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz,
  -- A short operator-facing reason (an error class, never client data).
  error text CHECK (error IS NULL OR length(error) <= 500),
  CHECK (status <> 'done' OR (sha256 IS NOT NULL AND finished_at IS NOT NULL AND expires_at IS NOT NULL))
);
-- The practice's list of exports, newest first.
CREATE INDEX practice_exports_list_idx ON practice_exports (practice_id, requested_at DESC, id DESC);
-- The runner's queue and housekeeping's expiry scan (across practices).
CREATE INDEX practice_exports_queue_idx ON practice_exports (requested_at)
  WHERE status IN ('queued', 'running');
CREATE INDEX practice_exports_expiry_idx ON practice_exports (expires_at) WHERE status = 'done';
-- At most one export in progress per practice: a second request is a 409.
CREATE UNIQUE INDEX practice_exports_one_active_idx ON practice_exports (practice_id)
  WHERE status IN ('queued', 'running');
-- The exporter pages through every client of the practice by id.
CREATE INDEX IF NOT EXISTS clients_practice_id_idx ON clients (practice_id, id);

-- Job rows are history: they change status, never disappear.
CREATE TRIGGER practice_exports_no_delete BEFORE DELETE ON practice_exports
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE practice_exports ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON practice_exports
  USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id());

-- Claims the oldest queued job (or a running one whose process stopped sending heartbeats)
-- of any practice; returns only ids. A job that has failed three claims is marked failed.
CREATE FUNCTION claim_practice_export(p_stale_seconds int)
  RETURNS TABLE (export_id uuid, export_practice_id uuid)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
BEGIN
  UPDATE practice_exports
     SET status = 'failed', finished_at = now(), error = 'The export stopped three times; start a new one.'
   WHERE status = 'running' AND attempts >= 3
     AND heartbeat_at < now() - make_interval(secs => p_stale_seconds);
  RETURN QUERY
    UPDATE practice_exports e
       SET status = 'running', attempts = e.attempts + 1, started_at = now(), heartbeat_at = now(),
           clients_done = 0, resources_written = 0, bytes_written = 0
     WHERE e.id = (
       SELECT q.id FROM practice_exports q
        WHERE q.status = 'queued'
           OR (q.status = 'running' AND q.heartbeat_at < now() - make_interval(secs => p_stale_seconds))
        ORDER BY q.requested_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING e.id, e.practice_id;
END $$;

-- Finished archives past their expiry, across practices (housekeeping deletes the files).
CREATE FUNCTION expired_practice_exports()
  RETURNS TABLE (export_id uuid, export_practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id, practice_id FROM practice_exports WHERE status = 'done' AND expires_at < now() $$;

REVOKE ALL ON practice_exports FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON practice_exports TO casebook_app;
REVOKE ALL ON FUNCTION claim_practice_export(int), expired_practice_exports() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_practice_export(int), expired_practice_exports() TO casebook_app;
