-- Clinical documentation: sessions, notes, addenda, co-signature, psychotherapy notes,
-- practice templates, calendar feeds. Narrative is AES-256-GCM ciphertext made in the
-- application; what stays in plain text is what billing, deadlines and calendars need.

CREATE EXTENSION IF NOT EXISTS btree_gin;

ALTER TABLE practices
  ADD COLUMN note_due_hours int NOT NULL DEFAULT 72 CHECK (note_due_hours BETWEEN 1 AND 336),
  ADD COLUMN note_reminder_hours int NOT NULL DEFAULT 24 CHECK (note_reminder_hours BETWEEN 0 AND 336),
  ADD COLUMN office_place_of_service text NOT NULL DEFAULT '11' CHECK (office_place_of_service ~ '^[0-9]{2}$'),
  ADD CONSTRAINT practices_reminder_within_deadline CHECK (note_reminder_hours <= note_due_hours);

-- The user id of the signed-in person, set per transaction where a rule depends on it.
CREATE FUNCTION current_user_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('casebook.user_id', true), '')::uuid $$;

-- ---------------------------------------------------------------- sessions
CREATE TABLE session_series (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  clinician_id uuid NOT NULL REFERENCES users(id),
  recurrence text NOT NULL CHECK (recurrence IN ('weekly', 'every_other_week')),
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  clinician_id uuid NOT NULL REFERENCES users(id),
  series_id uuid REFERENCES session_series(id),
  service_type text NOT NULL CHECK (service_type IN ('intake_assessment', 'individual', 'couples',
    'family_with_client', 'family_without_client', 'group', 'crisis', 'collateral_contact', 'phone_checkin')),
  scheduled_start timestamptz NOT NULL,
  scheduled_end timestamptz NOT NULL,
  actual_start timestamptz,
  actual_end timestamptz,
  modality text NOT NULL CHECK (modality IN ('in_person', 'video', 'phone')),
  location text,
  client_at_home boolean NOT NULL DEFAULT false,
  place_of_service text NOT NULL CHECK (place_of_service ~ '^[0-9]{2}$'),
  -- People other than clients (e.g. "mother", "interpreter"), described by role.
  other_participants text[] NOT NULL DEFAULT '{}',
  interactive_complexity boolean NOT NULL DEFAULT false,
  cpt_override jsonb,
  cpt_override_reason text,
  cancelled_at timestamptz,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK (scheduled_end > scheduled_start),
  CHECK (actual_start IS NULL OR actual_end IS NULL OR actual_end > actual_start),
  CHECK (cpt_override IS NULL OR length(coalesce(cpt_override_reason, '')) >= 3)
);
CREATE INDEX sessions_clinician_time_idx ON sessions (practice_id, clinician_id, scheduled_start);
CREATE INDEX sessions_time_idx ON sessions (practice_id, scheduled_start);
CREATE INDEX sessions_series_idx ON sessions (practice_id, series_id, scheduled_start) WHERE series_id IS NOT NULL;

-- One row per client in a session: a group session has one per member. Attendance, the note
-- deadline and the note's state are per member; start time and clinician are copied here so
-- the dashboard and the chart read one index.
CREATE TABLE session_clients (
  practice_id uuid NOT NULL REFERENCES practices(id),
  session_id uuid NOT NULL REFERENCES sessions(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  clinician_id uuid NOT NULL REFERENCES users(id),
  starts_at timestamptz NOT NULL,
  attendance text NOT NULL DEFAULT 'scheduled' CHECK (attendance IN ('scheduled', 'attended', 'no_show',
    'late_cancel', 'cancelled_client', 'cancelled_clinician')),
  cancellation_reason text,
  note_due_at timestamptz,
  note_state text NOT NULL DEFAULT 'none' CHECK (note_state IN ('none', 'draft', 'awaiting_cosign', 'returned', 'signed')),
  PRIMARY KEY (session_id, client_id)
);
CREATE INDEX session_clients_client_idx ON session_clients (practice_id, client_id, starts_at DESC);
CREATE INDEX session_clients_needing_note_idx ON session_clients (practice_id, clinician_id, note_due_at)
  WHERE note_state <> 'signed' AND note_state <> 'awaiting_cosign' AND attendance IN ('attended', 'no_show', 'late_cancel');

-- ---------------------------------------------------------------- templates
CREATE TABLE note_templates (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  name text NOT NULL,
  kind text NOT NULL,
  format text,
  current_version int NOT NULL DEFAULT 1,
  archived boolean NOT NULL DEFAULT false,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX note_templates_practice_idx ON note_templates (practice_id, name);

-- Each saved change is a new version; a note keeps the version it was written with.
CREATE TABLE note_template_versions (
  practice_id uuid NOT NULL REFERENCES practices(id),
  template_id uuid NOT NULL REFERENCES note_templates(id),
  version int NOT NULL,
  definition jsonb NOT NULL,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_id, version)
);

-- ---------------------------------------------------------------- notes
CREATE TABLE notes (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  session_id uuid REFERENCES sessions(id),
  author_id uuid NOT NULL REFERENCES users(id),
  -- The client's primary clinician, kept current when it changes: the caseload a search walks
  -- (see search_note_ids). Not part of the signed content.
  caseload_id uuid NOT NULL REFERENCES users(id),
  kind text NOT NULL CHECK (kind IN ('progress', 'intake', 'plan_review', 'contact', 'crisis', 'discharge')),
  format text CHECK (format IN ('soap', 'dap', 'birp', 'girp', 'pirp', 'narrative')),
  template_key text NOT NULL,
  template_version int NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'awaiting_cosign', 'returned', 'signed')),
  date_of_service date NOT NULL,
  -- Start, end, minutes, modality, location, place of service, participants, CPT: facts, not narrative.
  session_facts jsonb NOT NULL DEFAULT '{}',
  diagnosis_codes text[] NOT NULL DEFAULT '{}',
  content_enc bytea,
  copied_fields text[] NOT NULL DEFAULT '{}',
  search_tokens bigint[] NOT NULL DEFAULT '{}',
  due_at timestamptz,
  requires_cosign boolean NOT NULL DEFAULT false,
  cosigner_id uuid REFERENCES users(id),
  signed_at timestamptz,
  signed_by uuid REFERENCES users(id),
  signer_name text,
  signer_credentials text,
  signer_license text,
  content_hash text,
  late_entry boolean NOT NULL DEFAULT false,
  cosigned_at timestamptz,
  cosigned_by uuid REFERENCES users(id),
  cosigner_name text,
  cosigner_credentials text,
  cosigner_license text,
  returned_at timestamptz,
  returned_by uuid REFERENCES users(id),
  return_comments_enc bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK (status IN ('draft', 'returned') OR (signed_at IS NOT NULL AND content_hash IS NOT NULL)),
  CHECK (status <> 'signed' OR NOT requires_cosign OR cosigned_at IS NOT NULL)
);
CREATE INDEX notes_client_idx ON notes (practice_id, client_id, date_of_service DESC, id);
CREATE INDEX notes_author_idx ON notes (practice_id, author_id, status, date_of_service DESC);
CREATE INDEX notes_cosign_idx ON notes (practice_id, cosigner_id, signed_at) WHERE status = 'awaiting_cosign';
CREATE UNIQUE INDEX notes_session_client_key ON notes (session_id, client_id) WHERE session_id IS NOT NULL;
CREATE INDEX notes_date_idx ON notes (practice_id, date_of_service DESC, id DESC);
-- The words of each caseload's notes; a GIN index can also be searched on its second column
-- alone, so this one serves practice-wide word searches too (one token index, not two).
CREATE INDEX notes_caseload_search_idx ON notes USING gin (caseload_id, search_tokens);
CREATE INDEX notes_caseload_date_idx ON notes (caseload_id, date_of_service DESC, id DESC);

-- Note search. Under row-level security PostgreSQL will not use an index for `@>` (array
-- containment is not leakproof), so every word search would read every note row by row. This
-- function runs as the table owner and applies the tenant rule itself — the practice is the
-- transaction's, never a parameter — so the planner may use the token index. Dynamic SQL plans
-- each search with its actual words: a generic plan cannot know how common a word is.
CREATE FUNCTION search_note_ids(p_reader uuid, p_caseload uuid, p_clients uuid[], p_from date, p_to date,
    p_kinds text[], p_tokens bigint[], p_after_date date, p_after_id uuid, p_limit int)
  RETURNS TABLE (id uuid, date_of_service date)
  -- A page: telling the planner so keeps the joins that follow on their primary keys.
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER ROWS 51 SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_practice uuid := current_practice_id();
  v_indexscan text := current_setting('enable_indexscan');
  f text := ' AND (n.status IN (''signed'', ''awaiting_cosign'') OR n.author_id = $2)';
  q text;
BEGIN
  IF v_practice IS NULL OR p_limit IS NULL OR p_limit < 1 THEN RETURN; END IF;
  IF p_from IS NOT NULL THEN f := f || ' AND n.date_of_service >= $4'; END IF;
  IF p_to IS NOT NULL THEN f := f || ' AND n.date_of_service <= $5'; END IF;
  IF p_kinds IS NOT NULL THEN f := f || ' AND n.kind = ANY($6)'; END IF;
  IF cardinality(p_tokens) > 0 THEN f := f || ' AND n.search_tokens @> $7'; END IF;
  IF p_after_date IS NOT NULL THEN f := f || ' AND (n.date_of_service, n.id) < ($8, $9)'; END IF;
  IF p_caseload IS NULL THEN
    q := 'SELECT n.id, n.date_of_service FROM notes n WHERE n.practice_id = $1'
      || CASE WHEN p_clients IS NOT NULL THEN ' AND n.client_id = ANY($3)' ELSE '' END || f
      || ' ORDER BY n.date_of_service DESC, n.id DESC LIMIT $10';
  ELSE
    -- A clinician reads their own caseload (one index, newest first, so a common word stops
    -- after a page) plus the few other clients they may read (co-treated, supervisees',
    -- emergency access), passed as p_clients.
    -- (The tenant check is written so no index can serve it: `practice_id = $1` would tempt the
    -- planner into the practice-wide date index instead of the caseload's.)
    q := 'SELECT n.id, n.date_of_service FROM notes n WHERE n.caseload_id = $11'
      || ' AND n.practice_id IS NOT DISTINCT FROM $1' || f
      || ' ORDER BY n.date_of_service DESC, n.id DESC LIMIT $10';
    IF cardinality(p_clients) > 0 THEN
      q := 'SELECT * FROM ((' || q || ') UNION ALL (SELECT n.id, n.date_of_service FROM notes n'
        || ' WHERE n.practice_id = $1 AND n.client_id = ANY($3) AND n.caseload_id <> $11' || f
        || ' ORDER BY n.date_of_service DESC, n.id DESC LIMIT $10)) s ORDER BY s.date_of_service DESC, s.id DESC LIMIT $10';
    END IF;
  END IF;
  -- Words and a date range together: combining the token and date indexes (a bitmap AND) beats
  -- walking the dates newest first and testing every note's words, however common the words.
  IF cardinality(p_tokens) > 0 AND (p_from IS NOT NULL OR p_to IS NOT NULL) THEN
    PERFORM set_config('enable_indexscan', 'off', true);
  END IF;
  RETURN QUERY EXECUTE q USING v_practice, p_reader, p_clients, p_from, p_to, p_kinds, p_tokens,
    p_after_date, p_after_id, least(p_limit, 200), p_caseload;
  PERFORM set_config('enable_indexscan', v_indexscan, true);
END $$;

-- A signed note is a legal record: nothing about it changes, whoever holds the SQL prompt.
-- Awaiting co-signature the content is frozen too; the supervisor may only co-sign it (the
-- content stays) or return it (the author's signature is withdrawn, the content stays).
CREATE FUNCTION notes_guard_signed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' OR OLD.returned_at IS NOT NULL THEN
      RAISE EXCEPTION 'note % has been signed and cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  -- A client moved to another primary clinician moves the search caseload, and nothing else.
  IF NEW.caseload_id IS DISTINCT FROM OLD.caseload_id
     AND (to_jsonb(NEW) - 'caseload_id') = (to_jsonb(OLD) - 'caseload_id') THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'note % is signed and cannot be changed; add an addendum', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'awaiting_cosign' THEN
    IF (NEW.client_id, NEW.session_id, NEW.author_id, NEW.kind, NEW.format, NEW.template_key, NEW.template_version,
        NEW.date_of_service, NEW.session_facts, NEW.diagnosis_codes, NEW.content_enc, NEW.search_tokens,
        NEW.requires_cosign, NEW.late_entry, NEW.created_at)
       IS DISTINCT FROM
       (OLD.client_id, OLD.session_id, OLD.author_id, OLD.kind, OLD.format, OLD.template_key, OLD.template_version,
        OLD.date_of_service, OLD.session_facts, OLD.diagnosis_codes, OLD.content_enc, OLD.search_tokens,
        OLD.requires_cosign, OLD.late_entry, OLD.created_at) THEN
      RAISE EXCEPTION 'note % awaits co-signature; its content cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status = 'signed' THEN
      IF (NEW.signed_at, NEW.signed_by, NEW.signer_name, NEW.signer_credentials, NEW.signer_license, NEW.content_hash)
         IS DISTINCT FROM
         (OLD.signed_at, OLD.signed_by, OLD.signer_name, OLD.signer_credentials, OLD.signer_license, OLD.content_hash)
         OR NEW.cosigned_at IS NULL OR NEW.cosigned_by IS NULL THEN
        RAISE EXCEPTION 'co-signing note % may only add the co-signature', OLD.id USING ERRCODE = 'integrity_constraint_violation';
      END IF;
    ELSIF NEW.status = 'returned' THEN
      IF NEW.returned_at IS NULL OR NEW.returned_by IS NULL THEN
        RAISE EXCEPTION 'returning note % needs who and when', OLD.id USING ERRCODE = 'integrity_constraint_violation';
      END IF;
    ELSE
      RAISE EXCEPTION 'note % awaits co-signature', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER notes_guard_signed BEFORE UPDATE OR DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION notes_guard_signed();

-- Every signature ever given (author, co-signer) and every return, in order: the history a
-- returned note's withdrawn signature stays visible in.
CREATE TABLE note_signatures (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  note_id uuid NOT NULL REFERENCES notes(id),
  user_id uuid NOT NULL REFERENCES users(id),
  act text NOT NULL CHECK (act IN ('signed', 'submitted_for_cosign', 'cosigned', 'returned')),
  name text NOT NULL,
  credentials text,
  license_number text,
  content_hash text,
  comments_enc bytea,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX note_signatures_note_idx ON note_signatures (practice_id, note_id, at);

CREATE TABLE note_addenda (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  note_id uuid NOT NULL REFERENCES notes(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  author_id uuid NOT NULL REFERENCES users(id),
  -- {reason, body} as ciphertext: a reason can name what was wrong, which is clinical.
  content_enc bytea NOT NULL,
  signed_at timestamptz NOT NULL,
  signer_name text NOT NULL,
  signer_credentials text,
  signer_license text,
  content_hash text NOT NULL
);
CREATE INDEX note_addenda_note_idx ON note_addenda (practice_id, note_id, signed_at);

CREATE FUNCTION refuse_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER note_addenda_append_only BEFORE UPDATE OR DELETE ON note_addenda
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER note_signatures_append_only BEFORE UPDATE OR DELETE ON note_signatures
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER note_template_versions_append_only BEFORE UPDATE OR DELETE ON note_template_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- psychotherapy notes
-- Kept apart from the record (45 CFR 164.501): only the author can read them, which row-level
-- security enforces too, keyed on the per-transaction user id.
CREATE TABLE psychotherapy_notes (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  author_id uuid NOT NULL REFERENCES users(id),
  session_id uuid REFERENCES sessions(id),
  date_of_service date NOT NULL,
  content_enc bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE INDEX psychotherapy_notes_author_idx ON psychotherapy_notes (practice_id, author_id, client_id, date_of_service DESC);

-- ---------------------------------------------------------------- calendar feeds
CREATE TABLE calendar_feeds (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  user_id uuid NOT NULL REFERENCES users(id),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (practice_id, user_id);

-- The feed is fetched by calendar apps without a sign-in: find whose it is before RLS applies.
CREATE FUNCTION calendar_feed_find(p_hash bytea) RETURNS TABLE (practice_id uuid, user_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT f.practice_id, f.user_id FROM calendar_feeds f
         JOIN users u ON u.id = f.user_id AND u.active
        WHERE f.token_hash = p_hash AND f.revoked_at IS NULL $$;

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['session_series','sessions','session_clients','note_templates','note_template_versions',
    'notes','note_signatures','note_addenda','calendar_feeds']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;
ALTER TABLE psychotherapy_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY author_only ON psychotherapy_notes
  USING (practice_id = current_practice_id() AND author_id = current_user_id())
  WITH CHECK (practice_id = current_practice_id() AND author_id = current_user_id());

REVOKE ALL ON session_series, sessions, session_clients, note_templates, note_template_versions, notes,
  note_signatures, note_addenda, psychotherapy_notes, calendar_feeds FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON session_series, sessions, session_clients, note_templates, notes,
  psychotherapy_notes, calendar_feeds TO casebook_app;
GRANT SELECT, INSERT ON note_template_versions, note_signatures, note_addenda TO casebook_app;
GRANT DELETE ON notes, session_clients TO casebook_app;
GRANT EXECUTE ON FUNCTION current_user_id(), calendar_feed_find(bytea),
  search_note_ids(uuid, uuid, uuid[], date, date, text[], bigint[], date, uuid, int) TO casebook_app;
