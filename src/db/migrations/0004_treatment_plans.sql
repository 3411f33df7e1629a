-- Treatment plans: one plan per client, made of numbered versions. A version is a draft until
-- the clinician signs it; from then on the database refuses any change or deletion, and a new
-- version (a draft copied from it) is how a signed plan changes. The plan's content is
-- AES-256-GCM ciphertext made in the application with the client's key; in plain text stay
-- only the facts the review dashboard needs (dates, who signed).

ALTER TABLE practices
  ADD COLUMN plan_review_days int NOT NULL DEFAULT 90 CHECK (plan_review_days BETWEEN 7 AND 365);

CREATE TABLE treatment_plans (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- The latest signed version and its review date, kept current on signing: the dashboard's
  -- "reviews due" reads these without walking the versions.
  current_version_id uuid,
  review_due_date date,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT treatment_plans_one_per_client UNIQUE (client_id),
  CHECK ((current_version_id IS NULL) = (review_due_date IS NULL))
);
CREATE INDEX treatment_plans_review_idx ON treatment_plans (practice_id, review_due_date)
  WHERE review_due_date IS NOT NULL;

CREATE TABLE treatment_plan_versions (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  plan_id uuid NOT NULL REFERENCES treatment_plans(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  version_no int NOT NULL CHECK (version_no >= 1),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
  based_on uuid REFERENCES treatment_plan_versions(id),
  content_enc bytea NOT NULL,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Optimistic concurrency for the draft (If-Match); frozen once signed.
  version int NOT NULL DEFAULT 1,
  signed_at timestamptz,
  signed_by uuid REFERENCES users(id),
  signer_name text,
  signer_credentials text,
  signer_license text,
  content_hash text CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  review_due_date date,
  CONSTRAINT treatment_plan_versions_number UNIQUE (plan_id, version_no),
  CHECK (status = 'draft' OR (signed_at IS NOT NULL AND signed_by IS NOT NULL AND signer_name IS NOT NULL
                              AND content_hash IS NOT NULL AND review_due_date IS NOT NULL)),
  CHECK (status = 'signed' OR (signed_at IS NULL AND content_hash IS NULL AND review_due_date IS NULL))
);
-- Only one open draft per plan: two people cannot start competing drafts.
CREATE UNIQUE INDEX treatment_plan_versions_one_draft ON treatment_plan_versions (plan_id) WHERE status = 'draft';
CREATE INDEX treatment_plan_versions_plan_idx ON treatment_plan_versions (practice_id, plan_id, version_no DESC);
-- The foreign keys into versions are checked when a draft is discarded: index each referencing column.
CREATE INDEX treatment_plan_versions_based_on_idx ON treatment_plan_versions (based_on) WHERE based_on IS NOT NULL;
-- The plan and its versions point at each other. Deferred, so a restore (one transaction) may
-- load either table first; the backup leaves deferrable references out of its table order.
ALTER TABLE treatment_plans ADD CONSTRAINT treatment_plans_current_version
  FOREIGN KEY (current_version_id) REFERENCES treatment_plan_versions(id) DEFERRABLE INITIALLY DEFERRED;

-- A signed plan version is a legal record: nothing about it changes, whoever holds the SQL
-- prompt. A draft may be edited, discarded, or signed (the only change that sets the signature).
CREATE FUNCTION treatment_plan_versions_guard_signed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'treatment plan version % is signed and cannot be changed; start a new version', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF (NEW.id, NEW.plan_id, NEW.client_id, NEW.practice_id, NEW.version_no, NEW.based_on, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.plan_id, OLD.client_id, OLD.practice_id, OLD.version_no, OLD.based_on, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'treatment plan version % keeps its identity', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER treatment_plan_versions_guard_signed BEFORE UPDATE OR DELETE ON treatment_plan_versions
  FOR EACH ROW EXECUTE FUNCTION treatment_plan_versions_guard_signed();

-- The client's acknowledgement of a signed version: typed name (ciphertext), date, how, and
-- optionally a drawn signature (PNG, ciphertext). Append-only.
CREATE TABLE plan_acknowledgements (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  version_id uuid NOT NULL REFERENCES treatment_plan_versions(id),
  typed_name_enc bytea NOT NULL,
  acknowledged_on date NOT NULL,
  method text NOT NULL CHECK (method IN ('in_person', 'remote')),
  signature_png_enc bytea,
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_acknowledgements_version_idx ON plan_acknowledgements (practice_id, version_id, recorded_at);
CREATE INDEX plan_acknowledgements_version_fk_idx ON plan_acknowledgements (version_id);
CREATE TRIGGER plan_acknowledgements_append_only BEFORE UPDATE OR DELETE ON plan_acknowledgements
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['treatment_plans','treatment_plan_versions','plan_acknowledgements']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON treatment_plans, treatment_plan_versions, plan_acknowledgements FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON treatment_plans TO casebook_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON treatment_plan_versions TO casebook_app;
GRANT SELECT, INSERT ON plan_acknowledgements TO casebook_app;
