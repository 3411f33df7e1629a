-- Outcome measures (issue 4 §4): administrations of PHQ-9, GAD-7 and PCL-5, the risk alerts
-- they raise, and each client's recurring schedule. Item-level answers (including PHQ-9 item 9)
-- are encrypted with the client's data key; totals and bands are plain so charts need no key.

-- ---------------------------------------------------------------- administrations
CREATE TABLE measure_administrations (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  instrument text NOT NULL CHECK (instrument IN ('phq9', 'gad7', 'pcl5')),
  version text NOT NULL,
  administered_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('clinician', 'client_link')),
  session_id uuid REFERENCES sessions(id),
  -- JSON of the item answers, AES-256-GCM with AAD measure_administrations:<id>:answers.
  answers_enc bytea NOT NULL,
  total int NOT NULL CHECK (total >= 0 AND total <= 80),
  band text NOT NULL,
  item9_positive boolean NOT NULL DEFAULT false,
  recorded_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (source <> 'clinician' OR recorded_by IS NOT NULL),
  CHECK (item9_positive = false OR instrument = 'phq9')
);
CREATE INDEX measure_administrations_client_idx
  ON measure_administrations (practice_id, client_id, instrument, administered_at);
CREATE TRIGGER measure_administrations_append_only BEFORE UPDATE OR DELETE ON measure_administrations
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- risk alerts
CREATE TABLE risk_alerts (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  kind text NOT NULL CHECK (kind IN ('phq9_item9')),
  administration_id uuid NOT NULL REFERENCES measure_administrations(id),
  item_value int NOT NULL,
  raised_at timestamptz NOT NULL,
  acknowledged_by uuid REFERENCES users(id),
  acknowledged_at timestamptz,
  -- The acknowledgement note is narrative: AAD risk_alerts:<id>:ack_note.
  ack_note_enc bytea,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (administration_id, kind),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CHECK ((acknowledged_at IS NULL) = (ack_note_enc IS NULL))
);
CREATE INDEX risk_alerts_client_idx ON risk_alerts (practice_id, client_id, raised_at DESC);
CREATE INDEX risk_alerts_open_idx ON risk_alerts (practice_id, client_id) WHERE acknowledged_at IS NULL;

-- An alert is closed only by a clinician's acknowledgement, once; never deleted, never reopened,
-- never closed by a later score (nothing but the acknowledgement fields may change).
CREATE FUNCTION risk_alerts_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'risk alerts are never deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.acknowledged_at IS NOT NULL THEN
    RAISE EXCEPTION 'an acknowledged risk alert cannot change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.acknowledged_at IS NULL OR NEW.id <> OLD.id OR NEW.practice_id <> OLD.practice_id
     OR NEW.client_id <> OLD.client_id OR NEW.kind <> OLD.kind OR NEW.administration_id <> OLD.administration_id
     OR NEW.item_value <> OLD.item_value OR NEW.raised_at <> OLD.raised_at OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'a risk alert changes only by acknowledgement' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER risk_alerts_guard BEFORE UPDATE OR DELETE ON risk_alerts
  FOR EACH ROW EXECUTE FUNCTION risk_alerts_guard();

-- ---------------------------------------------------------------- schedules
-- One row per client: the list of {instrument, frequency, everyN} (checked by the app), versioned.
CREATE TABLE measure_schedules (
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
  updated_by uuid NOT NULL REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  PRIMARY KEY (client_id)
);
CREATE INDEX measure_schedules_practice_idx ON measure_schedules (practice_id, client_id);

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['measure_administrations', 'risk_alerts', 'measure_schedules']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON measure_administrations, risk_alerts, measure_schedules FROM PUBLIC;
GRANT SELECT, INSERT ON measure_administrations TO casebook_app;
GRANT SELECT, INSERT, UPDATE ON risk_alerts, measure_schedules TO casebook_app;
