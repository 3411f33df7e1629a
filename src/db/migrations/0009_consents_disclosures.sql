-- Consents, authorizations and the disclosure log (issue 5 §1–§3).
--
-- A consent is a legal record: once recorded, the database refuses any change or deletion,
-- except revoking it, once (revoked_on and who/when; effective from that date on). Free text
-- (recipient, purpose, signer, notes, drawn signature, scans) is AES-256-GCM ciphertext made in
-- the application with the client's key, AAD "<table>:<id>:<field>". In plain text stay only
-- the facts the release gate and the FHIR Consent export decide on: kind, categories, dates,
-- the Part 2 flag, who recorded it.
--
-- Every release of a client's records to anyone outside the practice is one row in
-- `disclosures`, append-only: the accounting of disclosures (45 CFR 164.528) is read from it.

-- ---------------------------------------------------------------- client and practice settings
-- The client's record holds substance-use records protected by 42 CFR Part 2: releases need a
-- Part 2 consent and carry the redisclosure notice.
ALTER TABLE clients ADD COLUMN holds_part2_records boolean NOT NULL DEFAULT false;
-- The redisclosure notice printed on every Part 2 release; NULL means Casebook's default text
-- (src/domain/part2Notice.ts).
ALTER TABLE practices ADD COLUMN part2_redisclosure_notice text
  CHECK (part2_redisclosure_notice IS NULL OR length(part2_redisclosure_notice) BETWEEN 20 AND 4000);

-- ---------------------------------------------------------------- consents
CREATE TABLE consents (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- treatment / telehealth / financial_policy / recording_ai: consents to care, not releases.
  -- release_of_information: authorization to release the listed categories to one recipient.
  -- psychotherapy_note_authorization: covers psychotherapy notes and nothing else (164.508(a)(2)).
  kind text NOT NULL CHECK (kind IN ('treatment', 'telehealth', 'financial_policy', 'recording_ai',
                                     'release_of_information', 'psychotherapy_note_authorization')),
  -- What may be released (src/domain/releaseScope.ts RELEASE_CATEGORIES).
  categories text[] NOT NULL DEFAULT '{}'
    CHECK (categories <@ ARRAY['demographics', 'diagnoses', 'plans', 'progress_notes', 'measures', 'billing',
                               'psychotherapy_notes']),
  -- The consent meets 42 CFR 2.31: it may release Part 2 records.
  part2 boolean NOT NULL DEFAULT false,
  -- JSON {type: 'person'|'organization', name, contact}; required for releases.
  recipient_enc bytea,
  purpose_enc bytea,
  notes_enc bytea,
  -- The records covered (practice-local dates, inclusive; NULL = open end).
  records_from date,
  records_to date,
  effective_on date NOT NULL,
  -- A release needs an expiry date or an expiry event (164.508(c)(1)(v)).
  expires_on date,
  expiry_event_enc bytea,
  signed_on date NOT NULL,
  signer text NOT NULL CHECK (signer IN ('client', 'guardian')),
  signer_name_enc bytea NOT NULL,
  signer_relationship_enc bytea,
  signature_method text NOT NULL CHECK (signature_method IN ('typed', 'drawn', 'paper')),
  signature_png_enc bytea,
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- Revocation: set once, effective from revoked_on (inclusive) on.
  revoked_on date,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users(id),
  revocation_note_enc bytea,
  version int NOT NULL DEFAULT 1,
  CHECK (records_from IS NULL OR records_to IS NULL OR records_from <= records_to),
  CHECK (expires_on IS NULL OR expires_on >= effective_on),
  CHECK (signer = 'client' OR signer_relationship_enc IS NOT NULL),
  CHECK ((signature_method = 'drawn') = (signature_png_enc IS NOT NULL)),
  CHECK ((revoked_on IS NULL) = (revoked_at IS NULL) AND (revoked_on IS NULL) = (revoked_by IS NULL)),
  CHECK (kind NOT IN ('release_of_information', 'psychotherapy_note_authorization')
         OR (recipient_enc IS NOT NULL AND purpose_enc IS NOT NULL
             AND (expires_on IS NOT NULL OR expiry_event_enc IS NOT NULL))),
  CHECK (kind <> 'psychotherapy_note_authorization' OR categories = ARRAY['psychotherapy_notes']),
  CHECK (kind <> 'release_of_information'
         OR (cardinality(categories) > 0 AND NOT 'psychotherapy_notes' = ANY (categories))),
  CHECK (kind IN ('release_of_information', 'psychotherapy_note_authorization')
         OR (cardinality(categories) = 0 AND part2 = false AND recipient_enc IS NULL))
);
CREATE INDEX consents_client_idx ON consents (practice_id, client_id, recorded_at DESC, id DESC);
CREATE INDEX consents_client_kind_idx ON consents (practice_id, client_id, kind, effective_on);
CREATE INDEX consents_recorded_by_idx ON consents (recorded_by);
CREATE INDEX consents_revoked_by_idx ON consents (revoked_by) WHERE revoked_by IS NOT NULL;

-- Never deleted; the only change is the one revocation.
CREATE FUNCTION consents_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  mutable text[] := ARRAY['revoked_on', 'revoked_at', 'revoked_by', 'revocation_note_enc', 'version'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'consents are never deleted; revoke instead' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.revoked_on IS NOT NULL THEN
    RAISE EXCEPTION 'consent % is revoked and cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.revoked_on IS NULL OR (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
    RAISE EXCEPTION 'a recorded consent changes only by revocation' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consents_guard BEFORE UPDATE OR DELETE ON consents
  FOR EACH ROW EXECUTE FUNCTION consents_guard();
CREATE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consents
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Signed paper copies (PDF, PNG or JPEG), content encrypted with the client's key. Append-only.
CREATE TABLE consent_scans (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  consent_id uuid NOT NULL REFERENCES consents(id),
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  byte_size int NOT NULL CHECK (byte_size > 0 AND byte_size <= 10485760),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_enc bytea NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_scans_consent_idx ON consent_scans (practice_id, consent_id, uploaded_at DESC, id DESC);
CREATE INDEX consent_scans_consent_fk_idx ON consent_scans (consent_id);
CREATE INDEX consent_scans_uploaded_by_idx ON consent_scans (uploaded_by);
CREATE TRIGGER consent_scans_append_only BEFORE UPDATE OR DELETE ON consent_scans
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- disclosures
CREATE TABLE disclosures (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  -- The day the records left the practice (practice-local).
  disclosed_on date NOT NULL,
  -- JSON {type, name, contact}.
  recipient_enc bytea NOT NULL,
  categories text[] NOT NULL
    CHECK (cardinality(categories) > 0
           AND categories <@ ARRAY['demographics', 'diagnoses', 'plans', 'progress_notes', 'measures', 'billing',
                                   'psychotherapy_notes']),
  description_enc bytea NOT NULL,
  purpose_enc bytea NOT NULL,
  -- Why the release was allowed: an authorization (consent_id), or a legal basis.
  basis text NOT NULL CHECK (basis IN ('authorization', 'individual_request', 'treatment', 'payment', 'operations',
                                       'required_by_law', 'court_order', 'public_health', 'health_oversight',
                                       'serious_threat', 'abuse_report', 'law_enforcement', 'research')),
  consent_id uuid REFERENCES consents(id),
  -- In the HIPAA accounting (164.528): everything but TPO, the individual's own request and
  -- releases under an authorization. Those are still recorded here, marked not accountable.
  accountable boolean NOT NULL,
  format text NOT NULL CHECK (format IN ('fhir', 'pdf', 'paper', 'verbal', 'fax', 'email', 'other_electronic')),
  -- 'casebook': Casebook made the file; 'outside': recorded afterwards (paper, phone...).
  channel text NOT NULL CHECK (channel IN ('casebook', 'outside')),
  records_from date,
  records_to date,
  -- The release carried 42 CFR Part 2 records and the redisclosure notice.
  part2 boolean NOT NULL DEFAULT false,
  -- SHA-256 of the file Casebook released (channel 'casebook').
  content_sha256 text CHECK (content_sha256 IS NULL OR content_sha256 ~ '^[0-9a-f]{64}$'),
  released_by uuid NOT NULL REFERENCES users(id),
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((basis = 'authorization') = (consent_id IS NOT NULL)),
  CHECK (accountable = (basis NOT IN ('authorization', 'individual_request', 'treatment', 'payment', 'operations'))),
  CHECK (records_from IS NULL OR records_to IS NULL OR records_from <= records_to)
);
CREATE INDEX disclosures_client_idx ON disclosures (practice_id, client_id, disclosed_on DESC, id DESC);
CREATE INDEX disclosures_accounting_idx ON disclosures (practice_id, client_id, disclosed_on, id) WHERE accountable;
CREATE INDEX disclosures_consent_idx ON disclosures (consent_id) WHERE consent_id IS NOT NULL;
CREATE INDEX disclosures_released_by_idx ON disclosures (released_by);
CREATE INDEX disclosures_recorded_by_idx ON disclosures (recorded_by);
CREATE TRIGGER disclosures_append_only BEFORE UPDATE OR DELETE ON disclosures
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER disclosures_no_truncate BEFORE TRUNCATE ON disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['consents', 'consent_scans', 'disclosures']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON consents, consent_scans, disclosures FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON consents TO casebook_app;
GRANT SELECT, INSERT ON consent_scans, disclosures TO casebook_app;
