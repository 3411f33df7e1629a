-- A client's diagnosis list (ICD-10-CM, billable codes only) with an append-only history of
-- every version, and the dated annotations drawn on trend charts and the timeline. The
-- comment and the annotation text are AES-256-GCM ciphertext made in the application.

-- ---------------------------------------------------------------- diagnoses
CREATE TABLE client_diagnoses (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- As the catalog spells it ("F41.1"); the code is fixed for the life of the row.
  code text NOT NULL CHECK (code ~ '^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$'),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  rank text NOT NULL CHECK (rank IN ('primary', 'secondary')),
  -- entered_in_error: never applied to this client (kept, never deleted, never billed).
  status text NOT NULL CHECK (status IN ('active', 'resolved', 'rule_out', 'entered_in_error')),
  onset_date date,
  resolved_date date,
  comment_enc bytea,
  version int NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid NOT NULL REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT client_diagnoses_resolved_date CHECK ((status = 'resolved') = (resolved_date IS NOT NULL)),
  CONSTRAINT client_diagnoses_resolved_after_onset CHECK (resolved_date IS NULL OR onset_date IS NULL OR resolved_date >= onset_date)
);
CREATE INDEX client_diagnoses_client_idx ON client_diagnoses (practice_id, client_id, created_at, id);
-- At most one active primary diagnosis per client.
CREATE UNIQUE INDEX client_diagnoses_one_primary ON client_diagnoses (client_id)
  WHERE rank = 'primary' AND status = 'active';
-- A code is on the working list (active or rule-out) once.
CREATE UNIQUE INDEX client_diagnoses_code_once ON client_diagnoses (client_id, code)
  WHERE status IN ('active', 'rule_out');

-- One row per version, written by the trigger below in the same transaction as the change,
-- so no code path can change a diagnosis without leaving its history. The comment is not
-- copied: only whether it changed.
CREATE TABLE client_diagnosis_versions (
  practice_id uuid NOT NULL REFERENCES practices(id),
  diagnosis_id uuid NOT NULL REFERENCES client_diagnoses(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  version int NOT NULL,
  code text NOT NULL,
  rank text NOT NULL,
  status text NOT NULL,
  onset_date date,
  resolved_date date,
  changed_fields text[] NOT NULL,
  changed_by uuid NOT NULL REFERENCES users(id),
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (diagnosis_id, version)
);
CREATE INDEX client_diagnosis_versions_practice_idx ON client_diagnosis_versions (practice_id, diagnosis_id, version);

-- SECURITY DEFINER: the history is written only here, as the owner; casebook_app may read it but
-- not insert into it, so it cannot forge a version.
CREATE FUNCTION client_diagnoses_record_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE changed text[] := '{}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.version <> 1 THEN
      RAISE EXCEPTION 'a new diagnosis starts at version 1' USING ERRCODE = 'check_violation';
    END IF;
    changed := ARRAY['code', 'rank', 'status', 'onset_date', 'resolved_date'];
    IF NEW.comment_enc IS NOT NULL THEN changed := array_append(changed, 'comment'); END IF;
  ELSE
    IF NEW.id <> OLD.id OR NEW.practice_id <> OLD.practice_id OR NEW.client_id <> OLD.client_id
       OR NEW.code <> OLD.code OR NEW.created_by <> OLD.created_by OR NEW.created_at <> OLD.created_at THEN
      RAISE EXCEPTION 'a diagnosis keeps its client and code' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.version <> OLD.version + 1 THEN
      RAISE EXCEPTION 'every change to a diagnosis is a new version' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.rank IS DISTINCT FROM OLD.rank THEN changed := array_append(changed, 'rank'); END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN changed := array_append(changed, 'status'); END IF;
    IF NEW.onset_date IS DISTINCT FROM OLD.onset_date THEN changed := array_append(changed, 'onset_date'); END IF;
    IF NEW.resolved_date IS DISTINCT FROM OLD.resolved_date THEN changed := array_append(changed, 'resolved_date'); END IF;
    IF NEW.comment_enc IS DISTINCT FROM OLD.comment_enc THEN changed := array_append(changed, 'comment'); END IF;
  END IF;
  INSERT INTO client_diagnosis_versions (practice_id, diagnosis_id, client_id, version, code, rank, status,
    onset_date, resolved_date, changed_fields, changed_by, changed_at)
  VALUES (NEW.practice_id, NEW.id, NEW.client_id, NEW.version, NEW.code, NEW.rank, NEW.status,
    NEW.onset_date, NEW.resolved_date, changed, NEW.updated_by, NEW.updated_at);
  RETURN NEW;
END $$;
CREATE TRIGGER client_diagnoses_versioned AFTER INSERT OR UPDATE ON client_diagnoses
  FOR EACH ROW EXECUTE FUNCTION client_diagnoses_record_version();
CREATE TRIGGER client_diagnoses_no_delete BEFORE DELETE ON client_diagnoses
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER client_diagnosis_versions_append_only BEFORE UPDATE OR DELETE ON client_diagnosis_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- chart annotations
CREATE TABLE chart_annotations (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  date date NOT NULL,
  text_enc bytea NOT NULL,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Withdrawn rather than deleted: it leaves the charts but stays in the record.
  withdrawn_by uuid REFERENCES users(id),
  withdrawn_at timestamptz,
  CONSTRAINT chart_annotations_withdrawn CHECK ((withdrawn_by IS NULL) = (withdrawn_at IS NULL))
);
CREATE INDEX chart_annotations_client_idx ON chart_annotations (practice_id, client_id, date, id)
  WHERE withdrawn_at IS NULL;

-- Append-only, except that a live annotation may be withdrawn once.
CREATE FUNCTION chart_annotations_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
     OR (to_jsonb(NEW) - 'withdrawn_by' - 'withdrawn_at') <> (to_jsonb(OLD) - 'withdrawn_by' - 'withdrawn_at') THEN
    RAISE EXCEPTION 'chart annotations are append-only (they can only be withdrawn)'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER chart_annotations_append_only BEFORE UPDATE OR DELETE ON chart_annotations
  FOR EACH ROW EXECUTE FUNCTION chart_annotations_guard();

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['client_diagnoses','client_diagnosis_versions','chart_annotations']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON client_diagnoses, client_diagnosis_versions, chart_annotations FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON client_diagnoses, chart_annotations TO casebook_app;
GRANT SELECT ON client_diagnosis_versions TO casebook_app;
REVOKE ALL ON FUNCTION client_diagnoses_record_version() FROM PUBLIC;
