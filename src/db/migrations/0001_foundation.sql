-- Foundation: practices, users, auth sessions, clients, care teams, break-glass, audit trail.
-- Every tenant table leads with practice_id and is guarded by row-level security keyed on the
-- per-transaction setting casebook.practice_id. The application runs as casebook_app, which
-- owns nothing and cannot bypass RLS.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casebook_app') THEN
    CREATE ROLE casebook_app NOLOGIN NOBYPASSRLS NOSUPERUSER;
  END IF;
END $$;
GRANT casebook_app TO CURRENT_USER;

CREATE FUNCTION current_practice_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('casebook.practice_id', true), '')::uuid $$;

CREATE TABLE practices (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'America/New_York',
  kind text NOT NULL DEFAULT 'clinical' CHECK (kind IN ('clinical', 'coaching')),
  idle_timeout_minutes int NOT NULL DEFAULT 15 CHECK (idle_timeout_minutes BETWEEN 5 AND 60),
  mfa_required boolean NOT NULL DEFAULT false,
  privacy_mode boolean NOT NULL DEFAULT false,
  admins_see_all_clients boolean NOT NULL DEFAULT false,
  break_glass_minutes int NOT NULL DEFAULT 60 CHECK (break_glass_minutes BETWEEN 5 AND 480),
  created_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  email text NOT NULL,
  full_name text NOT NULL,
  roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['owner','admin','clinician','supervisor','biller','scheduler','auditor']),
  credentials text,
  license_number text,
  supervisor_id uuid REFERENCES users(id),
  password_hash text,
  mfa_secret bytea,
  mfa_enabled_at timestamptz,
  mfa_last_step bigint,
  active boolean NOT NULL DEFAULT true,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_practice_idx ON users (practice_id, full_name);

CREATE TABLE password_tokens (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  user_id uuid NOT NULL REFERENCES users(id),
  token_hash bytea NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user_idx ON password_tokens (practice_id, user_id);

CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  user_id uuid NOT NULL REFERENCES users(id),
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (practice_id, user_id) WHERE used_at IS NULL;

CREATE TABLE auth_sessions (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  user_id uuid NOT NULL REFERENCES users(id),
  token_hash bytea NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('mfa_challenge', 'mfa_enrolment', 'full')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  reauthenticated_at timestamptz,
  pending_mfa_secret bytea,
  ip text,
  user_agent text,
  revoked_at timestamptz
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (practice_id, user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  user_id uuid NOT NULL REFERENCES users(id),
  name text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('read', 'read-write')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (practice_id, user_id, created_at DESC);

-- Pre-authentication throttling: not tenant data (the account may not exist).
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  ip text NOT NULL,
  succeeded boolean NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, attempted_at DESC);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, attempted_at DESC);

CREATE TABLE clients (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_code text NOT NULL,
  legal_first_name text NOT NULL,
  legal_last_name text NOT NULL,
  preferred_name text,
  pronouns text,
  date_of_birth date NOT NULL,
  gender_identity text,
  sex text CHECK (sex IN ('female', 'male', 'intersex', 'unknown')),
  phones jsonb NOT NULL DEFAULT '[]',
  phone_digits text[] NOT NULL DEFAULT '{}',
  email text,
  address jsonb,
  preferred_language text,
  referral_source text,
  intake_date date,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'discharged')),
  status_reason text,
  primary_clinician_id uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  -- Lower-case search and sort keys. Under row-level security only leakproof operators can bound
  -- an index scan, and lower()/LIKE are not, so searches compare these stored columns by range.
  last_name_key text GENERATED ALWAYS AS (lower(legal_last_name)) STORED,
  first_name_key text GENERATED ALWAYS AS (lower(legal_first_name)) STORED,
  preferred_name_key text GENERATED ALWAYS AS (lower(coalesce(preferred_name, ''))) STORED,
  name_sort text GENERATED ALWAYS AS (lower(legal_last_name) || ' ' || lower(legal_first_name)) STORED,
  UNIQUE (practice_id, client_code)
);
CREATE INDEX clients_last_name_idx ON clients (practice_id, last_name_key text_pattern_ops);
CREATE INDEX clients_first_name_idx ON clients (practice_id, first_name_key text_pattern_ops);
CREATE INDEX clients_preferred_name_idx ON clients (practice_id, preferred_name_key text_pattern_ops);
CREATE INDEX clients_name_sort_idx ON clients (practice_id, name_sort, id);
CREATE INDEX clients_dob_idx ON clients (practice_id, date_of_birth, id);
CREATE INDEX clients_phone_idx ON clients USING gin (phone_digits);
CREATE INDEX clients_status_idx ON clients (practice_id, status, name_sort, id);
CREATE INDEX clients_created_idx ON clients (practice_id, created_at, id);
CREATE INDEX clients_primary_idx ON clients (practice_id, primary_clinician_id);

CREATE TABLE client_contacts (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  position int NOT NULL,
  name text NOT NULL,
  relationship text NOT NULL,
  phone text,
  email text,
  is_emergency boolean NOT NULL DEFAULT false,
  may_contact boolean NOT NULL DEFAULT false,
  notes text
);
CREATE INDEX client_contacts_client_idx ON client_contacts (practice_id, client_id, position);

-- Per-client data key, wrapped by the practice key. Destroying it erases the client's narrative.
CREATE TABLE client_keys (
  client_id uuid PRIMARY KEY REFERENCES clients(id),
  practice_id uuid NOT NULL REFERENCES practices(id),
  wrapped_key bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Narrative background, every field AES-256-GCM ciphertext (see src/security/fieldEncryption.ts).
CREATE TABLE client_backgrounds (
  client_id uuid PRIMARY KEY REFERENCES clients(id),
  practice_id uuid NOT NULL REFERENCES practices(id),
  presenting_concerns bytea,
  medical_history bytea,
  medications bytea,
  allergies bytea,
  prior_therapy bytea,
  psychiatric_history bytea,
  family_social_history bytea,
  substance_use bytea,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id),
  version int NOT NULL DEFAULT 1
);

CREATE TABLE care_team_members (
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  user_id uuid NOT NULL REFERENCES users(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (practice_id, client_id, user_id)
);
CREATE INDEX care_team_user_idx ON care_team_members (practice_id, user_id, client_id);

CREATE TABLE break_glass_grants (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  user_id uuid NOT NULL REFERENCES users(id),
  reason text NOT NULL CHECK (length(reason) >= 10),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  reviewed_by uuid REFERENCES users(id),
  reviewed_at timestamptz
);
CREATE INDEX break_glass_active_idx ON break_glass_grants (practice_id, user_id, client_id, expires_at DESC);
CREATE INDEX break_glass_review_idx ON break_glass_grants (practice_id, created_at DESC) WHERE reviewed_at IS NULL;

-- ---------------------------------------------------------------- audit trail
CREATE TABLE audit_events (
  id uuid NOT NULL UNIQUE,
  practice_id uuid NOT NULL,
  seq bigint NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_token_id uuid,
  actor_label text,
  action text NOT NULL,
  category text NOT NULL,
  client_id uuid,
  entity_type text,
  entity_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  ip text,
  user_agent text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  -- Sort keys for the report (derived, so not part of the hashed content).
  actor_sort text GENERATED ALWAYS AS (coalesce(actor_label, '')) STORED,
  client_sort text GENERATED ALWAYS AS (coalesce(client_id::text, '')) STORED,
  PRIMARY KEY (practice_id, seq)
);
-- Report indexes: each sort column X has (practice_id, X, occurred_at, seq), which also serves
-- "filter by X, newest first". Sorts use plain columns only: under row-level security an index
-- condition must be leakproof, which coalesce() and casts are not.
CREATE INDEX audit_time_idx ON audit_events (practice_id, occurred_at, seq);
CREATE INDEX audit_actor_idx ON audit_events (practice_id, actor_user_id, occurred_at, seq);
CREATE INDEX audit_client_idx ON audit_events (practice_id, client_id, occurred_at, seq);
CREATE INDEX audit_action_idx ON audit_events (practice_id, action, occurred_at, seq);
CREATE INDEX audit_category_idx ON audit_events (practice_id, category, occurred_at, seq);
CREATE INDEX audit_outcome_idx ON audit_events (practice_id, outcome, occurred_at, seq);
CREATE INDEX audit_actor_sort_idx ON audit_events (practice_id, actor_sort, occurred_at, seq);
CREATE INDEX audit_client_sort_idx ON audit_events (practice_id, client_sort, occurred_at, seq);

CREATE TABLE audit_chain_heads (
  practice_id uuid PRIMARY KEY,
  last_seq bigint NOT NULL,
  last_hash bytea NOT NULL
);

-- The exact bytes that are hashed for one row: an unambiguous JSON array of every field.
CREATE FUNCTION audit_canonical(e audit_events) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT jsonb_build_array(
      e.id, e.practice_id, e.seq, (extract(epoch FROM e.occurred_at) * 1000000)::bigint,
      e.actor_user_id, e.actor_token_id, e.actor_label, e.action, e.category, e.client_id,
      e.entity_type, e.entity_id, e.outcome, e.ip, e.user_agent, e.request_id, e.details
    )::text
  $$;

CREATE FUNCTION audit_chain_append() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    head audit_chain_heads%ROWTYPE;
  BEGIN
    INSERT INTO audit_chain_heads (practice_id, last_seq, last_hash)
      VALUES (NEW.practice_id, 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
      ON CONFLICT (practice_id) DO NOTHING;
    SELECT * INTO head FROM audit_chain_heads WHERE practice_id = NEW.practice_id FOR UPDATE;
    NEW.seq := head.last_seq + 1;
    NEW.occurred_at := clock_timestamp();
    NEW.prev_hash := head.last_hash;
    NEW.hash := sha256(NEW.prev_hash || convert_to(audit_canonical(NEW), 'UTF8'));
    UPDATE audit_chain_heads SET last_seq = NEW.seq, last_hash = NEW.hash WHERE practice_id = NEW.practice_id;
    RETURN NEW;
  END $$;
CREATE TRIGGER audit_chain_append BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_chain_append();

CREATE FUNCTION audit_refuse_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER audit_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_refuse_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Walks one practice's chain in order and reports the first row that does not verify. It runs
-- with the caller's rights: the application (under RLS) can check only its own practice.
CREATE FUNCTION audit_verify(p_practice uuid)
  RETURNS TABLE (ok boolean, rows_checked bigint, first_bad_seq bigint, first_bad_id uuid, problem text)
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public
  AS $$
  DECLARE
    e audit_events%ROWTYPE;
    expected_prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    expected_seq bigint := 1;
    n bigint := 0;
    head audit_chain_heads%ROWTYPE;
    extra_id uuid;
  BEGIN
    FOR e IN SELECT * FROM audit_events WHERE practice_id = p_practice ORDER BY seq LOOP
      n := n + 1;
      IF e.seq <> expected_seq THEN
        RETURN QUERY SELECT false, n, e.seq, e.id,
          format('sequence jumps from %s to %s: rows deleted or inserted out of order', expected_seq - 1, e.seq);
        RETURN;
      END IF;
      IF e.prev_hash <> expected_prev THEN
        RETURN QUERY SELECT false, n, e.seq, e.id, 'link to the previous row is broken'::text;
        RETURN;
      END IF;
      IF e.hash <> sha256(e.prev_hash || convert_to(audit_canonical(e), 'UTF8')) THEN
        RETURN QUERY SELECT false, n, e.seq, e.id, 'row content does not match its hash (altered)'::text;
        RETURN;
      END IF;
      expected_prev := e.hash;
      expected_seq := e.seq + 1;
    END LOOP;
    -- The head, kept by the trigger, says where the chain must end.
    SELECT * INTO head FROM audit_chain_heads WHERE practice_id = p_practice;
    IF NOT FOUND AND n > 0 THEN
      SELECT id INTO extra_id FROM audit_events WHERE practice_id = p_practice AND seq = 1;
      RETURN QUERY SELECT false, n, 1::bigint, extra_id, 'rows exist but the chain head is missing'::text;
      RETURN;
    END IF;
    IF FOUND AND head.last_seq > expected_seq - 1 THEN
      RETURN QUERY SELECT false, n, expected_seq, NULL::uuid,
        format('chain head is at row %s but the table ends at row %s: newest rows removed', head.last_seq, expected_seq - 1);
      RETURN;
    END IF;
    IF FOUND AND head.last_seq < expected_seq - 1 THEN
      SELECT id INTO extra_id FROM audit_events WHERE practice_id = p_practice AND seq = head.last_seq + 1;
      RETURN QUERY SELECT false, n, head.last_seq + 1, extra_id,
        format('chain head is at row %s but the table goes on to row %s: rows added outside the audit trigger', head.last_seq, expected_seq - 1);
      RETURN;
    END IF;
    IF FOUND AND head.last_hash <> expected_prev THEN
      SELECT id INTO extra_id FROM audit_events WHERE practice_id = p_practice AND seq = head.last_seq;
      RETURN QUERY SELECT false, n, head.last_seq, extra_id, 'the newest row does not match the chain head (replaced)'::text;
      RETURN;
    END IF;
    RETURN QUERY SELECT true, n, NULL::bigint, NULL::uuid, NULL::text;
  END $$;

-- ---------------------------------------------------------------- pre-auth lookups
-- These run before the practice is known and return only ids, never secrets.
CREATE FUNCTION auth_find_user(p_email text) RETURNS TABLE (user_id uuid, practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id, practice_id FROM users WHERE lower(email) = lower(p_email) $$;
CREATE FUNCTION auth_find_session(p_hash bytea) RETURNS TABLE (session_id uuid, practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id, practice_id FROM auth_sessions WHERE token_hash = p_hash AND revoked_at IS NULL $$;
CREATE FUNCTION auth_find_api_token(p_hash bytea) RETURNS TABLE (token_id uuid, practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id, practice_id FROM api_tokens WHERE token_hash = p_hash AND revoked_at IS NULL $$;
CREATE FUNCTION auth_find_password_token(p_hash bytea) RETURNS TABLE (token_id uuid, practice_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id, practice_id FROM password_tokens WHERE token_hash = p_hash $$;
CREATE FUNCTION practice_count() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT count(*) FROM practices $$;
CREATE FUNCTION practice_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$ SELECT id FROM practices UNION SELECT practice_id FROM audit_chain_heads $$;

-- Housekeeping across practices: browser sessions that ended more than a day ago carry nothing
-- the audit trail does not already hold.
CREATE FUNCTION prune_auth_sessions() RETURNS bigint
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    WITH gone AS (
      DELETE FROM auth_sessions
       WHERE coalesce(revoked_at, expires_at) < now() - interval '1 day'
      RETURNING 1)
    SELECT count(*) FROM gone
  $$;

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users','password_tokens','recovery_codes','auth_sessions','api_tokens','clients',
    'client_contacts','client_keys','client_backgrounds','care_team_members','break_glass_grants',
    'audit_events']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON audit_chain_heads USING (practice_id = current_practice_id());
ALTER TABLE practices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON practices USING (id = current_practice_id()) WITH CHECK (id = current_practice_id());

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO casebook_app;
GRANT SELECT, INSERT, UPDATE ON practices, users, password_tokens, recovery_codes, auth_sessions, api_tokens,
  clients, client_contacts, client_keys, client_backgrounds, care_team_members, break_glass_grants TO casebook_app;
GRANT DELETE ON client_contacts, care_team_members TO casebook_app;
GRANT SELECT, INSERT, DELETE ON login_attempts TO casebook_app;
GRANT SELECT, INSERT ON audit_events TO casebook_app;
GRANT SELECT ON audit_chain_heads TO casebook_app;
GRANT EXECUTE ON FUNCTION current_practice_id(), audit_verify(uuid), auth_find_user(text), auth_find_session(bytea),
  auth_find_api_token(bytea), auth_find_password_token(bytea), practice_count(), practice_ids(),
  prune_auth_sessions() TO casebook_app;
