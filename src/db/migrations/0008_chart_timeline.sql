-- The chart timeline pages each kind of event newest first on (time, id) for one client, so
-- every kind needs an index that leads with the client and ends with that order.

-- A diagnosis version is an event of its own on the timeline; it needs an id of its own for
-- the timeline's cursor. The trigger in 0003 writes these rows, so the database makes the id.
ALTER TABLE client_diagnosis_versions ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX client_diagnosis_versions_id ON client_diagnosis_versions (id);
CREATE INDEX client_diagnosis_versions_timeline_idx
  ON client_diagnosis_versions (practice_id, client_id, changed_at DESC, id DESC);

CREATE INDEX treatment_plan_versions_timeline_idx
  ON treatment_plan_versions (practice_id, client_id, signed_at DESC, id DESC) WHERE status = 'signed';

CREATE INDEX measure_administrations_timeline_idx
  ON measure_administrations (practice_id, client_id, administered_at DESC, id DESC);
-- Risk alerts already have risk_alerts_client_idx (practice_id, client_id, raised_at DESC);
-- ties on raised_at are rare enough to sort in memory.
