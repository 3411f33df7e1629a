import type { Queryable } from './database.js';

export interface NewImport {
  id: string;
  practiceId: string;
  kind: 'csv_clients' | 'fhir_record';
  importedBy: string;
  sourceSystem: string | null;
  clientCount: number;
  summary: Record<string, number | string | boolean>;
}

export async function insertImport(tx: Queryable, i: NewImport): Promise<void> {
  await tx.query(
    `INSERT INTO imports (id, practice_id, kind, imported_by, source_system, client_count, summary)
     VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [i.id, i.practiceId, i.kind, i.importedBy, i.sourceSystem, i.clientCount, JSON.stringify(i.summary)],
  );
}

/** Existing clients born on one of these dates, for the likely-duplicate check (name compared by the caller). */
export async function clientsBornOn(
  tx: Queryable,
  practiceId: string,
  dates: string[],
): Promise<{ id: string; first: string; last: string; dob: string; code: string }[]> {
  if (dates.length === 0) return [];
  const r = await tx.query<{ id: string; first: string; last: string; dob: string; code: string }>(
    `SELECT id, legal_first_name AS first, legal_last_name AS last, date_of_birth::text AS dob, client_code AS code
       FROM clients WHERE practice_id = $1 AND date_of_birth = ANY($2::date[])`,
    [practiceId, dates],
  );
  return r.rows;
}

/** Which of these client codes the practice already uses. */
export async function takenClientCodes(
  tx: Queryable,
  practiceId: string,
  codes: string[],
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const r = await tx.query<{ client_code: string }>(
    'SELECT client_code FROM clients WHERE practice_id = $1 AND client_code = ANY($2::text[])',
    [practiceId, codes],
  );
  return new Set(r.rows.map((x) => x.client_code));
}

export interface ImportedDocumentRow {
  id: string;
  client_id: string;
  import_id: string;
  parent_id: string | null;
  kind: 'note' | 'addendum' | 'plan';
  source_system: string;
  source_id: string | null;
  title_enc: Buffer;
  loinc_code: string | null;
  service_date: string | null;
  authored_at: Date | null;
  author_name: string | null;
  signed_at: Date | null;
  signer_name: string | null;
  content_hash: string | null;
  content_type: string;
  body_enc: Buffer;
  resources_enc: Buffer;
  imported_at: Date;
  imported_by: string;
}

export type NewImportedDocument = Omit<ImportedDocumentRow, 'imported_at' | 'imported_by'> & {
  practice_id: string;
};

const DOC_COLUMNS = [
  'id',
  'practice_id',
  'client_id',
  'import_id',
  'parent_id',
  'kind',
  'source_system',
  'source_id',
  'title_enc',
  'loinc_code',
  'service_date',
  'authored_at',
  'author_name',
  'signed_at',
  'signer_name',
  'content_hash',
  'content_type',
  'body_enc',
  'resources_enc',
] as const;

export async function insertImportedDocument(tx: Queryable, d: NewImportedDocument): Promise<void> {
  await tx.query(
    `INSERT INTO imported_documents (${DOC_COLUMNS.join(', ')})
     VALUES (${DOC_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
    DOC_COLUMNS.map((c) => d[c]),
  );
}

/**
 * A client's imported documents, oldest first (index imported_documents_client_idx); at most
 * `limit` when given (the chart export reads them all).
 */
export async function importedDocumentsOf(
  tx: Queryable,
  clientId: string,
  limit?: number,
): Promise<ImportedDocumentRow[]> {
  const r = await tx.query<ImportedDocumentRow>(
    `SELECT d.id, d.client_id, d.import_id, d.parent_id, d.kind, d.source_system, d.source_id, d.title_enc, d.loinc_code,
            d.service_date::text AS service_date, d.authored_at, d.author_name, d.signed_at, d.signer_name,
            d.content_hash, d.content_type, d.body_enc, d.resources_enc, d.imported_at, i.imported_by
       FROM imported_documents d JOIN imports i ON i.id = d.import_id
      WHERE d.client_id = $1
      ORDER BY d.authored_at NULLS FIRST, d.id${limit === undefined ? '' : ' LIMIT $2'}`,
    limit === undefined ? [clientId] : [clientId, limit],
  );
  return r.rows;
}
