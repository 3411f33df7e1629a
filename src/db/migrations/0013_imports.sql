-- Imports: a client list from a CSV file, or one client's record from a FHIR R4 bundle made by
-- another system (or by another Casebook). Each import is one row here, written in the same
-- transaction as everything it created; nothing about an import changes afterwards.
--
-- Another provider's signed notes (and signed treatment plans) cannot be re-signed by our users, so they are kept as
-- read-only imported documents: their title and text are AES-256-GCM ciphertext made in the
-- application with the client's key; the facts of authorship and signature travel in plain text as the
-- source stated them. Append-only: an imported document is never edited or deleted.

-- An import warns of a likely duplicate (same name and date of birth) among existing clients.
CREATE INDEX clients_date_of_birth_idx ON clients (practice_id, date_of_birth);

CREATE TABLE imports (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  kind text NOT NULL CHECK (kind IN ('csv_clients', 'fhir_record')),
  imported_by uuid NOT NULL REFERENCES users(id),
  imported_at timestamptz NOT NULL DEFAULT now(),
  -- The sending system as its bundle named it (FHIR imports); never a file name, which may name a client.
  source_system text CHECK (length(source_system) <= 200),
  client_count int NOT NULL CHECK (client_count >= 0),
  -- Counts of what was created and skipped; never names or narrative.
  summary jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX imports_practice_idx ON imports (practice_id, imported_at DESC, id DESC);
CREATE INDEX imports_imported_by_idx ON imports (imported_by);

CREATE TABLE imported_documents (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices(id),
  client_id uuid NOT NULL REFERENCES clients(id),
  import_id uuid NOT NULL REFERENCES imports(id),
  -- An addendum points at the imported note it amends.
  parent_id uuid REFERENCES imported_documents(id),
  kind text NOT NULL CHECK (kind IN ('note', 'addendum', 'plan')),
  source_system text NOT NULL CHECK (length(source_system) BETWEEN 1 AND 200),
  -- The resource's id in the source bundle, so a re-export can say where it came from.
  source_id text CHECK (length(source_id) <= 200),
  -- The source's title or description is free text that may hold narrative: ciphertext too.
  title_enc bytea NOT NULL,
  -- The document type's LOINC code as the source gave it (11506-3 progress note ...).
  loinc_code text CHECK (length(loinc_code) <= 20),
  service_date date,
  authored_at timestamptz,
  author_name text CHECK (length(author_name) <= 200),
  signed_at timestamptz,
  signer_name text CHECK (length(signer_name) <= 200),
  -- The source's SHA-256 of the text (hex), when it gave one.
  content_hash text CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  content_type text NOT NULL DEFAULT 'text/plain' CHECK (length(content_type) <= 100),
  body_enc bytea NOT NULL,
  -- The source's own resources (document, goals, signatures) as JSON, ciphertext too: a
  -- re-export carries them unchanged.
  resources_enc bytea NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'addendum') = (parent_id IS NOT NULL))
);
CREATE INDEX imported_documents_client_idx
  ON imported_documents (practice_id, client_id, authored_at DESC, id DESC);
CREATE INDEX imported_documents_import_idx ON imported_documents (import_id);
CREATE INDEX imported_documents_parent_idx ON imported_documents (parent_id) WHERE parent_id IS NOT NULL;

CREATE TRIGGER imports_append_only BEFORE UPDATE OR DELETE ON imports
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER imported_documents_append_only BEFORE UPDATE OR DELETE ON imported_documents
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['imports', 'imported_documents']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()',
                   t || '_no_truncate', t);
  END LOOP;
END $$;

-- ---------------------------------------------------------------- row-level security
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['imports', 'imported_documents']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant ON %I USING (practice_id = current_practice_id()) WITH CHECK (practice_id = current_practice_id())', t);
  END LOOP;
END $$;

REVOKE ALL ON imports, imported_documents FROM PUBLIC;
GRANT SELECT, INSERT ON imports, imported_documents TO casebook_app;
