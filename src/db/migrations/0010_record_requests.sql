-- The client's rights over their own record (45 CFR 164.524 and 164.526): requests for a copy,
-- due 30 days after receipt, and requests to amend, due 60 days after receipt; each may be
-- extended once. Requests, decisions and statements are never deleted: a request changes only
-- along its state machine (extend once, then fulfil or decide once), and the database refuses
-- anything else, whoever holds the SQL prompt. Free text (the requested change and its reason,
-- extension reasons, denial letters, statements, a representative's name) is AES-256-GCM
-- ciphertext made in the application with the client's key; in plain text stay only the dates
-- and codes the trackers need.

-- ---------------------------------------------------------------- copy requests
CREATE TABLE record_copy_requests (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- Practice-local date the request reached the practice; deadlines count from it.
  received_on date NOT NULL,
  received_via text NOT NULL CHECK (received_via IN ('in_person', 'mail', 'email', 'fax', 'phone', 'portal')),
  format text NOT NULL CHECK (format IN ('pdf', 'fhir', 'both')),
  delivery text NOT NULL CHECK (delivery IN ('download', 'email', 'mail', 'in_person')),
  requester text NOT NULL CHECK (requester IN ('client', 'personal_representative')),
  -- JSON {name, relationship} of a personal representative; null when the client asked.
  representative_enc bytea,
  due_on date NOT NULL,
  extended_due_on date,
  extension_reason_enc bytea,
  extended_by uuid REFERENCES users(id),
  extended_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fulfilled')),
  -- Set each time Casebook produces the copy; the latest disclosure recorded for it (0009).
  copy_produced_at timestamptz,
  disclosure_id uuid,
  fulfilled_on date,
  fulfilled_by uuid REFERENCES users(id),
  fulfilled_at timestamptz,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK ((requester = 'personal_representative') = (representative_enc IS NOT NULL)),
  CHECK (due_on > received_on),
  CHECK ((extended_due_on IS NULL) = (extension_reason_enc IS NULL)
         AND (extended_due_on IS NULL) = (extended_by IS NULL)
         AND (extended_due_on IS NULL) = (extended_at IS NULL)),
  CHECK (extended_due_on IS NULL OR (extended_due_on > due_on AND extended_due_on <= due_on + 30)),
  CHECK ((status = 'fulfilled') = (fulfilled_on IS NOT NULL AND fulfilled_by IS NOT NULL AND fulfilled_at IS NOT NULL)),
  CHECK (status = 'open' OR copy_produced_at IS NOT NULL)
);
CREATE INDEX record_copy_requests_client_idx
  ON record_copy_requests (practice_id, client_id, received_on DESC, id DESC);
-- The "requests due" list reads open requests by their effective due date.
CREATE INDEX record_copy_requests_open_idx
  ON record_copy_requests (practice_id, (coalesce(extended_due_on, due_on)), id) WHERE status = 'open';
CREATE INDEX record_copy_requests_created_by_idx ON record_copy_requests (created_by);
CREATE INDEX record_copy_requests_extended_by_idx ON record_copy_requests (extended_by) WHERE extended_by IS NOT NULL;
CREATE INDEX record_copy_requests_fulfilled_by_idx ON record_copy_requests (fulfilled_by) WHERE fulfilled_by IS NOT NULL;

-- ---------------------------------------------------------------- amendment requests
CREATE TABLE amendment_requests (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  received_on date NOT NULL,
  -- The disputed record: a signed note, the treatment plan, a diagnosis, or the demographics.
  target_kind text NOT NULL CHECK (target_kind IN ('note', 'plan', 'diagnosis', 'demographics')),
  target_id uuid,
  -- JSON {change, reason}: what the client asks to be changed and why.
  request_enc bytea NOT NULL,
  due_on date NOT NULL,
  extended_due_on date,
  extension_reason_enc bytea,
  extended_by uuid REFERENCES users(id),
  extended_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'denied')),
  decided_on date,
  decided_by uuid REFERENCES users(id),
  decided_at timestamptz,
  -- Accepted on a note: the signed addendum that carries the amendment.
  addendum_id uuid REFERENCES note_addenda(id),
  -- Accepted on another record: what was changed (ciphertext) and, optionally, the new row.
  correction_enc bytea,
  correction_ref uuid,
  -- Denied: the 164.526(a)(2) ground and the letter sent (ciphertext).
  denial_basis text CHECK (denial_basis IN ('not_created_here', 'not_in_record_set', 'not_available_for_access',
                                            'accurate_complete')),
  denial_enc bytea,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK ((target_kind = 'demographics') = (target_id IS NULL)),
  CHECK (due_on > received_on),
  CHECK ((extended_due_on IS NULL) = (extension_reason_enc IS NULL)
         AND (extended_due_on IS NULL) = (extended_by IS NULL)
         AND (extended_due_on IS NULL) = (extended_at IS NULL)),
  CHECK (extended_due_on IS NULL OR (extended_due_on > due_on AND extended_due_on <= due_on + 30)),
  CHECK ((status = 'open') = (decided_on IS NULL) AND (decided_on IS NULL) = (decided_by IS NULL)
         AND (decided_on IS NULL) = (decided_at IS NULL)),
  CHECK (status <> 'accepted' OR (addendum_id IS NOT NULL OR correction_enc IS NOT NULL)),
  CHECK (status = 'accepted' OR (addendum_id IS NULL AND correction_enc IS NULL AND correction_ref IS NULL)),
  CHECK ((status = 'denied') = (denial_basis IS NOT NULL AND denial_enc IS NOT NULL)),
  CHECK (status = 'denied' OR (denial_basis IS NULL AND denial_enc IS NULL))
);
CREATE INDEX amendment_requests_client_idx
  ON amendment_requests (practice_id, client_id, received_on DESC, id DESC);
CREATE INDEX amendment_requests_open_idx
  ON amendment_requests (practice_id, (coalesce(extended_due_on, due_on)), id) WHERE status = 'open';
-- The note view shows the amendments of the note it opens.
CREATE INDEX amendment_requests_target_idx
  ON amendment_requests (practice_id, target_kind, target_id) WHERE target_id IS NOT NULL;
CREATE INDEX amendment_requests_addendum_idx ON amendment_requests (addendum_id) WHERE addendum_id IS NOT NULL;
CREATE INDEX amendment_requests_created_by_idx ON amendment_requests (created_by);
CREATE INDEX amendment_requests_extended_by_idx ON amendment_requests (extended_by) WHERE extended_by IS NOT NULL;
CREATE INDEX amendment_requests_decided_by_idx ON amendment_requests (decided_by) WHERE decided_by IS NOT NULL;

-- The client's statement of disagreement with a denial, and the practice's rebuttal. Append-only.
CREATE TABLE amendment_statements (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  amendment_id uuid NOT NULL REFERENCES amendment_requests(id),
  kind text NOT NULL CHECK (kind IN ('disagreement', 'rebuttal')),
  received_on date NOT NULL,
  text_enc bytea NOT NULL,
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amendment_statements_amendment_idx ON amendment_statements (practice_id, amendment_id, recorded_at, id);
CREATE INDEX amendment_statements_amendment_fk_idx ON amendment_statements (amendment_id);
CREATE INDEX amendment_statements_recorded_by_idx ON amendment_statements (recorded_by);
CREATE TRIGGER amendment_statements_append_only BEFORE UPDATE OR DELETE ON amendment_statements
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- state machines
-- Never deleted. What a request was (client, dates, kind, text) never changes; an extension is
-- set once, and once fulfilled or decided the row is frozen.
CREATE FUNCTION record_requests_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'open' THEN
    RAISE EXCEPTION '% % is closed and cannot change', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.extended_due_on IS NOT NULL
     AND (NEW.extended_due_on, NEW.extension_reason_enc, NEW.extended_by, NEW.extended_at)
         IS DISTINCT FROM (OLD.extended_due_on, OLD.extension_reason_enc, OLD.extended_by, OLD.extended_at) THEN
    RAISE EXCEPTION '% % was already extended once', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION record_copy_requests_identity() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.practice_id, NEW.client_id, NEW.received_on, NEW.received_via, NEW.format, NEW.delivery,
      NEW.requester, NEW.representative_enc, NEW.due_on, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.practice_id, OLD.client_id, OLD.received_on, OLD.received_via, OLD.format, OLD.delivery,
      OLD.requester, OLD.representative_enc, OLD.due_on, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'record copy request % keeps what was asked', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION amendment_requests_identity() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.id, NEW.practice_id, NEW.client_id, NEW.received_on, NEW.target_kind, NEW.target_id, NEW.request_enc,
      NEW.due_on, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.practice_id, OLD.client_id, OLD.received_on, OLD.target_kind, OLD.target_id, OLD.request_enc,
      OLD.due_on, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'amendment request % keeps what was asked', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER record_copy_requests_guard BEFORE UPDATE OR DELETE ON record_copy_requests
  FOR EACH ROW EXECUTE FUNCTION record_requests_guard();
CREATE TRIGGER record_copy_requests_identity BEFORE UPDATE ON record_copy_requests
  FOR EACH ROW EXECUTE FUNCTION record_copy_requests_identity();
CREATE TRIGGER amendment_requests_guard BEFORE UPDATE OR DELETE ON amendment_requests
  FOR EACH ROW EXECUTE FUNCTION record_requests_guard();
CREATE TRIGGER amendment_requests_identity BEFORE UPDATE ON amendment_requests
  FOR EACH ROW EXECUTE FUNCTION amendment_requests_identity();
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['record_copy_requests', 'amendment_requests', 'amendment_statements']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()',
                   t || '_no_truncate', t);
  END LOOP;
END $$;

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['record_copy_requests', 'amendment_requests', 'amendment_statements']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON record_copy_requests, amendment_requests, amendment_statements FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON record_copy_requests, amendment_requests TO casebook_app;
GRANT SELECT, INSERT ON amendment_statements TO casebook_app;
